import type { z } from 'zod';
import { ConfigError, loadConfig, readDotEnv } from '@splits/config';
import { createLogger, type Logger } from './logger.js';
import { Shutdown } from './shutdown.js';
import { stopTracing } from './stop-tracing.js';
import { initMetrics } from './metrics.js';

/**
 * The first lines of every main.ts: validate the environment once (a bad config names every bad
 * key and exits 1), create the logger and the process's one Shutdown owner, listen for signals.
 */
export function bootProcess<S extends z.ZodObject>(
  service: string,
  schema: S,
): { config: Readonly<z.infer<S>>; log: Logger; shutdown: Shutdown } {
  let config: Readonly<z.infer<S>>;
  try {
    config = loadConfig(schema, readDotEnv('.env', process.env));
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    console.error(`${service}: ${err.message}`);
    process.exit(1);
  }
  const c = config as { LOG_LEVEL?: string; SHUTDOWN_TIMEOUT_MS?: number };
  const log = createLogger(service, c.LOG_LEVEL ?? 'info');
  initMetrics(service);
  const shutdown = new Shutdown(log, c.SHUTDOWN_TIMEOUT_MS ?? 10_000);
  // Registered first, so it runs last: spans from the rest of shutdown still get flushed.
  shutdown.register('tracing', stopTracing);
  shutdown.listen();
  process.on('unhandledRejection', (err) => log.error({ err: (err as Error)?.message }, 'unhandled rejection'));
  return { config, log, shutdown };
}
