import { markInboxQueued, type Db } from '@splits/db';
import { enqueueBulk, type Queues } from '@splits/queue';
import type { Logger } from '@splits/telemetry';
import { MicroBatcher } from './micro-batcher.js';

/** A stored inbox row that should become a fetch-activity job. */
export interface FetchItem {
  inboxId: string;
  athleteId: string;
  intervalsActivityId: string;
  reason: string;
}

export interface EnqueueDeps {
  db: Db;
  queues: Queues;
  fetchDelayMs: number;
}

/**
 * Adds the fetch-activity jobs in one round trip, then marks their rows queued. The jobIds are
 * deterministic, so adding a job twice (request path and relay) is harmless. Throws if Redis refuses;
 * the rows then stay `received` and the relay retries them.
 */
export async function enqueueFetches(deps: EnqueueDeps, items: FetchItem[]): Promise<void> {
  if (items.length === 0) return;
  await enqueueBulk(
    deps.queues,
    'fetch-activity',
    items.map((i) => ({
      payload: { athleteId: i.athleteId, intervalsActivityId: i.intervalsActivityId, reason: i.reason },
      opts: { delay: deps.fetchDelayMs },
    })),
  );
  await markInboxQueued(deps.db, items.map((i) => i.inboxId));
}

export interface FetchEnqueuer {
  /**
   * Hands rows to the queue off the response path. Never rejects: a failure is logged and left to
   * the relay, because the rows are already in Postgres. The promise settles when this batch is done.
   */
  add(items: FetchItem[]): Promise<void>;
  /** Flushes what was handed over (shutdown). */
  close(): Promise<void>;
}

export interface FetchEnqueuerOptions {
  maxBatch?: number;
  maxInFlight?: number;
  /** A flush that takes longer is abandoned (the relay covers it), so a hung Redis cannot pile up work. */
  timeoutMs?: number;
  /** Beyond this many waiting items new ones are left to the relay rather than held in memory. */
  maxPending?: number;
}

export function createFetchEnqueuer(deps: EnqueueDeps & { log: Logger }, opts: FetchEnqueuerOptions = {}): FetchEnqueuer {
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
  const batcher = new MicroBatcher<FetchItem, void>({
    maxBatch: opts.maxBatch ?? 1_000,
    maxInFlight: opts.maxInFlight ?? 2,
    run: async (items) => {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`enqueue took longer than ${timeoutMs} ms`)), timeoutMs);
      });
      try {
        await Promise.race([enqueueFetches(deps, items), timeout]);
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
