import { sql } from 'kysely';
import type { Db } from '../connection.js';

/** One line of the athlete's history: the few record fields a list shows, read from the composed record. */
export interface WorkoutListRow {
  id: string;
  date: Date;
  localDate: string | null;
  workoutType: string;
  sessionType: string;
  name: string | null;
  /** km */
  distance: number | null;
  /** s */
  movingTime: number | null;
  /** runs: min/km; swims: min/100 m */
  pace: number | null;
  /** rides: km/h */
  speed: number | null;
  load: number | null;
  avgHr: number | null;
}

export interface WorkoutListQuery {
  /** Session type (runs) or workout type (other sports). */
  type?: string;
  oldest?: string;
  newest?: string;
  limit: number;
  offset: number;
}

const num = (path: string) => sql<number | null>`(record->>${sql.lit(path)})::float8`;

/**
 * A page of an athlete's visible workouts, newest first, as list rows (not whole records), with one
 * row more than the limit as the "has more" probe. The athlete id is always part of the predicate.
 */
export async function listWorkoutRows(db: Db, athleteId: string, q: WorkoutListQuery): Promise<{ rows: WorkoutListRow[]; hasMore: boolean }> {
  let query = db
    .selectFrom('workout_record')
    .select([
      'id',
      'start_date',
      'local_date',
      'workout_type',
      'session_type',
      sql<string | null>`record->>'activityName'`.as('name'),
      num('distance').as('distance'),
      num('movingTime').as('moving_time'),
      num('pace').as('pace'),
      num('speed').as('speed'),
      num('load').as('load'),
      num('avgHr').as('avg_hr'),
    ])
    .where('athlete_id', '=', athleteId)
    .where('deleted_at', 'is', null)
    .where('unavailable_reason', 'is', null)
    .orderBy('start_date', 'desc')
    .orderBy('id')
    .limit(q.limit + 1)
    .offset(q.offset);
  if (q.type) query = query.where((eb) => eb.or([eb('session_type', '=', q.type!), eb('workout_type', '=', q.type!)]));
  if (q.oldest) query = query.where('local_date', '>=', q.oldest);
  if (q.newest) query = query.where('local_date', '<=', q.newest);
  const rows = await query.execute();
  return {
    rows: rows.slice(0, q.limit).map((r) => ({
      id: r.id,
      date: r.start_date,
      localDate: r.local_date,
      workoutType: r.workout_type,
      sessionType: r.session_type,
      name: r.name,
      distance: r.distance,
      movingTime: r.moving_time,
      pace: r.pace,
      speed: r.speed,
      load: r.load,
      avgHr: r.avg_hr,
    })),
    hasMore: rows.length > q.limit,
  };
}

/**
 * The session type as the view `workout_record` composes it (the classification's, else the record's
 * first guess), for the aggregate reads below: they need no report and no composed record, and over
 * five years of workouts the view's per-row composition is most of their cost.
 */
function typed(db: Db, athleteId: string) {
  return db
    .selectFrom('workout as w')
    .leftJoin('workout_classification as c', 'c.workout_id', 'w.id')
    .where('w.athlete_id', '=', athleteId)
    .where('w.deleted_at', 'is', null)
    .where('w.unavailable_reason', 'is', null);
}
const sessionType = sql<string>`coalesce(c.session_type, w.record->>'sessionType')`;

/** Distance (km) and moving time (s) per local date and session type from `oldest` on: what weekly volume bars are drawn from. */
export async function listDailyVolume(db: Db, athleteId: string, oldest: string) {
  return typed(db, athleteId)
    .select([
      'w.local_date',
      sessionType.as('session_type'),
      sql<number>`coalesce(sum((w.record->>'distance')::float8), 0)`.as('distance'),
      sql<number>`coalesce(sum((w.record->>'movingTime')::float8), 0)`.as('moving_time'),
    ])
    .where('w.local_date', '>=', oldest)
    .groupBy(['w.local_date', sessionType])
    .execute();
}

/** The session and workout types this athlete has, for the history filter. */
export async function listWorkoutTypes(db: Db, athleteId: string): Promise<string[]> {
  const rows = await typed(db, athleteId).select(sessionType.as('t')).distinct().orderBy('t').execute();
  return rows.map((r) => r.t);
}
