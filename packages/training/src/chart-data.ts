import type { WorkoutRecord } from '@splits/contracts';
import { detectReps, lapsFromRecord } from './laps.js';
import { sportFamily } from './units.js';

/** What the card's chart shows: one bar (pace) and one point (HR) per km or per work interval. */
export interface ChartSeries {
  kind: 'splits' | 'intervals';
  labels: string[];
  /** min/km; null where the source had no pace. */
  pace: (number | null)[];
  /** bpm; null where the source had no HR. */
  hr: (number | null)[];
}

/** "5:10/km" → 5.1667; anything else → null. */
export function paceToMinutes(pace: string | null | undefined): number | null {
  const m = /^(\d+):(\d{2})/.exec(pace ?? '');
  return m ? Number(m[1]) + Number(m[2]) / 60 : null;
}

/**
 * Runs only: the reps of the main set when there are at least two (the main set is the story),
 * otherwise the km splits when there are at least two. Null when there is nothing worth drawing.
 */
export function chartSeriesOf(record: WorkoutRecord): ChartSeries | null {
  if (sportFamily(record.workoutType) !== 'run') return null;
  // The reps of the main set (Intervals.icu also types a warm-up as WORK), else the WORK laps.
  const all = record.intervals ?? [];
  const reps = detectReps(lapsFromRecord(all));
  const work = reps ? reps.reps.map((i) => all[i]!) : all.filter((i) => i.type === 'WORK');
  if (work.length >= 2) {
    return {
      kind: 'intervals',
      labels: work.map((_, i) => String(i + 1)),
      pace: work.map((i) => paceToMinutes(i.pace) ?? (i.distance && i.moving_time ? i.moving_time / 60 / (i.distance / 1000) : null)),
      hr: work.map((i) => i.avg_hr),
    };
  }
  const splits = record.splitsKm ?? [];
  if (splits.length >= 2) {
    return {
      kind: 'splits',
      labels: splits.map((s) => String(s.km)),
      pace: splits.map((s) => paceToMinutes(s.pace)),
      hr: splits.map((s) => s.avgHr ?? null),
    };
  }
  return null;
}
