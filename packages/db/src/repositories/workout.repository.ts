import { sql } from 'kysely';
import type { WorkoutRecord } from '@splits/contracts';
import type { Db } from '../connection.js';
import { newId } from '../crypto.js';

/** The record without its id: the id is assigned once and then kept (stable `trn_…`). */
export type WorkoutRecordInput = Omit<WorkoutRecord, 'id'>;

/**
 * Inserts or replaces what Intervals.icu said about one activity (the fetch-worker's part of the
 * workout; the classification and the report are stored apart and composed on read, see
 * `workout_record`). Each write bumps `rev`, which keys the classify job, so re-running the same
 * revision is a no-op downstream. `lapsChanged` (default true): the lap structure is new or differs
 * from the stored one, so an earlier classification no longer describes it in full. An activity
 * stored again is visible again (no longer deleted or unavailable).
 */
export async function upsertWorkout(
  db: Db,
  athleteId: string,
  rec: WorkoutRecordInput,
  opts: { lapsChanged?: boolean } = {},
): Promise<{ id: string; rev: number; created: boolean }> {
  const id = newId('trn');
  const record = JSON.stringify({ ...rec, id: undefined });
  const row = await db
    .insertInto('workout')
    .values({
      id,
      athlete_id: athleteId,
      intervals_activity_id: rec.intervalsActivityId,
      start_date: rec.date,
      local_date: rec.localDate,
      workout_type: rec.workoutType,
      provisional: rec.provisional,
      record,
    })
    .onConflict((oc) =>
      oc.constraint('workout_activity_uq').doUpdateSet({
        start_date: rec.date,
        local_date: rec.localDate,
        workout_type: rec.workoutType,
        provisional: rec.provisional,
        record,
        rev: sql`workout.rev + 1`,
        structure_rev: opts.lapsChanged === false ? sql`workout.structure_rev` : sql`workout.rev + 1`,
        deleted_at: null,
        unavailable_reason: null,
        updated_at: new Date(),
      }),
    )
    .returning(['id', 'rev', sql<boolean>`(xmax = 0)`.as('created')])
    .executeTakeFirstOrThrow();
  return { id: row.id, rev: row.rev, created: row.created };
}

/** One workout with its composed record (what assistants receive), by id. */
export async function getWorkoutRow(db: Db, workoutId: string) {
  return db
    .selectFrom('workout_record')
    .select(['id', 'athlete_id', 'intervals_activity_id', 'rev', 'session_type', 'provisional', 'record', 'start_date'])
    .where('id', '=', workoutId)
    .executeTakeFirst();
}

/** One athlete's workout (its id, revision and session type), by Intervals.icu activity id. */
export async function getWorkoutRowByActivity(db: Db, athleteId: string, intervalsActivityId: string) {
  return db
    .selectFrom('workout_record')
    .select(['id', 'rev', 'session_type', 'deleted_at'])
    .where('athlete_id', '=', athleteId)
    .where('intervals_activity_id', '=', intervalsActivityId)
    .executeTakeFirst();
}

/**
 * A visible workout's session type, read after any classification being stored for it has committed
 * (the classifier holds the workout row until then; FOR SHARE waits for it).
 */
export async function getSessionTypeAfterClassifying(db: Db, athleteId: string, intervalsActivityId: string): Promise<{ id: string; sessionType: string } | null> {
  const w = await db
    .selectFrom('workout')
    .select('id')
    .where('athlete_id', '=', athleteId)
    .where('intervals_activity_id', '=', intervalsActivityId)
    .where('deleted_at', 'is', null)
    .forShare()
    .executeTakeFirst();
  if (!w) return null;
  const r = await db.selectFrom('workout_record').select('session_type').where('id', '=', w.id).executeTakeFirst();
  return r ? { id: w.id, sessionType: r.session_type } : null;
}

export interface TrainingsWindow {
  oldest?: string;
  newest?: string;
  limit: number;
  offset: number;
}

/**
 * One page of an athlete's visible workouts, newest first, with one row more than the limit (the
 * "has more" probe). The athlete id is always part of the predicate; deleted on Intervals.icu, or
 * unreadable there, is not something an assistant should see.
 */
/** An athlete's listed workouts (not deleted, not unavailable) in page order: newest start first, then id. */
function listedWorkouts(db: Db, from: 'workout' | 'workout_record', athleteId: string) {
  return db.selectFrom(from).where('athlete_id', '=', athleteId).where('deleted_at', 'is', null).where('unavailable_reason', 'is', null).orderBy('start_date', 'desc').orderBy('id');
}

function workoutPage(db: Db, from: 'workout' | 'workout_record', athleteId: string, w: TrainingsWindow) {
  let q = listedWorkouts(db, from, athleteId)
    .limit(w.limit + 1)
    .offset(w.offset);
  if (w.oldest) q = q.where('local_date', '>=', w.oldest);
  if (w.newest) q = q.where('local_date', '<=', w.newest);
  return q;
}

/**
 * Records of one athlete, newest first, without their heavy parts (laps, km splits, zone times,
 * sport metrics, wellness) and the classification's detail: what a reader of an athlete's history
 * (the classifier) needs.
 */
