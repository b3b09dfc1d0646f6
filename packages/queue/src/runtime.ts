import { Queue, type Worker, type WorkerOptions } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { addMetricsCollector, metrics, startHealthServer, type ReadinessCheck, type Shutdown } from '@splits/telemetry';
import { pingDatabase, type Db } from '@splits/db';
import type { QueueName } from './catalog.js';
import { startOutboxRelay } from './outbox.js';
import type { Queues } from './queues.js';
import { createWorkers, type Handlers } from './worker.js';

export interface WorkerProcessOptions<N extends QueueName> {
  names: readonly N[];
  handlers: Handlers<NoInfer<N>>;
  /** Connection for the workers (blocking commands: maxRetriesPerRequest null). */
  connection: Redis;
  prefix: string;
  log: Logger;
  shutdown: Shutdown;
  /** The process's database: /ready checks it answers; the outbox relay (if any) reads it. */
  db: Db;
  health: { host: string; port: number; checks?: Record<string, ReadinessCheck> };
  workerOptions?: Partial<Record<N, Partial<WorkerOptions>>>;
  /**
   * For a process whose handlers stage jobs in the outbox (stageJobs): its relay, which adds what a
   * crash or a refusing Redis left there (DESIGN §3). It runs on the producer connection's queues.
   */
  outbox?: { queues: Queues; intervalMs: number; minAgeMs: number; recover?: () => Promise<number> };
}

/**
 * The common tail of every worker's main.ts: start the workers (a queue without a handler fails
 * here) and, when asked, the outbox relay; serve /health and /ready, and register their closing with
 * the process's Shutdown.
 * Closing the workers waits for in-flight jobs, which is the drain step of shutdown.
 */
export async function startWorkerProcess<N extends QueueName>(opts: WorkerProcessOptions<N>): Promise<{ workers: Worker[]; healthPort: number }> {
  if (opts.outbox) {
    // Registered between the queues and the workers: it stops once the workers drained, before the queues close.
    const { recover, ...outbox } = opts.outbox;
    const relay = startOutboxRelay({
      ...outbox,
      db: opts.db,
      log: opts.log,
      redis: opts.outbox.queues.connection,
      recover: recover ? { prefix: opts.prefix, run: recover } : undefined,
    });
    opts.shutdown.register('outbox-relay', () => relay.stop());
  }
  const workers = createWorkers(opts.names, opts.handlers, { connection: opts.connection, prefix: opts.prefix, log: opts.log }, opts.workerOptions);
  const lengths = queueJobsCollector(opts.names, opts.connection, opts.prefix);
  addMetricsCollector('queues', lengths.collect);
  opts.shutdown.register('queue-metrics', lengths.close);
  opts.shutdown.register('workers', () => Promise.all(workers.map((w) => w.close())));
  const health = await startHealthServer({
    host: opts.health.host,
    port: opts.health.port,
    checks: { postgres: () => pingDatabase(opts.db), redis: () => opts.connection.ping(), ...opts.health.checks },
  });
  opts.shutdown.register('health', () => health.close());
  opts.log.info({ queues: opts.names, healthPort: health.port }, 'worker ready');
  return { workers, healthPort: health.port };
}

const STATES = ['waiting', 'active', 'delayed', 'failed'] as const;

/**
 * Scrape time: the lengths of this process's own queues (every replica reports the same numbers;
 * dashboards take max by queue). Read through Queue objects on the workers' shared connection.
 */
function queueJobsCollector(names: readonly QueueName[], connection: Redis, prefix: string): { collect(): Promise<void>; close(): Promise<void> } {
  const queues = names.map((name) => new Queue(name, { connection, prefix }));
  const gauge = metrics().queueJobs;
  return {
    async collect() {
      await Promise.all(
        queues.map(async (q) => {
          const counts = await q.getJobCounts(...STATES);
          for (const state of STATES) gauge.set({ queue: q.name, state }, counts[state] ?? 0);
        }),
      );
    },
    close: async () => void (await Promise.all(queues.map((q) => q.close()))),
  };
}
