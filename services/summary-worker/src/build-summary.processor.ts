import type { Logger } from 'pino';
import type { BuildSummaryJob, WorkoutRecord } from '@splits/contracts';
import { listWorkoutsForSummary, saveAthleteSummary, type Db } from '@splits/db';
import { buildAthleteSummary } from '@splits/training';

export interface BuildSummaryDeps {
  db: Db;
  log: Logger;
  now?: () => Date;
}

const HISTORY_DAYS = 26 * 7 + 7;

/** build-summary: rebuild the athlete's summary document from their records (idempotent). */
export async function processBuildSummary(payload: BuildSummaryJob, deps: BuildSummaryDeps) {
  const now = deps.now?.() ?? new Date();
  const since = new Date(now.getTime() - HISTORY_DAYS * 86_400_000).toISOString();
  const rows = await listWorkoutsForSummary(deps.db, payload.athleteId, since);
  const records = rows.map((r) => ({ ...(r.record as object), id: r.id }) as WorkoutRecord);
  const document = buildAthleteSummary(records, now);
  const version = await saveAthleteSummary(deps.db, payload.athleteId, document);
  deps.log.info({ athleteId: payload.athleteId, workouts: records.length, version }, 'summary built');
  return { version, workouts: records.length };
}
