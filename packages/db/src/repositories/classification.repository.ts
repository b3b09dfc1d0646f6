import { CLASSIFICATION_FIELDS, type ClassificationFields, type WorkoutRecord } from '@splits/contracts';
import type { Db } from '../connection.js';

export interface LlmAnswer {
  sessionType: string;
  confidence: number;
  reason: string;
  model: string;
}

export async function getLlmClassification(db: Db, workoutId: string, rev: number): Promise<LlmAnswer | null> {
  const row = await db
    .selectFrom('llm_classification')
    .select(['session_type', 'confidence', 'reason', 'model'])
    .where('workout_id', '=', workoutId)
    .where('rev', '=', rev)
    .executeTakeFirst();
  return row ? { sessionType: row.session_type, confidence: row.confidence, reason: row.reason, model: row.model } : null;
}

/** First answer wins: a concurrent or replayed job keeps the cached one. */
export async function putLlmClassification(db: Db, workoutId: string, rev: number, a: LlmAnswer): Promise<void> {
  await db
    .insertInto('llm_classification')
    .values({ workout_id: workoutId, rev, session_type: a.sessionType, confidence: a.confidence, reason: a.reason, model: a.model })
    .onConflict((oc) => oc.columns(['workout_id', 'rev']).doNothing())
    .execute();
}

/**
 * The classification of one workout revision: the record fields the classifier owns
 * (CLASSIFICATION_FIELDS in @splits/contracts; `intervalSummary` left undefined keeps the record's)
 * and each interval's role, by position, when the analysis read the record's intervals.
 */
export type ClassificationUpdate = ClassificationFields & {
  roles?: ReadonlyArray<string | null>;
  /** What the classification was computed from (classificationInputs().key), for the recalibration. */
  classifiedWith?: string | null;
};

/**
 * Stores the classification of exactly this revision (the classify-worker is its only writer);
 * false when the workout moved on meanwhile. Holds the workout row (as an update would) until the
 * caller's transaction commits, so a reader that takes it FOR SHARE sees the classification.
 */
export async function setClassification(db: Db, workoutId: string, rev: number, u: ClassificationUpdate): Promise<boolean> {
  const current = await db.selectFrom('workout').select('rev').where('id', '=', workoutId).forNoKeyUpdate().executeTakeFirst();
  if (current?.rev !== rev) return false;
  const fields = Object.fromEntries(CLASSIFICATION_FIELDS.flatMap((k) => (u[k] === undefined ? [] : [[k, u[k]]])));
  const row = {
    workout_id: workoutId,
    rev,
    session_type: u.sessionType,
    fields: JSON.stringify(fields),
    roles: u.roles === undefined ? null : JSON.stringify(u.roles),
    classified_at: new Date(),
    classified_with: u.classifiedWith ?? null,
  };
  await db
    .insertInto('workout_classification')
    .values(row)
    .onConflict((oc) => oc.column('workout_id').doUpdateSet({ rev: row.rev, session_type: row.session_type, fields: row.fields, roles: row.roles, classified_at: row.classified_at, classified_with: row.classified_with }))
    .execute();
  return true;
}

/** A stored run as the calibration and the recalibration read it. */
export interface CalibrationRow {
  id: string;
  rev: number;
  classifiedWith: string | null;
  record: WorkoutRecord;
}

/**
 * The athlete's visible runs (`runTypes`: @splits/training's RUN_WORKOUT_TYPES) that started in [from, until), oldest first: what a classification as
 * of a moment reads (its calibration window) and what the recalibration walks.
 */
export async function listRunsBetween(db: Db, athleteId: string, runTypes: readonly string[], from: Date, until: Date): Promise<CalibrationRow[]> {
  // What Intervals.icu said (workout.record) is all the calibration reads; the classification only
  // lends what it was computed from.
  const rows = await db
    .selectFrom('workout')
    .leftJoin('workout_classification as c', 'c.workout_id', 'workout.id')
    .select(['workout.id', 'workout.rev', 'c.classified_with', 'workout.record'])
    .where('workout.athlete_id', '=', athleteId)
    .where('workout.deleted_at', 'is', null)
    .where('workout.unavailable_reason', 'is', null)
    .where('workout.workout_type', 'in', [...runTypes])
    .where('workout.start_date', '>=', from)
    .where('workout.start_date', '<', until)
    .orderBy('workout.start_date')
    .orderBy('workout.id')
    .execute();
  return rows.map((r) => ({ id: r.id, rev: r.rev, classifiedWith: r.classified_with, record: { ...(r.record as object), id: r.id } as WorkoutRecord }));
}

/** Whether any visible run of the athlete started after `after` and before `until`. */
export async function hasRunsBetween(db: Db, athleteId: string, runTypes: readonly string[], after: Date, until: Date): Promise<boolean> {
  const row = await db
    .selectFrom('workout')
    .select('id')
    .where('athlete_id', '=', athleteId)
    .where('deleted_at', 'is', null)
    .where('workout_type', 'in', [...runTypes])
    .where('start_date', '>', after)
    .where('start_date', '<', until)
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

/** Whether a race (RACE_A/B/C) was planned for the athlete on this local date. */
export async function isRacePlanned(db: Db, athleteId: string, localDate: string): Promise<boolean> {
  const row = await db
    .selectFrom('planned_event')
    .select('intervals_event_id')
    .where('athlete_id', '=', athleteId)
    .where('local_date', '=', localDate)
    .where('category', 'in', ['RACE_A', 'RACE_B', 'RACE_C'])
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

