import { markInboxQueued, markInboxRejected, type Db } from '@splits/db';
import { enqueueBulk, jobPayloadIssue, type QueueName, type Queues } from '@splits/queue';
import { metrics, type Logger, type TraceCarrier } from '@splits/telemetry';
import { MicroBatcher } from './micro-batcher.js';
import type { RoutedJob } from './routing.js';

/** A stored inbox row and the jobs it causes (see routing.ts). */
export interface WorkItem {
  inboxId: string;
  jobs: RoutedJob[];
  /** The delivery's trace context: its jobs continue the webhook's trace, also when the relay adds them. */
  trace?: TraceCarrier | null;
}

export interface EnqueueDeps {
  db: Db;
  queues: Queues;
}

/** What one hand-over did: rows queued, and rows set aside because the catalog refused their jobs. */
export interface EnqueueResult {
  queued: number;
  rejected: { id: string; reason: string }[];
}

/**
 * Adds the rows' jobs with one bulk add per queue, then marks the rows queued. Job ids are
 * deterministic or debounced, so adding a row's jobs twice (request path and relay) is harmless.
 * A row whose jobs the queue catalog refuses would fail the bulk add of every row with it, and, left
 * pending, every relay pass after it: it is marked `rejected` with the reason instead, first.
 * Throws if Redis refuses; the rows then stay pending and the relay retries them.
 */
export async function enqueueWork(deps: EnqueueDeps, items: WorkItem[]): Promise<EnqueueResult> {
  if (items.length === 0) return { queued: 0, rejected: [] };
  const rejected: { id: string; reason: string }[] = [];
  const byQueue = new Map<QueueName, { payload: unknown; opts: { delay?: number }; trace?: TraceCarrier | null }[]>();
  const queued: string[] = [];
  for (const item of items) {
    const reason = item.jobs.map((job) => jobPayloadIssue(job.queue, job.payload)).find((issue) => issue !== null);
    if (reason) {
      rejected.push({ id: item.inboxId, reason });
      continue;
    }
    queued.push(item.inboxId);
    for (const job of item.jobs) {
      const list = byQueue.get(job.queue) ?? [];
      list.push({ payload: job.payload, opts: job.delay === undefined ? {} : { delay: job.delay }, trace: item.trace });
      byQueue.set(job.queue, list);
    }
  }
  await markInboxRejected(deps.db, rejected);
  if (rejected.length) metrics().webhooksRejected.inc({ reason: 'catalog' }, rejected.length);
  await Promise.all(
    [...byQueue].map(([queue, jobs]) => enqueueBulk(deps.queues, queue, jobs as Parameters<typeof enqueueBulk>[2])),
  );
  await markInboxQueued(deps.db, queued);
  return { queued: queued.length, rejected };
}

export interface WorkEnqueuer {
  /**
   * Hands rows to the queue off the response path. Never rejects: a failure is logged and left to
   * the relay, because the rows are already in Postgres. The promise settles when this batch is done.
   */
  add(items: WorkItem[]): Promise<void>;
  /** Flushes what was handed over (shutdown). */
  close(): Promise<void>;
}

export interface WorkEnqueuerOptions {
  maxBatch?: number;
  maxInFlight?: number;
  /** A flush that takes longer is abandoned (the relay covers it), so a hung Redis cannot pile up work. */
  timeoutMs?: number;
  /** Beyond this many waiting items new ones are left to the relay rather than held in memory. */
  maxPending?: number;
}

export function createWorkEnqueuer(deps: EnqueueDeps & { log: Logger }, opts: WorkEnqueuerOptions = {}): WorkEnqueuer {
  const timeoutMs = opts.timeoutMs ?? 5_000;
  const maxPending = opts.maxPending ?? 20_000;
  let lastWarn = 0;
  const warn = (fields: Record<string, unknown>, msg: string) => {
    // At thousands of events/s a Redis outage must not turn into thousands of log lines/s.
    const now = Date.now();
    if (now - lastWarn < 5_000) return;
    lastWarn = now;
    deps.log.warn(fields, msg);
  };
  const batcher = new MicroBatcher<WorkItem, void>({
    maxBatch: opts.maxBatch ?? 1_000,
    maxInFlight: opts.maxInFlight ?? 2,
    run: async (items) => {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`enqueue took longer than ${timeoutMs} ms`)), timeoutMs);
      });
      try {
        const { rejected } = await Promise.race([enqueueWork(deps, items), timeout]);
        for (const r of rejected) deps.log.warn({ inboxId: r.id, reason: r.reason }, 'inbox row rejected: its jobs failed the queue catalog');
      } finally {
        clearTimeout(timer);
      }
      return items.map(() => undefined);
    },
  });
  return {
    async add(items) {
      if (items.length === 0) return;
      if (batcher.pending >= maxPending) {
        warn({ pending: batcher.pending }, 'enqueue backlog full; leaving rows to the relay');
        return;
      }
      try {
        await batcher.submit(items);
      } catch (err) {
        warn({ err: (err as Error).message, rows: items.length }, 'enqueue failed; the relay will retry');
      }
    },
    close: () => batcher.close(),
  };
}