export async function listWorkoutBriefs(db: Db, athleteId: string, w: TrainingsWindow): Promise<{ records: WorkoutRecord[]; hasMore: boolean }> {
  const rows = await workoutPage(db, 'workout_record', athleteId, w).select(['id', 'record_brief']).execute();
  return {
    records: rows.slice(0, w.limit).map((r) => ({ ...(r.record_brief as object), id: r.id }) as WorkoutRecord),
    hasMore: rows.length > w.limit,
  };
}

/** Whole records of one athlete (laps and all), newest first: plan vs actual reads the reps. */
export async function listWorkoutRecords(db: Db, athleteId: string, w: TrainingsWindow): Promise<{ records: WorkoutRecord[]; hasMore: boolean }> {
  const rows = await workoutPage(db, 'workout_record', athleteId, w).select(['id', 'record']).execute();
  return {
    records: rows.slice(0, w.limit).map((r) => ({ ...(r.record as object), id: r.id }) as WorkoutRecord),
    hasMore: rows.length > w.limit,
  };
}

/** A listed workout as a page of records needs it before reading any record. */
export interface WorkoutRevision {
  id: string;
  rev: string;
  workoutType: string;
  localDate: string | null;
}

/**
 * The same page as (id, record_rev) only: what a reader that keeps derived text per record revision
 * needs to know before reading any record.
 */
export async function listWorkoutRevisions(db: Db, athleteId: string, w: TrainingsWindow): Promise<{ rows: WorkoutRevision[]; hasMore: boolean }> {
  const rows = await workoutPage(db, 'workout', athleteId, w).select(['id', 'record_rev as rev', 'workout_type as workoutType', 'local_date as localDate']).execute();
  return { rows: rows.slice(0, w.limit), hasMore: rows.length > w.limit };
}

/**
 * Every listed workout of the athlete as (id, record_rev, type, local date), in page order: an index
 * a reader that holds it (until the athlete's rows change) pages through with pageOfRevisions.
 */
export async function listAllWorkoutRevisions(db: Db, athleteId: string): Promise<WorkoutRevision[]> {
  return listedWorkouts(db, 'workout', athleteId).select(['id', 'record_rev as rev', 'workout_type as workoutType', 'local_date as localDate']).execute();
}

/** The page of `w` from listAllWorkoutRevisions' index: the same rows and hasMore as listWorkoutRevisions reads. */
export function pageOfRevisions(all: readonly WorkoutRevision[], w: TrainingsWindow): { rows: WorkoutRevision[]; hasMore: boolean } {
  const inWindow = w.oldest || w.newest ? all.filter((r) => r.localDate !== null && (!w.oldest || r.localDate >= w.oldest) && (!w.newest || r.localDate <= w.newest)) : all;
  const rows = inWindow.slice(w.offset, w.offset + w.limit + 1);
  return { rows: rows.slice(0, w.limit), hasMore: rows.length > w.limit };
}

/** These workouts' records (of this athlete only) as stored JSON text, with intervals or without, and their record_rev. */
export async function getWorkoutRecordTexts(db: Db, athleteId: string, ids: string[], withIntervals: boolean) {
  if (ids.length === 0) return [];
  return db
    .selectFrom('workout_record')
    .select(['id', 'record_rev as rev', (withIntervals ? sql<string>`record::text` : sql<string>`(record - 'intervals')::text`).as('text')])
    .where('athlete_id', '=', athleteId)
    .where('id', 'in', ids)
    .where('deleted_at', 'is', null)
    .where('unavailable_reason', 'is', null)
    .execute();
}

export async function getWorkoutRecord(db: Db, athleteId: string, workoutId: string): Promise<WorkoutRecord | null> {
  const row = await db
    .selectFrom('workout_record')
    .select(['id', 'record'])
    .where('athlete_id', '=', athleteId)
    .where('id', '=', workoutId)
    .where('deleted_at', 'is', null)
    .where('unavailable_reason', 'is', null)
    .executeTakeFirst();
  return row ? ({ ...(row.record as object), id: row.id } as WorkoutRecord) : null;
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

/** The athlete's newest workout that is still visible. */
export async function getLatestWorkoutId(db: Db, athleteId: string): Promise<string | null> {
  const row = await db
    .selectFrom('workout')
    .select('id')
    .where('athlete_id', '=', athleteId)
    .where('deleted_at', 'is', null)
    .orderBy('start_date', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row?.id ?? null;
}

/**
 * Workouts the summary reads: not deleted, from `sinceIso` on, newest first. Heavy parts the
 * summary never uses (laps, km splits, zone times, sport metrics) stay in the database.
 */
export async function listWorkoutsForSummary(db: Db, athleteId: string, sinceIso: string) {
  return db
    .selectFrom('workout_record')
    .select(['id', sql<Record<string, unknown>>`record_brief`.as('record')])
    .where('athlete_id', '=', athleteId)
    .where('deleted_at', 'is', null)
    .where('unavailable_reason', 'is', null)
    .where('start_date', '>=', new Date(sinceIso))
    .where('deleted_at', 'is', null)
    .orderBy('start_date', 'desc')
    .execute();
}
