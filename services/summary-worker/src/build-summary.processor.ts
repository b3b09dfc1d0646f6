import type { Logger } from 'pino';
import { metrics } from '@splits/telemetry';
import type { BuildSummaryJob } from '@splits/contracts';
import { loadSummarySources, storeAthleteSummary, type Db } from '@splits/db';
import { prepareSummary, summaryWindows, type SummaryInput } from '@splits/training';
import { bestEffortsForSummary } from './best-efforts.js';

export interface BuildSummaryDeps {
  db: Db;
  log: Logger;
  now?: () => Date;
}

export type BuildSummaryResult = { status: 'built'; version: number; workouts: number; sizeChars: number; buildMs: number } | { status: 'no_athlete' };

/**
 * Rebuilds one athlete's summary from what is stored (idempotent: the same data gives the same
 * content hash, so the version stays put; only builtAt moves). Reads and writes Postgres only.
 */
export async function rebuildAthleteSummary(db: Db, athleteId: string, now: Date, reason: string | null): Promise<BuildSummaryResult> {
  const started = performance.now();
  const [sources, bestEfforts] = await Promise.all([loadSummarySources(db, athleteId, (tz) => summaryWindows(now, tz)), bestEffortsForSummary(db, athleteId, now)]);
  if (!sources) return { status: 'no_athlete' };
  const built = prepareSummary({ ...sources, now, bestEfforts } as SummaryInput);
  const buildMs = Math.round((performance.now() - started) * 10) / 10;
  const { version } = await storeAthleteSummary(db, athleteId, { ...built, buildMs, reason });
  metrics().summaryBuild.observe(buildMs / 1000);
  return { status: 'built', version, workouts: sources.workouts.length, sizeChars: built.sizeChars, buildMs };
}

/** build-summary job: an athlete removed meanwhile is nothing to build (completes, no retry). */
export async function processBuildSummary(payload: BuildSummaryJob, deps: BuildSummaryDeps): Promise<BuildSummaryResult> {
  const result = await rebuildAthleteSummary(deps.db, payload.athleteId, deps.now?.() ?? new Date(), payload.reason ?? null);
  deps.log.info({ athleteId: payload.athleteId, reason: payload.reason, ...result }, 'summary built');
  return result;
}
