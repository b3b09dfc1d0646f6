import { MetricsTime, UnrecoverableError, Worker, type Job, type WorkerOptions } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { metrics } from '@splits/telemetry';
import { queueCatalog, type JobPayload, type QueueName } from './catalog.js';
import { queueTelemetry } from './queues.js';

export type Processor<N extends QueueName> = (payload: JobPayload<N>, job: Job, token: string | undefined) => Promise<unknown>;
export type Handlers<N extends QueueName> = { [K in N]: Processor<K> };

export interface WorkerDeps {
  connection: Redis;
  prefix: string;
  log: Logger;
}

/**
 * Starts one BullMQ worker per queue this process owns. The handlers are typed complete for the
 * names given (N is inferred from `names` only), so a missing handler is a compile error; the check
 * at start stays for callers that cast. Payloads are parsed again on the consumer side: a malformed job fails
 * permanently instead of crashing the handler halfway.
 */
export function createWorkers<N extends QueueName>(
  names: readonly N[],
  handlers: Handlers<NoInfer<N>>,
  deps: WorkerDeps,
  options: Partial<Record<N, Partial<WorkerOptions>>> = {},
): Worker[] {
  const missing = names.filter((n) => typeof (handlers as Partial<Handlers<N>>)[n] !== 'function');
  if (missing.length) throw new Error(`no handler registered for queue(s): ${missing.join(', ')}`);
  return names.map((name) => {
    const handler: Processor<N> = handlers[name];
    const schema = queueCatalog[name].schema;
    const worker = new Worker(
      name,
      async (job, token) => {
        const parsed = schema.safeParse(job.data);
        if (!parsed.success) {
          throw new UnrecoverableError(`invalid ${name} payload: ${parsed.error.issues[0]?.message ?? 'unknown'}`);
        }
        return handler(parsed.data as JobPayload<N>, job, token);
      },
      // runRetryDelay: after a connection error BullMQ waits this long before asking for a job again
      // (15 s by default); with Redis back, a worker should not sit idle longer than a reconnect takes.
      { connection: deps.connection, prefix: deps.prefix, concurrency: 4, runRetryDelay: 2_000, telemetry: queueTelemetry(),
        // Completed and failed per minute, kept a day in Redis: the dashboard's failure rate.
        metrics: { maxDataPoints: 24 * MetricsTime.ONE_HOUR }, ...options[name] },
    );
    // A run that will be retried has no finishedOn yet: it ended now.
    const ran = (job: Job | undefined, outcome: string) => {
      if (job?.processedOn) metrics().jobDuration.observe({ queue: name, outcome }, ((job.finishedOn ?? Date.now()) - job.processedOn) / 1000);
    };
    worker.on('completed', (job) => ran(job, 'completed'));
    worker.on('failed', (job, err) => {
      if (err.name === 'DelayedError') return;
      const final = err.name === 'UnrecoverableError' || (job !== undefined && job.attemptsMade >= (job.opts.attempts ?? 1));
      ran(job, final ? 'failed' : 'retried');
      deps.log.warn({ queue: name, jobId: job?.id, attemptsMade: job?.attemptsMade, err: err.message }, 'job failed');
    });
    worker.on('error', (err) => deps.log.error({ queue: name, err: err.message }, 'worker error'));
    return worker;
  });
}
