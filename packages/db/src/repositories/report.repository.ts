import { sql } from 'kysely';
import type { Db } from '../connection.js';
import { newId } from '../crypto.js';

export interface NewWorkoutReport {
  workoutId: string;
  text: string;
  source: 'telegram' | 'web' | 'cli';
  /** Identifies the message the report came from; the same message saved twice is one revision. */
  sourceRef: string | null;
}

/**
 * Saves the athlete's report as the workout's next revision; its latest revision is the record's
 * `userReport` (composed on read, `workout_record`), so assistants and the summary see it. Run
 * inside a transaction (the caller opens it): the workout row is locked so two reports for one
 * workout get distinct revisions.
 */
export async function saveWorkoutReport(
  db: Db,
  r: NewWorkoutReport,
): Promise<{ id: string; revision: number; athleteId: string; created: boolean } | null> {
  const workout = await db.selectFrom('workout').select(['id', 'athlete_id']).where('id', '=', r.workoutId).forUpdate().executeTakeFirst();
  if (!workout) return null;
  if (r.sourceRef) {
    const same = await db.selectFrom('workout_report').select(['id', 'revision']).where('source_ref', '=', r.sourceRef).executeTakeFirst();
    if (same) return { id: same.id, revision: same.revision, athleteId: workout.athlete_id, created: false };
  }
  const last = await db.selectFrom('workout_report').select((eb) => eb.fn.max('revision').as('rev')).where('workout_id', '=', r.workoutId).executeTakeFirst();
  const revision = (last?.rev ?? 0) + 1;
  const id = newId('rep');
  await db
    .insertInto('workout_report')
    .values({ id, workout_id: r.workoutId, athlete_id: workout.athlete_id, revision, text: r.text, source: r.source, source_ref: r.sourceRef, writeback_error: null, written_at: null })
    .execute();
  return { id, revision, athleteId: workout.athlete_id, created: true };
}

export async function getWorkoutReport(db: Db, reportId: string) {
  return db
    .selectFrom('workout_report as r')
    .innerJoin('workout as w', 'w.id', 'r.workout_id')
    .select(['r.id', 'r.workout_id', 'r.athlete_id', 'r.revision', 'r.text', 'r.writeback_status', 'w.intervals_activity_id'])
    .where('r.id', '=', reportId)
    .executeTakeFirst();
}

/** Serialises the write-backs of one workout's reports until the caller's transaction ends. */
export async function lockReportWriteback(db: Db, workoutId: string): Promise<void> {
  await sql`select pg_advisory_xact_lock(hashtext(${`write-report:${workoutId}`}))`.execute(db);
}

export async function getLatestReportRevision(db: Db, workoutId: string): Promise<number> {
  const row = await db.selectFrom('workout_report').select((eb) => eb.fn.max('revision').as('rev')).where('workout_id', '=', workoutId).executeTakeFirst();
  return row?.rev ?? 0;
}

export async function markReportWriteback(
  db: Db,
  reportId: string,
  status: 'written' | 'failed' | 'superseded',
  error: string | null = null,
): Promise<void> {
  await db
    .updateTable('workout_report')
    .set({ writeback_status: status, writeback_error: error?.slice(0, 500) ?? null, written_at: status === 'written' ? new Date() : null })
    .where('id', '=', reportId)
    .execute();
}

export interface PendingReportWriteback {
  id: string;
  revision: number;
  athleteId: string;
  /** The athlete's summary was built before this revision was saved, or not at all. */
  summaryBehind: boolean;
}

/**
 * Revisions whose write-back is still pending though they were saved more than `olderThanMs` ago
 * (the report sweep), in id order after `afterId` (keyset paging: re-queueing does not change a
 * row, so paging cannot rely on rows leaving the set). Only athletes with an active Intervals.icu
 * connection: the others' write-backs cannot succeed, and they come back once the athlete
 * reconnects. Reads the partial index workout_report_pending_idx.
 */
export async function listPendingReportWritebacks(
  db: Db,
  q: { olderThanMs: number; afterId: string | null; limit: number },
): Promise<PendingReportWriteback[]> {
  const rows = await db
    .selectFrom('workout_report as r')
    .innerJoin('intervals_connection as c', 'c.athlete_id', 'r.athlete_id')
    .leftJoin('athlete_summary as s', 's.athlete_id', 'r.athlete_id')
    .select(['r.id', 'r.revision', 'r.athlete_id', sql<boolean>`(s.built_at is null or s.built_at < r.created_at)`.as('summary_behind')])
    .where('r.writeback_status', '=', 'pending')
    .where('r.created_at', '<', sql<Date>`now() - make_interval(secs => ${q.olderThanMs / 1000})`)
    .where('c.status', '=', 'active')
    .$if(q.afterId !== null, (qb) => qb.where('r.id', '>', q.afterId!))
    .orderBy('r.id')
    .limit(q.limit)
    .execute();
  return rows.map((r) => ({ id: r.id, revision: r.revision, athleteId: r.athlete_id, summaryBehind: r.summary_behind }));
}

/** Every revision of one workout's report, newest first, with its write-back state; only this athlete's. */
export async function listWorkoutReports(db: Db, athleteId: string, workoutId: string) {
  return db
    .selectFrom('workout_report')
    .select(['id', 'revision', 'text', 'source', 'writeback_status', 'writeback_error', 'created_at', 'written_at'])
    .where('athlete_id', '=', athleteId)
    .where('workout_id', '=', workoutId)
    .orderBy('revision', 'desc')
    .limit(100)
    .execute();
}
