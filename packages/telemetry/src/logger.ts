import { pino, type DestinationStream, type Logger } from 'pino';

/** Keys whose values never reach a log line, wherever they appear. */
const REDACT = [
  'secret',
  'token',
  'apiKey',
  'api_key',
  'password',
  'authorization',
  'credential',
  '*.secret',
  '*.token',
  '*.apiKey',
  '*.password',
  '*.authorization',
  '*.credential',
  'req.headers.authorization',
  'headers.authorization',
];

export function createLogger(service: string, level = 'info', destination?: DestinationStream): Logger {
  const options = {
    name: service,
    level,
    base: { service },
    redact: { paths: REDACT, censor: '[redacted]' },
    timestamp: pino.stdTimeFunctions.isoTime,
  };
  return destination ? pino(options, destination) : pino(options);
}
export type { Logger };
