import { IntervalsIntervalSchema, IntervalsStreamSchema, type IntervalsInterval, type IntervalsStream } from '@splits/contracts';
import { listBestEfforts, loadBestEffortSources, upsertBestEfforts, type Db } from '@splits/db';
import { BEST_EFFORTS_VERSION, EFFORT_DAYS, parseStoredEfforts, RUN_WORKOUT_TYPES, workoutBestEfforts, type WorkoutBestEffortsInput } from '@splits/training';

/** Sources read per statement when runs need measuring (a first build after a long backfill). */
const MEASURE_BATCH = 25;

function parseAll<T>(schema: { safeParse(v: unknown): { success: true; data: T } | { success: false } }, list: unknown[] | null): T[] | null {
  if (!list) return null;
  const out: T[] = [];
  for (const v of list) {
    const p = schema.safeParse(v);
    if (p.success) out.push(p.data);
  }
  return out;
}

/**
 * The best efforts of the athlete's runs of the last year, for a summary build. Stored efforts are
 * read as they are (one query, no streams); a run measured on an older source or detection, or never
 * measured, is measured now from its stored time/distance streams (laps without them) and kept in
 * workout_best_effort, whose only writer this is. So a build reads streams once per run and source.
 */
export async function bestEffortsForSummary(db: Db, athleteId: string, now: Date): Promise<WorkoutBestEffortsInput[]> {
  // A day of slack each side of the 365 local days the summary keeps.
  const since = new Date(now.getTime() - (EFFORT_DAYS + 1) * 86_400_000).toISOString();
  const stored = await listBestEfforts(db, athleteId, since, RUN_WORKOUT_TYPES, BEST_EFFORTS_VERSION);
  const out: WorkoutBestEffortsInput[] = [];
  const stale: string[] = [];
  for (const s of stored) {
    if (s.stale) stale.push(s.workoutId);
    else out.push({ workoutId: s.workoutId, basis: s.basis === 'streams' || s.basis === 'laps' ? s.basis : null, efforts: parseStoredEfforts(s.efforts) });
  }
  for (let i = 0; i < stale.length; i += MEASURE_BATCH) {
    const sources = await loadBestEffortSources(db, athleteId, stale.slice(i, i + MEASURE_BATCH));
    const measured = sources.map((src) => {
      const m = workoutBestEfforts({
        streams: parseAll<IntervalsStream>(IntervalsStreamSchema, src.streams),
        laps: parseAll<IntervalsInterval>(IntervalsIntervalSchema, src.laps),
      });
      return { src, m };
    });
    await upsertBestEfforts(
      db,
      measured.map(({ src, m }) => ({ workoutId: src.workoutId, athleteId: src.athleteId, sourceFetchedAt: src.sourceFetchedAt, version: BEST_EFFORTS_VERSION, basis: m.basis, efforts: m.efforts })),
    );
    for (const { src, m } of measured) out.push({ workoutId: src.workoutId, basis: m.basis, efforts: m.efforts });
  }
  return out;
}
