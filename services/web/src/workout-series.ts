import type { RecordInterval } from '@splits/contracts';

/** What the workout chart draws: samples over elapsed time, downsampled, and the laps shaded by role. */
export interface WorkoutSeries {
  /** s from the start */
  t: number[];
  /** runs: min/km (null while standing) */
  pace: (number | null)[] | null;
  /** other sports: km/h */
  speed: (number | null)[] | null;
  hr: (number | null)[] | null;
  /** m */
  alt: (number | null)[] | null;
  laps: { start: number; end: number; role: string }[];
}

interface WireStream {
  type?: unknown;
  data?: unknown;
}
interface SourceInterval {
  start_time?: number | null;
  end_time?: number | null;
  start_index?: number | null;
  moving_time?: number | null;
  elapsed_time?: number | null;
}

const numbers = (v: unknown): (number | null)[] | null =>
  Array.isArray(v) ? v.map((x) => (typeof x === 'number' && Number.isFinite(x) ? x : null)) : null;

function stream(streams: unknown, type: string): (number | null)[] | null {
  if (!Array.isArray(streams)) return null;
  const s = (streams as WireStream[]).find((x) => x && x.type === type);
  return s ? numbers(s.data) : null;
}

/** Mean of each bucket of `k` samples (nulls skipped; a bucket of nulls stays null). */
function bucket(values: (number | null)[], k: number): (number | null)[] {
  const out: (number | null)[] = [];
  for (let i = 0; i < values.length; i += k) {
    let sum = 0;
    let n = 0;
    for (let j = i; j < Math.min(values.length, i + k); j++) {
      const v = values[j];
      if (v !== null && v !== undefined) {
        sum += v;
        n++;
      }
    }
    out.push(n ? Math.round((sum / n) * 100) / 100 : null);
  }
  return out;
}

/** Intervals.icu's intervals (laps) in the order the record lists them (recordIntervals sorts the same way). */
export function sourceIntervalsOf(activity: unknown, intervals: unknown): SourceInterval[] {
  const fromIntervals = (intervals as { icu_intervals?: unknown } | null)?.icu_intervals;
  const fromActivity = (activity as { icu_intervals?: unknown } | null)?.icu_intervals;
  const list = (Array.isArray(fromIntervals) ? fromIntervals : Array.isArray(fromActivity) ? fromActivity : []) as SourceInterval[];
  return [...list].sort((a, b) => (a.start_index ?? a.start_time ?? 0) - (b.start_index ?? b.start_time ?? 0));
}

/**
 * The chart's data from the stored streams (Intervals.icu's wire format: `[{type, data}]`), at most
 * `maxPoints` samples. Pace is derived from velocity_smooth for runs only; a speed under 0.5 m/s
 * (standing) has no pace. Laps come from the source's start/end times, their roles from the record.
 */
export function seriesFromStreams(
  streams: unknown,
  record: { workoutType: string; intervals?: RecordInterval[] },
  laps: SourceInterval[],
  maxPoints = 1200,
): WorkoutSeries {
  const time = stream(streams, 'time');
  const empty: WorkoutSeries = { t: [], pace: null, speed: null, hr: null, alt: null, laps: [] };
  if (!time || time.length === 0) return empty;
  const k = Math.max(1, Math.ceil(time.length / maxPoints));
  const run = /Run/.test(record.workoutType);
  const vel = stream(streams, 'velocity_smooth');
  const pick = (a: (number | null)[] | null) => (a && a.some((v) => v !== null) ? bucket(a, k) : null);
  const roles = record.intervals ?? [];
  const lapList: WorkoutSeries['laps'] = [];
  let cursor = 0;
  laps.forEach((l, i) => {
    const start = l.start_time ?? cursor;
    const end = l.end_time ?? start + (l.elapsed_time ?? l.moving_time ?? 0);
    cursor = end;
    const role = roles[i]?.role ?? (roles[i]?.type === 'WORK' ? 'work' : 'steady');
    if (end > start) lapList.push({ start, end, role });
  });
  return {
    t: bucket(time, k).map((v) => v ?? 0),
    pace: run && vel ? pick(vel.map((v) => (v !== null && v >= 0.5 ? 1000 / v / 60 : null))) : null,
    speed: !run && vel ? pick(vel.map((v) => (v === null ? null : v * 3.6))) : null,
    hr: pick(stream(streams, 'heartrate')),
    alt: pick(stream(streams, 'altitude')),
    laps: lapList,
  };
}
