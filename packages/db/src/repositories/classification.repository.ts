import { sql } from 'kysely';
import type { MainSet, SessionClassification, WorkoutRecord } from '@splits/contracts';
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

export interface ClassificationUpdate {
  sessionType: string;
  classification: SessionClassification;
  mainSet: MainSet | null;
  /** Runs only; null when this workout is no VDOT evidence. */
  vdot: number | null;
  /** From the structure analysis (work/recovery judged from the intensity profile); undefined keeps the record's. */
  intervalSummary?: { work: string; recovery: string | null } | null;
  /** The record's intervals with their role from the structure analysis; undefined keeps them. */
  intervals?: unknown[];
  /** What the classification was computed from (classificationInputsKey). */
  classifiedWith: string | null;
}

/** Writes the classification into the record of exactly this revision; false when it moved on. */
export async function setClassification(db: Db, workoutId: string, rev: number, u: ClassificationUpdate): Promise<boolean> {
  const patch = JSON.stringify({
    sessionType: u.sessionType,
    classification: u.classification,
    mainSet: u.mainSet,
    vdot: u.vdot,
    ...(u.intervalSummary !== undefined ? { intervalSummary: u.intervalSummary } : {}),
    ...(u.intervals !== undefined ? { intervals: u.intervals } : {}),
  });
  const res = await db
    .updateTable('workout')
    .set({ session_type: u.sessionType, record: sql`record || ${patch}::jsonb`, classified_with: u.classifiedWith, updated_at: new Date() })
    .where('id', '=', workoutId)
    .where('rev', '=', rev)
    .executeTakeFirst();
  return res.numUpdatedRows > 0n;
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
  const rows = await db
    .selectFrom('workout')
    .select(['id', 'rev', 'classified_with', 'record'])
    .where('athlete_id', '=', athleteId)
    .where('deleted_at', 'is', null)
    .where('unavailable_reason', 'is', null)
    .where('workout_type', 'in', [...runTypes])
    .where('start_date', '>=', from)
    .where('start_date', '<', until)
    .orderBy('start_date')
    .orderBy('id')
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

