import { insertInboxEvents, type Db, type InboxEventInput, type InsertedInboxRow } from '@splits/db';
import { MicroBatcher } from './micro-batcher.js';

export interface InboxBatcherOptions {
  /** Events per INSERT statement. */
  maxBatch?: number;
  /** Statements in flight at once; keep below the pool size (the pool also serves /ready and the relay). */
  maxInFlight?: number;
  onFlush?: (size: number, ms: number, err?: unknown) => void;
}

/**
 * Stores webhook events from concurrent requests in shared multi-row INSERTs: one commit (one WAL
 * flush) for many deliveries. Each caller gets, per event it submitted, the new row or null when
 * the event was already stored (a duplicate delivery, or the same event earlier in the batch).
 */
export type InboxBatcher = MicroBatcher<InboxEventInput, InsertedInboxRow | null>;

/**
 * Postgres refused the data itself (SQLSTATE class 22, data exception, e.g. a \u0000 in a text field;
 * class 54, a program limit): the same rows would fail again, while a connection error would not
 * say anything about them.
 */
export function isBadDataError(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && (code.startsWith('22') || code.startsWith('54'));
}

export function createInboxBatcher(db: Db, opts: InboxBatcherOptions = {}): InboxBatcher {
  return new MicroBatcher<InboxEventInput, InsertedInboxRow | null>({
    maxBatch: opts.maxBatch ?? 1_000,
    maxInFlight: opts.maxInFlight ?? 4,
    ...(opts.onFlush ? { onFlush: opts.onFlush } : {}),
    // One delivery Postgres cannot take must not fail the deliveries that shared its INSERT.
    isolate: isBadDataError,
    run: async (events) => {
      const rows = await insertInboxEvents(db, events);
      const byKey = new Map(rows.map((r) => [r.dedupe_key, r]));
      // The first event with a key owns the new row; a repeat in the same batch is a duplicate.
      return events.map((e) => {
        const row = byKey.get(e.dedupeKey) ?? null;
        byKey.delete(e.dedupeKey);
        return row;
      });
    },
  });
}
