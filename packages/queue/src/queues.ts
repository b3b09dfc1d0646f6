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
  const { data, opts: jobOpts, maxWaitMs } = prepare(name, payload, opts);
  if (maxWaitMs !== undefined && jobOpts.deduplication) {
    jobOpts.delay = await cappedDelay(queues[name], jobOpts.deduplication.id, jobOpts.delay ?? 0, maxWaitMs);
  }
  const job = await queues[name].add(name, data, jobOpts);
  return job.id!;
}

/**
 * The delay for a trailing debounce that must not wait past `maxWaitMs` after the first add it
 * coalesces: a reschedule keeps the pending job's creation time, so the pending job tells when that
 * was. Two producers racing here at worst push it back once more by one delay.
 */
async function cappedDelay(queue: Queue, dedupId: string, delayMs: number, maxWaitMs: number): Promise<number> {
  const pendingId = await queue.getDeduplicationJobId(dedupId);
  const pending = pendingId ? await queue.getJob(pendingId) : undefined;
  if (!pending || pending.processedOn) return delayMs; // none waiting (a running one keeps its follow-up)
  return Math.max(0, Math.min(delayMs, pending.timestamp + maxWaitMs - Date.now()));
}

/**
 * Why the catalog refuses this payload for `name` (what `enqueue` would throw), or null when it takes
 * it. Lets a producer set one bad item aside instead of failing the bulk add it belongs to.
 */
export function jobPayloadIssue(name: QueueName, payload: unknown): string | null {
  const parsed = queueCatalog[name].schema.safeParse(payload);
  if (parsed.success) return null;
  const issues = parsed.error.issues.slice(0, 3).map((i) => `${i.path.join('.') || 'payload'}: ${i.message}`);
  return `${name} payload refused by the queue catalog (${issues.join('; ')})`;
}

/** Parse, then derive the id (or debounce key) and options from the catalog. */
function prepare<N extends QueueName>(name: N, payload: JobInput<N>, opts: JobsOptions = {}) {
  const def: { schema: { parse(v: unknown): unknown }; defaults: JobsOptions; jobId?: (p: any) => string; debounce?: { id: (p: any) => string; delayMs: number; trailing?: boolean; maxWaitMs?: number } } =
    queueCatalog[name];
  const data = def.schema.parse(payload);
  const idOpts: JobsOptions = def.jobId
    ? { jobId: def.jobId(data) }
    : def.debounce
      ? {
          delay: def.debounce.delayMs,
          deduplication: { id: def.debounce.id(data), keepLastIfActive: true, ...(def.debounce.trailing ? { reschedule: true } : {}) },
        }
      : {};
  return { data, opts: { ...def.defaults, ...idOpts, ...opts }, maxWaitMs: def.debounce?.trailing ? def.debounce.maxWaitMs : undefined };
}

/** Bulk add for one queue (the ingress path): one round trip for many jobs. */
export async function enqueueBulk<N extends QueueName>(
  queues: Queues,
  name: N,
  items: { payload: JobInput<N>; opts?: JobsOptions }[],
): Promise<void> {
  if (items.length === 0) return;
  const jobs = items.map(({ payload, opts }) => {
    const { data, opts: jobOpts } = prepare(name, payload, opts);
    return { name, data, opts: jobOpts };
  });
  await queues[name].addBulk(jobs);
}

/** main.ts helper: producer connection + every queue, both closed by the process's Shutdown. */
export function openQueues(
  url: string,
  prefix: string,
  shutdown: { register(name: string, fn: () => Promise<unknown>): void },
  opts: RedisConnectionOptions = {},
): { redis: Redis; queues: Queues } {
  const redis = createRedis(url, opts);
  shutdown.register('redis', () => redis.quit().catch(() => redis.disconnect()));
  const queues = createQueues(redis, prefix);
  shutdown.register('queues', () => queues.close());
  return { redis, queues };
}
