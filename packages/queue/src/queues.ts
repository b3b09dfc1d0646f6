import { Queue, type JobsOptions } from 'bullmq';
import { Redis, type RedisOptions } from 'ioredis';
import { queueCatalog, queueNames, type JobInput, type QueueName } from './catalog.js';

export interface RedisConnectionOptions {
  /** Producers on a request path fail fast instead of buffering while Redis is away. */
  failFast?: boolean;
}

export function createRedis(url: string, opts: RedisConnectionOptions = {}): Redis {
  const base: RedisOptions = {
    maxRetriesPerRequest: opts.failFast ? 1 : null,
    enableOfflineQueue: !opts.failFast,
    connectTimeout: 5_000,
    retryStrategy: (times) => Math.min(times * 200, 2_000),
  };
  const redis = new Redis(url, base);
  // Connection errors are reported through readiness and job failures, not as crashes.
  redis.on('error', () => undefined);
  return redis;
}

export type Queues = { [N in QueueName]: Queue } & { close(): Promise<void> };

/** One Queue per catalog entry, sharing one connection. The caller owns `close()`. */
export function createQueues(connection: Redis, prefix: string): Queues {
  const entries = queueNames.map((name) => [name, new Queue(name, { connection, prefix })] as const);
  const queues = Object.fromEntries(entries) as unknown as Queues;
  queues.close = async () => {
    await Promise.all(entries.map(([, q]) => q.close()));
  };
  return queues;
}

/** Parses the payload against the catalog, derives the jobId, and adds. Throws if Redis refuses: never drops silently. */
export async function enqueue<N extends QueueName>(
  queues: Queues,
  name: N,
  payload: JobInput<N>,
  opts: JobsOptions = {},
): Promise<string> {
  const def = queueCatalog[name];
  const data = def.schema.parse(payload);
  const jobId = 'jobId' in def && def.jobId ? (def.jobId as (p: unknown) => string)(data) : undefined;
  const job = await queues[name].add(name, data, { ...def.defaults, ...(jobId ? { jobId } : {}), ...opts });
  return job.id!;
}

/** Bulk add for one queue (the ingress path): one round trip for many jobs. */
export async function enqueueBulk<N extends QueueName>(
  queues: Queues,
  name: N,
  items: { payload: JobInput<N>; opts?: JobsOptions }[],
): Promise<void> {
  if (items.length === 0) return;
  const def = queueCatalog[name];
  const jobs = items.map(({ payload, opts }) => {
    const data = def.schema.parse(payload);
    const jobId = 'jobId' in def && def.jobId ? (def.jobId as (p: unknown) => string)(data) : undefined;
    return { name, data, opts: { ...def.defaults, ...(jobId ? { jobId } : {}), ...opts } };
  });
  await queues[name].addBulk(jobs);
}
