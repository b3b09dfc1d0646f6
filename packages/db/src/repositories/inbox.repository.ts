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
  /** The delivery's trace context (JSON carrier), kept while the row waits so the relay continues it. */
  traceContext?: string | null;
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
 * statement; an unknown athlete's event is kept (status `unknown_athlete`) for dedupe and diagnosis
 * only: its type, ids and time, never its payload (stored as `{}`), which belongs to nobody we serve.
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
      tc: e.traceContext ?? null,
    })),
  );
  // Accepted rows are also registered as pending in the same statement; the enqueuer removes them.
  const result = await sql<InsertedInboxRow>`
    with v as (
      select * from json_to_recordset(${batch}::json) as v(k text, t text, a text, id text, x bool, p json, tc text)
    ), ins as (
      insert into webhook_inbox (dedupe_key, type, intervals_athlete_id, athlete_id, activity_id, status, payload)
      select v.k, v.t, v.a, c.athlete_id, v.id,
             case when c.athlete_id is null then 'unknown_athlete'
                  when v.x then 'accepted' else 'ignored' end,
             case when c.athlete_id is null then '{}'::json else v.p end
        from v
        left join intervals_connection c on c.intervals_athlete_id = v.a
      on conflict (dedupe_key) do nothing
      returning id, dedupe_key, type, athlete_id, activity_id, status, received_at
    ), pending as (
      insert into webhook_inbox_pending (inbox_id, received_at, trace_context)
      select ins.id, ins.received_at, (select v.tc from v where v.k = ins.dedupe_key limit 1)
        from ins where ins.status = 'accepted'
    )
    select id, dedupe_key, type, athlete_id, activity_id, status from ins`.execute(db);
  return result.rows;
}

/** The rows reached the queue: they are no longer pending. */
export async function markInboxQueued(db: Db, ids: string[]): Promise<void> {
  if (ids.length === 0) return;
  await db.deleteFrom('webhook_inbox_pending').where('inbox_id', 'in', ids).execute();
}

/**
 * Accepted rows whose jobs the queue catalog refuses: set aside as `rejected` with the reason, and no
 * longer pending, in one statement, so they never block the rows behind them.
 */
export async function markInboxRejected(db: Db, rows: { id: string; reason: string }[]): Promise<void> {
  if (rows.length === 0) return;
  const list = JSON.stringify(rows.map((r) => ({ id: r.id, reason: r.reason.slice(0, 500) })));
  await sql`
    with rejected as (
      update webhook_inbox i set status = 'rejected', status_reason = v.reason
        from json_to_recordset(${list}::json) as v(id bigint, reason text)
       where i.id = v.id
      returning i.id
    )
    delete from webhook_inbox_pending where inbox_id in (select id from rejected)`.execute(db);
}

/** Rows that were stored but never reached the queue (Redis was down): the relay's work list. */
export async function findUnqueuedInbox(db: Db, olderThanMs: number, limit: number) {
  return db
    .selectFrom('webhook_inbox_pending as p')
    .innerJoin('webhook_inbox as i', 'i.id', 'p.inbox_id')
    .select(['i.id', 'i.dedupe_key', 'i.type', 'i.athlete_id', 'i.activity_id', 'i.payload', 'p.trace_context'])
    .where('p.received_at', '<', sql<Date>`now() - make_interval(secs => ${olderThanMs / 1000})`)
    .orderBy('p.inbox_id')
    .limit(limit)
    .execute();
}

/** Where a delivery stands: `queued` (handed to the queue), `pending` (waiting for it), or what it is. */
export async function inboxDeliveryState(db: Db, activityId: string): Promise<string | null> {
  const row = await db
    .selectFrom('webhook_inbox as i')
    .leftJoin('webhook_inbox_pending as p', 'p.inbox_id', 'i.id')
    .select(['i.status', 'p.inbox_id'])
    .where('i.activity_id', '=', activityId)
    .orderBy('i.id')
    .executeTakeFirst();
  if (!row) return null;
  if (row.status !== 'accepted') return row.status;
  return row.inbox_id ? 'pending' : 'queued';
}

/** Rows stored but not yet handed to the queue (the backlog): the small pending table, cheap to count. */
export async function inboxPendingCount(db: Db): Promise<number> {
  const row = await db.selectFrom('webhook_inbox_pending').select(sql<string>`count(*)`.as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Counts by status, with accepted rows split into queued and pending (operators, benchmarks). */
export async function inboxCounts(db: Db): Promise<Record<string, number>> {
  const rows = await db.selectFrom('webhook_inbox').select(['status', sql<string>`count(*)`.as('n')]).groupBy('status').execute();
  const counts: Record<string, number> = Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
  counts.pending = await inboxPendingCount(db);
  counts.queued = (counts.accepted ?? 0) - counts.pending;
  return counts;
}

/** Whether a webhook for this activity arrived after `since` (an update that found the fetch job busy). */
export async function hasInboxEventSince(db: Db, athleteId: string, activityId: string, since: Date): Promise<boolean> {
  const row = await db
    .selectFrom('webhook_inbox')
    .select('id')
    .where('athlete_id', '=', athleteId)
    .where('activity_id', '=', activityId)
    .where('received_at', '>', since)
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * Whether Intervals.icu announced this activity as new (an accepted ACTIVITY_UPLOADED webhook). Such
 * an activity is news to the athlete even when a first poll, which imports history silently, happened
 * to fetch it first under the same fetch job id.
 */
export async function hasUploadEvent(db: Db, athleteId: string, activityId: string): Promise<boolean> {
  const row = await db
    .selectFrom('webhook_inbox')
    .select('id')
    .where('athlete_id', '=', athleteId)
    .where('activity_id', '=', activityId)
    .where('status', '=', 'accepted')
    .where('type', '=', 'ACTIVITY_UPLOADED')
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}
