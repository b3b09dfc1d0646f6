import { sql } from 'kysely';
import type { Db } from '../connection.js';

/** Source revision markers of stored activities (poll and fetch skip unchanged revisions). */
export async function getSourceRevisions(db: Db, athleteId: string, activityIds: string[]): Promise<Map<string, string | null>> {
  if (activityIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('activity_source')
    .select(['intervals_activity_id', 'source_rev'])
    .where('athlete_id', '=', athleteId)
    .where('intervals_activity_id', 'in', activityIds)
    .execute();
  return new Map(rows.map((r) => [r.intervals_activity_id, r.source_rev]));
}

export async function setSourceRevision(db: Db, athleteId: string, activityId: string, rev: string): Promise<void> {
  await db
    .updateTable('activity_source')
    .set({ source_rev: rev })
    .where('athlete_id', '=', athleteId)
    .where('intervals_activity_id', '=', activityId)
    .execute();
}

/**
 * ACTIVITY_DELETED (or a 404 on re-fetch): the record disappears from what assistants see. The row
 * stays (soft delete) so a late duplicate event cannot resurrect a second workout id.
 */
export async function markWorkoutDeleted(db: Db, athleteId: string, activityId: string): Promise<string | null> {
  const row = await db
    .updateTable('workout')
    .set({ deleted_at: sql<Date>`coalesce(deleted_at, now())`, updated_at: new Date() })
    .where('athlete_id', '=', athleteId)
    .where('intervals_activity_id', '=', activityId)
    .returning('id')
    .executeTakeFirst();
  await db
    .updateTable('activity_source')
    .set({ source_rev: 'deleted' })
    .where('athlete_id', '=', athleteId)
    .where('intervals_activity_id', '=', activityId)
    .execute();
  return row?.id ?? null;
}

/**
 * A Strava-sourced stub (or another activity the API will not show): kept as the source with the
 * reason, so operators and the poller know it is not readable; no workout record is invented for it.
 */
export async function recordUnavailableActivity(
  db: Db,
  athleteId: string,
  activityId: string,
  reason: string,
  stub: unknown,
): Promise<void> {
  const activity = JSON.stringify(stub);
  const rev = `unavailable:${reason}`;
  await db
    .insertInto('activity_source')
    .values({ athlete_id: athleteId, intervals_activity_id: activityId, activity, intervals: null, streams: null, wellness: null, source_rev: rev })
    .onConflict((oc) => oc.columns(['athlete_id', 'intervals_activity_id']).doUpdateSet({ activity, source_rev: rev, fetched_at: new Date() }))
    .execute();
  await db
    .updateTable('workout')
    .set({ unavailable_reason: reason, updated_at: new Date() })
    .where('athlete_id', '=', athleteId)
    .where('intervals_activity_id', '=', activityId)
    .execute();
}

/** Stored, visible workouts whose start lies in [from, to) (the poller's deletion check). */
export async function listActivityIdsBetween(db: Db, athleteId: string, from: Date, to: Date): Promise<string[]> {
  const rows = await db
    .selectFrom('workout')
    .select('intervals_activity_id')
    .where('athlete_id', '=', athleteId)
    .where('deleted_at', 'is', null)
    .where('start_date', '>=', from)
    .where('start_date', '<', to)
    .execute();
  return rows.map((r) => r.intervals_activity_id);
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
