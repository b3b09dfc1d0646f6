import { UnrecoverableError } from 'bullmq';
import type { Logger } from 'pino';
import { RUN_SESSION_TYPES, type ClassifyJob, type IntervalsActivity, type SessionClassification, type WorkoutRecord } from '@splits/contracts';
import {
  getActivitySource,
  getLlmClassification,
  getThresholds,
  getWorkoutRow,
  hasUploadEvent,
  listWorkoutBriefs,
  putLlmClassification,
  setClassification,
  type Db,
} from '@splits/db';
import { handOn, stageJobs, summaryRebuildJob, type OutboxJob, type Queues } from '@splits/queue';
import { classifySession, runHistoryOf, sportFamily, vdotEvidence } from '@splits/training';
import { promptFrom, type SessionClassifier } from './llm-classifier.js';

export interface ClassifyDeps {
  db: Db;
  queues: Queues;
  log: Logger;
  llm: SessionClassifier | null;
  llmBelowConfidence: number;
}

/** How many earlier records the rules see as history (what is long for this athlete, VDOT). */
const HISTORY_LIMIT = 300;
/** When the LLM could not help, an unsure rules answer is kept at this confidence at most. */
const UNSURE_CONFIDENCE = 0.3;

/**
 * classify: rules first (structure vs the athlete's thresholds and history); the LLM only for
 * runs the rules are unsure of, its answer cached per workout revision. An LLM that is unset,
 * down, slow or talking nonsense never stalls the pipeline: the rules' answer stays, marked
 * low-confidence. Then the summary is rebuilt (debounced) and the athlete is told: when the job
 * says so, or when Intervals.icu announced the activity as uploaded (a first poll's silent import
 * may have fetched it first under the same fetch job id).
 */
export async function processClassify(payload: ClassifyJob, deps: ClassifyDeps) {
  const row = await getWorkoutRow(deps.db, payload.workoutId);
  if (!row) throw new UnrecoverableError(`workout ${payload.workoutId} not found`);
  if (row.rev !== payload.rev) {
    // A newer revision has its own classify job; this one has nothing left to do.
    return { skipped: 'stale revision' };
  }
  const record = row.record as Omit<WorkoutRecord, 'id'>;
  const isRun = sportFamily(record.workoutType) === 'run';
  const source = await getActivitySource(deps.db, row.athlete_id, row.intervals_activity_id);
  const thresholds = isRun ? await getThresholds(deps.db, row.athlete_id, record.workoutType) : null;
  const earlier = isRun ? await athleteRuns(deps.db, row.athlete_id, row.id) : [];
  const at = new Date(record.date);
  const rules = classifySession(record, (source?.activity as IntervalsActivity | undefined) ?? null, {
    thresholds,
    history: isRun ? runHistoryOf(earlier, at) : null,
  });

  let classification: SessionClassification = { method: 'rules', confidence: round2(rules.confidence), reason: rules.reason };
  let sessionType = rules.sessionType;
  const unsure = isRun && rules.confidence < deps.llmBelowConfidence;
  if (unsure) {
    const answer = await askLlm(deps, row.id, row.rev, record, rules);
    if (answer) {
      sessionType = answer.sessionType;
      classification = { method: 'llm', confidence: round2(answer.confidence), reason: answer.reason };
    } else {
      classification = { ...classification, confidence: Math.min(classification.confidence, UNSURE_CONFIDENCE) };
    }
  }

  const vdot = isRun ? vdotOf(row.id, { ...record, sessionType }, earlier) : null;
  // The structure analysis judged work and recovery from the intensity profile: its summary replaces
  // the record's first guess (which leaned on Intervals.icu's own WORK/RECOVERY typing).
  const intervalSummary = rules.structure?.intervalSummary ?? undefined;
  // Each interval's role, when the analysis read the same intervals the record lists (one lap each, in time order).
  const analysed = rules.structure?.roles;
  const roles = analysed && record.intervals && analysed.length === record.intervals.length && analysed.length > 0 ? analysed : undefined;
  // The summary rebuild and the card commit with the classification (outbox): a crash or a refusing
  // Redis after the commit cannot lose them.
  const staged = await deps.db.transaction().execute(async (trx) => {
    await setClassification(trx, row.id, row.rev, { sessionType, classification, mainSet: rules.structure?.mainSet ?? null, vdot, intervalSummary, roles });
    // Read after the classification is written, under its row lock: an upload webhook that arrives
    // later finds it classified and asks for the card itself (fetch-activity reads the row FOR SHARE,
    // so it waits for this commit), so one of the two always does.
    const announce = payload.notify || (await hasUploadEvent(trx, row.athlete_id, row.intervals_activity_id));
    const next: OutboxJob[] = [summaryRebuildJob(row.athlete_id, 'workout')];
    if (announce) next.push({ queue: 'notify-telegram', payload: { workoutId: row.id, kind: 'new' } });
    return stageJobs(trx, row.athlete_id, next);
  });
  await handOn(deps, staged);
  deps.log.info({ workoutId: row.id, sessionType, by: classification.method, confidence: classification.confidence }, 'classified');
  return { sessionType, by: classification.method, confidence: classification.confidence };
}

async function askLlm(deps: ClassifyDeps, workoutId: string, rev: number, record: Omit<WorkoutRecord, 'id'>, rules: ReturnType<typeof classifySession>) {
  const cached = await getLlmClassification(deps.db, workoutId, rev);
  if (cached && (RUN_SESSION_TYPES as readonly string[]).includes(cached.sessionType)) return cached;
  if (!deps.llm) return null;
  const prompt = promptFrom(
    { distanceKm: record.distance, movingTime: record.movingTime, avgHr: record.avgHr },
    rules.structure,
    rules.thresholds,
    { sessionType: rules.sessionType, confidence: round2(rules.confidence), reason: rules.reason },
  );
  const answer = await deps.llm.classify(prompt);
  if (!answer) {
    deps.log.warn({ workoutId }, 'llm gave no usable answer; keeping the rules');
    return null;
  }
  await putLlmClassification(deps.db, workoutId, rev, answer);
  return answer;
}

async function athleteRuns(db: Db, athleteId: string, exceptId: string): Promise<WorkoutRecord[]> {
  const { records } = await listWorkoutBriefs(db, athleteId, { limit: HISTORY_LIMIT, offset: 0 });
  return records.filter((r) => r.id !== exceptId && sportFamily(r.workoutType) === 'run');
}

/** This workout's VDOT when it is a race or a top effort of the athlete's history; else null. */
function vdotOf(id: string, record: Omit<WorkoutRecord, 'id'>, earlier: WorkoutRecord[]): number | null {
  const all = [...earlier, { ...record, id } as WorkoutRecord];
  return vdotEvidence(all).find((e) => e.workoutId === id)?.vdot ?? null;
}

const round2 = (v: number) => Math.round(v * 100) / 100;
