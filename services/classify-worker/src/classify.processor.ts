import { UnrecoverableError } from 'bullmq';
import type { Logger } from 'pino';
import { RUN_SESSION_TYPES, type ClassifyJob, type IntervalsActivity, type SessionClassification, type StoredClassification, type WorkoutRecord } from '@splits/contracts';
import {
  getActivityJson,
  getLlmClassification,
  getThresholds,
  getWorkoutRow,
  hasRunsBetween,
  hasLlmConsent,
  hasUploadEvent,
  isRacePlanned,
  listPaceModels,
  listRunsBetween,
  putLlmClassification,
  setClassification,
  type Db,
} from '@splits/db';
import { handOn, stageJobs, summaryRebuildJob, type OutboxJob, type Queues } from '@splits/queue';
import { CALIBRATION_DAYS, classificationInputs, classifySession, formatPace, RUN_WORKOUT_TYPES, sportFamily, vdotEvidence, type Classification, type ClassificationInputs } from '@splits/training';
import { promptFrom, type SessionClassifier } from './llm-classifier.js';

export interface ClassifyDeps {
  db: Db;
  queues: Queues;
  log: Logger;
  llm: SessionClassifier | null;
  llmBelowConfidence: number;
}

/** The history the rules and the calibration read: the runs of this many days before the workout. */
const HISTORY_DAYS = Math.max(CALIBRATION_DAYS, 120);
const DAY = 86_400_000;
const HARD_SESSIONS = new Set(['Threshold', 'Interval', 'Repetition', 'Race']);
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
  const at = new Date(record.date);
  // The reads are independent of each other: one round trip's wait, not five. History is as of the
  // workout's start, from the runs before it: not "now", not the newest N, so the same activities
  // give the same answer whatever order they arrived in (the recalibration does the rest).
  const [activityJson, thresholds, runs, models, plannedRace] = await Promise.all([
    getActivityJson(deps.db, row.athlete_id, row.intervals_activity_id),
    isRun ? getThresholds(deps.db, row.athlete_id, record.workoutType) : null,
    isRun ? listRunsBetween(deps.db, row.athlete_id, RUN_WORKOUT_TYPES, new Date(at.getTime() - HISTORY_DAYS * DAY), at) : [],
    isRun ? listPaceModels(deps.db, row.athlete_id, 'Run', new Date(at.getTime() - 8 * DAY).toISOString().slice(0, 10)) : [],
    isRun && record.localDate ? isRacePlanned(deps.db, row.athlete_id, record.localDate) : false,
  ]);
  const activity = (activityJson as IntervalsActivity | null) ?? null;
  const earlier = runs.map((r) => r.record).filter((r) => r.id !== row.id);
  const inputs = isRun ? classificationInputs(earlier, at, thresholds, activity, models) : null;
  const rules = classifySession(record, activity, { thresholds, history: inputs?.history ?? null, calibration: inputs?.calibration ?? null, plannedRace });

  // The reason in English (assistants read it) and without words (each reader renders it in its language).
  let classification: StoredClassification = {
    method: 'rules',
    confidence: round2(rules.confidence),
    reason: rules.reason,
    reasonCode: rules.why.code,
    reasonParams: rules.why.params,
    ...thresholdFields(rules, inputs),
  };
  let sessionType = rules.sessionType;
  const unsure = isRun && rules.confidence < deps.llmBelowConfidence;
  if (unsure) {
    // Session data goes to the LLM provider only with the athlete's own consent (off until given).
    const answer = (await hasLlmConsent(deps.db, row.athlete_id)) ? await askLlm(deps, row.id, row.rev, record, rules) : null;
    if (answer) {
      sessionType = answer.sessionType;
      // The model's own words stay in `reason` (English); in other languages the card says the model decided.
      classification = { method: 'llm', confidence: round2(answer.confidence), reason: answer.reason, reasonCode: 'llm', reasonParams: {}, ...thresholdFields(rules, inputs) };
    } else {
      classification = { ...classification, confidence: Math.min(classification.confidence, UNSURE_CONFIDENCE) };
    }
  }

  // A race's VDOT comes from its raced block: this classification's main set, not the stored one.
  const vdot = isRun ? vdotOf(row.id, { ...record, sessionType, mainSet: rules.structure?.mainSet ?? null }, earlier) : null;
  // The structure analysis judged work and recovery from the intensity profile: its summary replaces
  // the record's first guess (which leaned on Intervals.icu's own WORK/RECOVERY typing).
  const intervalSummary = rules.structure?.intervalSummary ?? undefined;
  // Each interval's role, when the analysis read the same intervals the record lists (one lap each, in time order).
  const analysed = rules.structure?.roles;
  const roles = analysed && record.intervals && analysed.length === record.intervals.length && analysed.length > 0 ? analysed : undefined;
  // The summary rebuild and the card commit with the classification (outbox): a crash or a refusing
  // Redis after the commit cannot lose them.
  const staged = await deps.db.transaction().execute(async (trx) => {
    await setClassification(trx, row.id, row.rev, { sessionType, classification, mainSet: rules.structure?.mainSet ?? null, vdot, intervalSummary, roles, classifiedWith: inputs?.key ?? null });
    // Read after the classification is written, under its row lock: an upload webhook that arrives
    // later finds it classified and asks for the card itself (fetch-activity reads the row FOR SHARE,
    // so it waits for this commit), so one of the two always does.
    const announce = payload.notify || (await hasUploadEvent(trx, row.athlete_id, row.intervals_activity_id));
    const next: OutboxJob[] = [summaryRebuildJob(row.athlete_id, 'workout')];
    if (announce) next.push({ queue: 'notify-telegram', payload: { workoutId: row.id, kind: 'new' } });
    // A run older than runs already stored (a backfill, a late upload) moves their calibration and
    // history: the recalibration (debounced per athlete) classifies again the ones whose inputs moved.
    if (isRun && !payload.inputs && (await hasRunsBetween(trx, row.athlete_id, RUN_WORKOUT_TYPES, at, new Date(at.getTime() + HISTORY_DAYS * DAY)))) {
      next.push({ queue: 'recalibrate', payload: { athleteId: row.athlete_id } });
    }
    // A recent run: Intervals.icu's pace curve may have moved (at once after a hard session, else
    // once a day; the fetch-worker reads it, debounced per athlete).
    if (isRun && !payload.inputs && Date.now() - at.getTime() < 2 * DAY) {
      next.push({ queue: 'sync-pace-model', payload: { athleteId: row.athlete_id, reason: HARD_SESSIONS.has(sessionType) ? 'hard_session' : 'daily' } });
    }
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

/** Which threshold the rules judged a run against, for the record (assistants, the card). */
function thresholdFields(rules: Classification, inputs: ClassificationInputs | null): Partial<SessionClassification> {
  if (!rules.thresholds || !inputs) return {};
  const pace = (mps: number | null) => (mps ? `${formatPace(1000 / mps / 60)}/km` : null);
  const used = rules.thresholds.thresholdSpeed;
  const settings = inputs.calibration.settingsSpeed;
  return {
    thresholdSource: rules.thresholds.source.pace ?? 'none',
    thresholdPace: pace(used),
    settingsThresholdPace: settings !== null && used !== null && Math.abs(settings / used - 1) >= 0.005 ? pace(settings) : null,
    staleSettings: inputs.staleSettings,
  };
}

/** This workout's VDOT when it is a race or a top effort of the athlete's history; else null. */
function vdotOf(id: string, record: Omit<WorkoutRecord, 'id'>, earlier: WorkoutRecord[]): number | null {
  const all = [...earlier, { ...record, id } as WorkoutRecord];
  return vdotEvidence(all).find((e) => e.workoutId === id)?.vdot ?? null;
}

const round2 = (v: number) => Math.round(v * 100) / 100;
