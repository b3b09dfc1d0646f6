import { pino, type DestinationStream, type Logger, type LoggerOptions } from 'pino';
import { redactDeep, redactError, redactString } from './redact.js';
import { activeTraceFields } from './trace-context.js';

/**
 * fastify's request serializer (what "incoming request" logs), with secret query values redacted
 * from the URL: the Intervals.icu OAuth callback arrives as `?code=…&state=…`.
 */
function reqSerializer(req: { method?: string; url?: string; host?: string; ip?: string; socket?: { remotePort?: number } }) {
  return { method: req.method, url: req.url === undefined ? undefined : redactString(req.url), host: req.host, remoteAddress: req.ip, remotePort: req.socket?.remotePort };
}

export function createLogger(service: string, level = 'info', destination?: DestinationStream): Logger {
  const options: LoggerOptions = {
    name: service,
    level,
    base: { service },
    timestamp: pino.stdTimeFunctions.isoTime,
    // Every line written inside a span names it (trace_id, span_id): a job's lines, a request's lines
    // and the relay's lines of one workout all carry its one trace id. Empty when tracing is off.
    mixin: activeTraceFields,
    // pino's `redact` paths match exact keys at fixed depths; secrets hide under any case and depth
    // (`Authorization`, `job.data.headers.cookie`, an error's URL), so every logged object is walked
    // (copy-on-write: a line without secrets allocates nothing). See redact.ts for the names.
    formatters: {
      log: (obj) => redactDeep(obj),
      bindings: (bindings) => redactDeep(bindings),
    },
    // Applied after the formatter, to what it leaves alone: fastify's request and reply objects, errors.
    serializers: {
      req: reqSerializer,
      err: (err: unknown) => (err instanceof Error ? redactError(err) : err),
    },
    hooks: {
      // The message and its interpolation arguments (`log.warn('fetch %s failed', url)`).
      logMethod(args, method) {
        for (let i = 0; i < args.length; i++) {
          const a = args[i];
          if (typeof a === 'string') args[i] = redactString(a);
          else if (i > 0 && a !== null && typeof a === 'object') args[i] = redactDeep(a);
        }
        return method.apply(this, args);
      },
    },
  };
  return destination ? pino(options, destination) : pino(options);
}
export type { Logger };
