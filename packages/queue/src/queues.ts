import { Queue, type JobsOptions } from 'bullmq';
import { BullMQOtel } from 'bullmq-otel';
import { Redis, type RedisOptions } from 'ioredis';
import { withTraceCarrier, type TraceCarrier } from '@splits/telemetry';
import { queueCatalog, queueNames, type JobInput, type JobPayload, type QueueDefOf, type QueueName } from './catalog.js';
import { supersedeFinished, type RerunAfter } from './supersede.js';

export interface RedisConnectionOptions {
  /** Producers on a request path fail fast instead of buffering while Redis is away. */
  failFast?: boolean;
  /**
   * Commands issued in one turn of the event loop go out in one write (ioredis' auto-pipelining):
   * for a connection many concurrent requests each send one small command on (rate-limit counters).
   */
  autoPipelining?: boolean;
}

export function createRedis(url: string, opts: RedisConnectionOptions = {}): Redis {
  const base: RedisOptions = {
    maxRetriesPerRequest: opts.failFast ? 1 : null,
    enableOfflineQueue: !opts.failFast,
    connectTimeout: 5_000,
    retryStrategy: (times) => Math.min(times * 200, 2_000),
    enableAutoPipelining: opts.autoPipelining ?? false,
  };
  const redis = new Redis(url, base);
  // Connection errors are reported through readiness and job failures, not as crashes.
  redis.on('error', () => undefined);
  return redis;
}

export type Queues = { [N in QueueName]: Queue } & { close(): Promise<void>; readonly connection: Redis };

/**
 * BullMQ's OpenTelemetry hook-up (one per process): an add writes the active trace context into the
 * job's options and the worker runs the job in a span continuing it, so one workout is one trace
 * across every queue hop. Only @opentelemetry/api: without a configured tracer it records nothing.
 */
let otel: BullMQOtel | undefined;
export function queueTelemetry(): BullMQOtel {
  otel ??= new BullMQOtel({ tracerName: 'splits-queue' });
  return otel;
}

/** One Queue per catalog entry, sharing one connection. The caller owns `close()`. */
export function createQueues(connection: Redis, prefix: string): Queues {
  const telemetry = queueTelemetry();
  const entries = queueNames.map((name) => [name, new Queue(name, { connection, prefix, telemetry })] as const);
  const queues = Object.fromEntries(entries) as unknown as { -readonly [K in keyof Queues]: Queues[K] };
  queues.connection = connection;
  queues.close = async () => {
    await Promise.all(entries.map(([, q]) => q.close()));
  };
  return queues;
}

/**
 * Parses the payload against the catalog, derives the jobId, and adds. Throws if Redis refuses: never
 * drops silently. Under a fixed id the add joins a job that is still waiting, delayed or running; a
 * finished one the catalog's `rerun` names (a failure, for most) is moved aside and the add runs, so
 * when this resolves the work sits in a job that is waiting, delayed or running (see supersede.ts).
 */
export async function enqueue<N extends QueueName>(
  queues: Queues,
  name: N,
  payload: JobInput<N>,
  opts: JobsOptions = {},
): Promise<string> {
  const { data, opts: jobOpts, maxWaitMs, rerun } = prepare(name, payload, opts);
  if (maxWaitMs !== undefined && jobOpts.deduplication) {
    jobOpts.delay = await cappedDelay(queues[name], jobOpts.deduplication.id, jobOpts.delay ?? 0, maxWaitMs);
  }
  const [id] = await addPastFinished(queues, name, [{ name, data, opts: jobOpts }], rerun);
  return id!;
}

/**
 * An add under a fixed id that met a finished job is repeated once that job is moved aside; a second
 * round is needed only when the pending job it joined finished in between, a third hardly ever.
 */
const MAX_ROUNDS = 3;

/**
 * Adds (one job with `add`, several in one `addBulk`), then, for a queue with a `rerun` rule, repeats
 * the adds that met a finished job, which supersede.ts has moved aside meanwhile. Resolves with the
 * ids of the first round (fixed ids do not change between rounds).
 */
async function addPastFinished(queues: Queues, name: QueueName, jobs: { name: string; data: unknown; opts: JobsOptions }[], rerun: RerunAfter | undefined): Promise<string[]> {
  let ids: string[] | undefined;
  for (let round = 1; ; round++) {
    const since = Date.now();
    // addBulk keeps each job's own trace carrier (opts.telemetry.metadata); add takes the active
    // context, so a single job given a carrier is added inside it.
    const added =
      jobs.length === 1
        ? [await withTraceCarrier(jobs[0]!.opts.telemetry?.metadata, () => queues[name].add(jobs[0]!.name, jobs[0]!.data, jobs[0]!.opts))]
        : await queues[name].addBulk(jobs);
    ids ??= added.map((j) => j.id!);
    if (!rerun) return ids;
    const moved = await supersedeFinished(queues.connection, queues[name], added.map((j) => j.id!), since, rerun);
    jobs = jobs.filter((_, i) => moved.has(added[i]!.id!));
    if (jobs.length === 0) return ids;
    if (round === MAX_ROUNDS) throw new Error(`${name}: finished jobs kept taking the place of ${jobs.length} add(s)`);
  }
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
  const def: QueueDefOf<N> = queueCatalog[name];
  const data = def.schema.parse(payload) as JobPayload<N>;
  const idOpts: JobsOptions = def.jobId
    ? { jobId: def.jobId(data) }
    : def.debounce
      ? {
          delay: def.debounce.delayMs,
          deduplication: { id: def.debounce.id(data), keepLastIfActive: true, ...(def.debounce.trailing ? { reschedule: true } : {}) },
        }
      : {};
  return {
    data,
    opts: { ...def.defaults, ...idOpts, ...opts },
    maxWaitMs: def.debounce?.trailing ? def.debounce.maxWaitMs : undefined,
    rerun: def.jobId ? def.rerun : undefined,
  };
}

/**
 * Bulk add for one queue (the ingress path): one round trip for many jobs, plus one to check the fixed
 * ids (as enqueue). An item's `trace` (the carrier of the request or job it came from, kept while it
 * waited in Postgres) is the trace its job continues; without one, the active context is.
 */
export async function enqueueBulk<N extends QueueName>(
  queues: Queues,
  name: N,
  items: { payload: JobInput<N>; opts?: JobsOptions; trace?: TraceCarrier | null }[],
): Promise<void> {
  if (items.length === 0) return;
  const prepared = items.map(({ payload, opts, trace }) => prepare(name, payload, trace ? { ...opts, telemetry: { metadata: trace } } : opts));
  await addPastFinished(queues, name, prepared.map(({ data, opts }) => ({ name, data, opts })), prepared[0]!.rerun);
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
