import type { Logger } from 'pino';
import type { RecalibrateJob } from '@splits/contracts';
import { getThresholds, listActivityStamps, listPaceModels, listRunsBetween, type Db } from '@splits/db';
import { handOn, stageJobs, type OutboxJob, type Queues } from '@splits/queue';
import { CALIBRATION_DAYS, classificationInputs, inputsHash, RUN_WORKOUT_TYPES } from '@splits/training';

export interface RecalibrateDeps {
  db: Db;
  queues: Queues;
  log: Logger;
}

/** How far back the walk reaches: older runs no longer matter to any calibration an assistant reads. */
const WALK_DAYS = 400;
const DAY = 86_400_000;

/**
 * recalibrate: walks the athlete's runs oldest first and, for each, computes what its classification
 * would read now (calibration and history as of its start, from the runs stored before it); every run
 * whose inputs differ from what it was classified with gets a classify job (silent: no new card).
 * Labels never feed the calibration, so one walk is enough, and the same activities end with the same
 * labels whatever order they arrived in. The classify jobs rebuild the summary (debounced: once).
 */
export async function processRecalibrate(payload: RecalibrateJob, deps: RecalibrateDeps) {
  const now = Date.now();
  const runs = await listRunsBetween(deps.db, payload.athleteId, RUN_WORKOUT_TYPES, new Date(now - (WALK_DAYS + Math.max(CALIBRATION_DAYS, 120)) * DAY), new Date(now + DAY));
  const models = await listPaceModels(deps.db, payload.athleteId, 'Run', new Date(now - (WALK_DAYS + 8) * DAY).toISOString().slice(0, 10));
  const records = runs.map((r) => r.record);
  const walked = runs.filter((run) => new Date(run.record.date).getTime() >= now - WALK_DAYS * DAY);
  const types = [...new Set(walked.map((r) => r.record.workoutType))];
  const settingsByType = new Map(await Promise.all(types.map(async (type) => [type, await getThresholds(deps.db, payload.athleteId, type)] as const)));
  // The activities' stamps count only without settings (classificationInputs): read, in one go, only for those runs.
  const unset = walked.filter((r) => !settingsByType.get(r.record.workoutType)).map((r) => r.record.intervalsActivityId);
  const stamps = await listActivityStamps(deps.db, payload.athleteId, unset);
  const next: OutboxJob[] = [];
  for (const run of walked) {
    const settings = settingsByType.get(run.record.workoutType) ?? null;
    const inputs = classificationInputs(records, new Date(run.record.date), settings, settings ? null : (stamps.get(run.record.intervalsActivityId) ?? null), models);
    if (inputs.key !== run.classifiedWith) next.push({ queue: 'classify', payload: { workoutId: run.id, rev: run.rev, notify: false, inputs: inputsHash(inputs.key) } });
  }
  if (next.length) {
    const staged = await deps.db.transaction().execute((trx) => stageJobs(trx, payload.athleteId, next));
    await handOn(deps, staged);
  }
  deps.log.info({ athleteId: payload.athleteId, runs: runs.length, reclassify: next.length }, 'recalibrated');
  return { runs: runs.length, reclassify: next.length };
}
