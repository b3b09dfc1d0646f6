import { sql } from 'kysely';
import type { MainSet, SessionClassification } from '@splits/contracts';
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
    .set({ session_type: u.sessionType, record: sql`record || ${patch}::jsonb`, updated_at: new Date() })
    .where('id', '=', workoutId)
    .where('rev', '=', rev)
    .executeTakeFirst();
  return res.numUpdatedRows > 0n;
}
