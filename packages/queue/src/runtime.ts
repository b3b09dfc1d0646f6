import type { Worker, WorkerOptions } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { startHealthServer, type ReadinessCheck, type Shutdown } from '@splits/telemetry';
import type { QueueName } from './catalog.js';
import { createWorkers, type Handlers } from './worker.js';

export interface WorkerProcessOptions<N extends QueueName> {
  names: readonly N[];
  handlers: Partial<Handlers<N>>;
  /** Connection for the workers (blocking commands: maxRetriesPerRequest null). */
  connection: Redis;
  prefix: string;
  log: Logger;
  shutdown: Shutdown;
  health: { host: string; port: number; checks?: Record<string, ReadinessCheck> };
  workerOptions?: Partial<Record<N, Partial<WorkerOptions>>>;
}

/**
 * The common tail of every worker's main.ts: start the workers (a queue without a handler fails
 * here), serve /health and /ready, and register their closing with the process's Shutdown.
 * Closing the workers waits for in-flight jobs, which is the drain step of shutdown.
 */
export async function startWorkerProcess<N extends QueueName>(opts: WorkerProcessOptions<N>): Promise<{ workers: Worker[]; healthPort: number }> {
  const workers = createWorkers(opts.names, opts.handlers, { connection: opts.connection, prefix: opts.prefix, log: opts.log }, opts.workerOptions);
  opts.shutdown.register('workers', () => Promise.all(workers.map((w) => w.close())));
  const health = await startHealthServer({
    host: opts.health.host,
    port: opts.health.port,
    checks: { redis: async () => void (await opts.connection.ping()), ...opts.health.checks },
  });
  opts.shutdown.register('health', () => health.close());
  opts.log.info({ queues: opts.names, healthPort: health.port }, 'worker ready');
  return { workers, healthPort: health.port };
}
