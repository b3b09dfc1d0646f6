import { sql } from 'kysely';
import type { Db } from '../connection.js';

export interface OutboxRowInput {
  queue: string;
  payload: unknown;
  athleteId: string | null;
  /** The stager's trace context (JSON carrier), continued by whoever adds the job. */
  traceContext?: string | null;
}

export interface OutboxRow {
  id: string;
  queue: string;
  payload: unknown;
  traceContext: string | null;
}

/** Stages jobs with the change they follow: call it inside the caller's transaction. Returns the row ids. */
export async function insertOutbox(db: Db, rows: OutboxRowInput[]): Promise<string[]> {
  if (rows.length === 0) return [];
  const inserted = await db
    .insertInto('job_outbox')
    .values(rows.map((r) => ({ queue: r.queue, payload: JSON.stringify(r.payload), athlete_id: r.athleteId, trace_context: r.traceContext ?? null })))
    .returning('id')
    .execute();
  return inserted.map((r) => String(r.id));
}

/** The staged jobs reached the queue. */
export async function deleteOutbox(db: Db, ids: string[]): Promise<void> {
  if (ids.length === 0) return;
  await db.deleteFrom('job_outbox').where('id', 'in', ids).execute();
}

/**
 * Staged jobs older than `olderThanMs` (the relay's work list; younger ones are still being handed on
 * by the process that staged them), in id order after `afterId`.
 */
export async function listOutbox(db: Db, q: { olderThanMs: number; afterId: string | null; limit: number }): Promise<OutboxRow[]> {
  const rows = await db
    .selectFrom('job_outbox')
    .select(['id', 'queue', 'payload', 'trace_context'])
    .where('created_at', '<', sql<Date>`now() - make_interval(secs => ${q.olderThanMs / 1000})`)
    .$if(q.afterId !== null, (qb) => qb.where('id', '>', q.afterId!))
    .orderBy('id')
    .limit(q.limit)
    .execute();
  return rows.map((r) => ({ id: String(r.id), queue: r.queue, payload: r.payload, traceContext: r.trace_context }));
}
