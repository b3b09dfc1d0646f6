import { sql } from 'kysely';
import type { WorkoutRecord } from '@splits/contracts';
import type { Db } from '../connection.js';
import { newId } from '../crypto.js';

export interface ActivitySourceInput {
  athleteId: string;
  intervalsActivityId: string;
  activity: unknown;
  intervals: unknown | null;
  streams: unknown | null;
  wellness: unknown | null;
}

/** Keeps the raw Intervals.icu JSON behind the record; a re-fetch replaces it. */
export async function upsertActivitySource(db: Db, s: ActivitySourceInput): Promise<void> {
  const values = {
    athlete_id: s.athleteId,
    intervals_activity_id: s.intervalsActivityId,
    activity: JSON.stringify(s.activity),
    intervals: s.intervals == null ? null : JSON.stringify(s.intervals),
    streams: s.streams == null ? null : JSON.stringify(s.streams),
    wellness: s.wellness == null ? null : JSON.stringify(s.wellness),
  };
  await db
    .insertInto('activity_source')
    .values(values)
    .onConflict((oc) =>
      oc.columns(['athlete_id', 'intervals_activity_id']).doUpdateSet({
        activity: values.activity,
        intervals: values.intervals,
        streams: values.streams,
        wellness: values.wellness,
        fetched_at: new Date(),
      }),
    )
    .execute();
}

export async function getActivitySource(db: Db, athleteId: string, intervalsActivityId: string) {
  return db
    .selectFrom('activity_source')
    .select(['activity', 'intervals', 'streams', 'wellness', 'fetched_at'])
    .where('athlete_id', '=', athleteId)
    .where('intervals_activity_id', '=', intervalsActivityId)
    .executeTakeFirst();
}

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

/** One athlete's workout with its composed record, by Intervals.icu activity id. */
export async function getWorkoutRowByActivity(db: Db, athleteId: string, intervalsActivityId: string) {
  return db
    .selectFrom('workout_record')
    .select(['id', 'rev', 'session_type', 'record', 'deleted_at'])
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
function workoutPage(db: Db, from: 'workout' | 'workout_record', athleteId: string, w: TrainingsWindow) {
  let q = db
    .selectFrom(from)
    .where('athlete_id', '=', athleteId)
    .where('deleted_at', 'is', null)
    .where('unavailable_reason', 'is', null)
    .orderBy('start_date', 'desc')
    .orderBy('id')
    .limit(w.limit + 1)
    .offset(w.offset);
  if (w.oldest) q = q.where('local_date', '>=', w.oldest);
  if (w.newest) q = q.where('local_date', '<=', w.newest);
  return q;
}

/** Records of one athlete, newest first. */
export async function listWorkoutRecords(db: Db, athleteId: string, w: TrainingsWindow): Promise<{ records: WorkoutRecord[]; hasMore: boolean }> {
  const rows = await workoutPage(db, 'workout_record', athleteId, w).select(['id', 'record']).execute();
  return {
    records: rows.slice(0, w.limit).map((r) => ({ ...(r.record as object), id: r.id }) as WorkoutRecord),
    hasMore: rows.length > w.limit,
  };
}

/**
 * The same page as (id, record_rev) only: what a reader that keeps derived text per record revision
 * needs to know before reading any record.
 */
export async function listWorkoutRevisions(
  db: Db,
  athleteId: string,
  w: TrainingsWindow,
): Promise<{ rows: { id: string; rev: string; workoutType: string; localDate: string | null }[]; hasMore: boolean }> {
  const rows = await workoutPage(db, 'workout', athleteId, w).select(['id', 'record_rev as rev', 'workout_type as workoutType', 'local_date as localDate']).execute();
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
