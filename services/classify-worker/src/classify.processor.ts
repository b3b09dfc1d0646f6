import { UnrecoverableError } from 'bullmq';
import type { Logger } from 'pino';
import { RUN_SESSION_TYPES, type ClassifyJob, type IntervalsActivity, type WorkoutRecord } from '@splits/contracts';
import { getActivitySource, getWorkoutRow, setSessionType, type Db } from '@splits/db';
import { enqueue, type Queues } from '@splits/queue';
import { classifySession } from '@splits/training';
import type { SessionClassifier } from './llm-classifier.js';

export interface ClassifyDeps {
  db: Db;
  queues: Queues;
  log: Logger;
  llm: SessionClassifier | null;
  llmBelowConfidence: number;
}

/**
 * classify: rules first; the LLM only where the rules are unsure and only for runs. Then the
 * summary is rebuilt (debounced) and the athlete is told (once per workout, guarded downstream).
 */
export async function processClassify(payload: ClassifyJob, deps: ClassifyDeps) {
  const row = await getWorkoutRow(deps.db, payload.workoutId);
  if (!row) throw new UnrecoverableError(`workout ${payload.workoutId} not found`);
  if (row.rev !== payload.rev) {
    // A newer revision has its own classify job; this one has nothing left to do.
    return { skipped: 'stale revision' };
  }
  const record = row.record as Omit<WorkoutRecord, 'id'>;
  const source = await getActivitySource(deps.db, row.athlete_id, row.intervals_activity_id);
  const rules = classifySession(record, (source?.activity as IntervalsActivity | undefined) ?? undefined);

  let sessionType = rules.sessionType;
  let by = 'rules';
  if (deps.llm && (RUN_SESSION_TYPES as readonly string[]).includes(rules.sessionType) && rules.confidence < deps.llmBelowConfidence) {
    try {
      const answer = await deps.llm.classify(record);
      if (answer) {
        sessionType = answer.sessionType;
        by = 'llm';
      }
    } catch (err) {
      // The LLM is an optional refinement: the rules' answer stands when it is unavailable.
      deps.log.warn({ workoutId: row.id, err: (err as Error).message }, 'llm classification failed; keeping rules');
    }
  }

  await setSessionType(deps.db, row.id, row.rev, sessionType);
  await enqueue(deps.queues, 'build-summary', { athleteId: row.athlete_id });
  if (payload.notify) await enqueue(deps.queues, 'notify-telegram', { workoutId: row.id, kind: 'new' });
  deps.log.info({ workoutId: row.id, sessionType, by, confidence: rules.confidence }, 'classified');
  return { sessionType, by };
}
