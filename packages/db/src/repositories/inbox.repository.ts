import { sql } from 'kysely';
import type { Db } from '../connection.js';

export interface InboxEventInput {
  dedupeKey: string;
  type: string;
  intervalsAthleteId: string;
  activityId: string | null;
  /** Whether this event type leads to work; others are stored as `ignored`. */
  actionable: boolean;
  payload: unknown;
}

export interface InsertedInboxRow {
  id: string;
  dedupe_key: string;
  type: string;
  athlete_id: string | null;
  activity_id: string | null;
  status: string;
}

/**
 * Stores a batch of webhook events in one statement. Duplicates (same dedupe key) are skipped and
 * not returned, so the caller enqueues only what is new. The athlete is resolved in the same
 * statement; unknown athletes are kept (status `unknown_athlete`) rather than dropped.
 */
export async function insertInboxEvents(db: Db, events: InboxEventInput[]): Promise<InsertedInboxRow[]> {
  if (events.length === 0) return [];
  // The whole batch travels as one JSON document: Postgres parses it once, and the payloads are not
  // escaped twice (as they would be inside a jsonb[] array literal).
  const batch = JSON.stringify(
    events.map((e) => ({
      k: e.dedupeKey,
      t: e.type,
      a: e.intervalsAthleteId,
      id: e.activityId,
      x: e.actionable,
      p: e.payload,
    })),
  );
  const result = await sql<InsertedInboxRow>`
    insert into webhook_inbox (dedupe_key, type, intervals_athlete_id, athlete_id, activity_id, status, payload)
    select v.k, v.t, v.a, c.athlete_id, v.id,
           case when c.athlete_id is null then 'unknown_athlete'
                when v.x then 'received' else 'ignored' end,
           v.p
      from jsonb_to_recordset(${batch}::jsonb) as v(k text, t text, a text, id text, x bool, p jsonb)
      left join intervals_connection c on c.intervals_athlete_id = v.a
    on conflict (dedupe_key) do nothing
    returning id, dedupe_key, type, athlete_id, activity_id, status`.execute(db);
  return result.rows;
}

export async function markInboxQueued(db: Db, ids: string[]): Promise<void> {
  if (ids.length === 0) return;
  await db
    .updateTable('webhook_inbox')
    .set({ status: 'queued', queued_at: new Date() })
    .where('id', 'in', ids)
    .where('status', '=', 'received')
    .execute();
}

/** Rows that were stored but never reached the queue (Redis was down): the relay's work list. */
export async function findUnqueuedInbox(db: Db, olderThanMs: number, limit: number) {
  return db
    .selectFrom('webhook_inbox')
    .select(['id', 'dedupe_key', 'type', 'athlete_id', 'activity_id'])
    .where('status', '=', 'received')
    .where('received_at', '<', sql<Date>`now() - make_interval(secs => ${olderThanMs / 1000})`)
    .orderBy('received_at')
    .limit(limit)
    .execute();
}

export async function countInbox(db: Db, intervalsAthleteId?: string) {
  let q = db.selectFrom('webhook_inbox').select(['status', sql<string>`count(*)`.as('n')]).groupBy('status');
  if (intervalsAthleteId) q = q.where('intervals_athlete_id', '=', intervalsAthleteId);
  const rows = await q.execute();
  return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)])) as Record<string, number>;
}
