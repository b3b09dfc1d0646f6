import { CLASSIFICATION_FIELDS, type ClassificationFields } from '@splits/contracts';
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
export type ClassificationUpdate = ClassificationFields & { roles?: ReadonlyArray<string | null> };

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
  };
  await db
    .insertInto('workout_classification')
    .values(row)
    .onConflict((oc) => oc.column('workout_id').doUpdateSet({ rev: row.rev, session_type: row.session_type, fields: row.fields, roles: row.roles, classified_at: row.classified_at }))
    .execute();
  return true;
}
