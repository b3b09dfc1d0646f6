import type { IntervalsInterval, IntervalsStream } from '@splits/contracts';
import { z } from 'zod';
import { MOVING_MS } from './splits.js';
import { MAX_RUN_MS, trackFromStreams } from './track.js';
import { num } from './units.js';

/**
 * Best efforts: the fastest continuous stretch of a run over a standard distance, and the farthest
 * over a standard duration. Pure; feeds the summary's records and can feed critical-speed fitting.
 */

export interface EffortTarget {
  /** "5K", "20 min": how athletes name it. */
  label: string;
  kind: 'distance' | 'duration';
  /** metres for a distance, seconds for a duration */
  value: number;
}

export const EFFORT_DISTANCES: readonly EffortTarget[] = [
  { label: '400 m', kind: 'distance', value: 400 },
  { label: '1K', kind: 'distance', value: 1000 },
  { label: '1 mile', kind: 'distance', value: 1609.344 },
  { label: '5K', kind: 'distance', value: 5000 },
  { label: '10K', kind: 'distance', value: 10_000 },
  { label: 'Half marathon', kind: 'distance', value: 21_097.5 },
  { label: 'Marathon', kind: 'distance', value: 42_195 },
];
export const EFFORT_DURATIONS: readonly EffortTarget[] = [5, 10, 20, 30, 60].map((m) => ({ label: `${m} min`, kind: 'duration' as const, value: m * 60 }));
export const EFFORT_TARGETS: readonly EffortTarget[] = [...EFFORT_DISTANCES, ...EFFORT_DURATIONS];

/**
 * Bumped whenever the detection changes, so efforts stored by an older rule are recomputed
 * (the summary worker keeps them per workout).
 */
export const BEST_EFFORTS_VERSION = 1;

/** (time s, distance m) samples: time strictly increasing (pauses included), distance never decreasing. */
export interface EffortSamples {
  time: ArrayLike<number>;
  distance: ArrayLike<number>;
  /** Defaults to time.length (a Track may hold spare room past its length). */
  length?: number;
}

export interface StretchEffort {
  label: string;
  kind: 'distance' | 'duration';
  /** Metres covered: the target itself for a distance effort. */
  distanceM: number;
  /** Seconds taken, pauses inside the stretch included: the target itself for a duration effort. */
  timeSec: number;
  /** Where the stretch starts: seconds and metres after the first sample. */
  startSec: number;
  startM: number;
}

const r1 = (v: number) => Math.round(v * 10) / 10;

/** Time at distance `x` inside step i → i+1 (speed constant within a step). */
function timeAt(t: ArrayLike<number>, d: ArrayLike<number>, i: number, x: number): number {
  const dd = d[i + 1]! - d[i]!;
  return dd > 0 ? t[i]! + ((x - d[i]!) / dd) * (t[i + 1]! - t[i]!) : t[i]!;
}
/** Distance at time `x` inside step i → i+1. */
function distAt(t: ArrayLike<number>, d: ArrayLike<number>, i: number, x: number): number {
  return d[i]! + ((x - t[i]!) / (t[i + 1]! - t[i]!)) * (d[i + 1]! - d[i]!);
}

/**
 * The fastest stretch over `metres`: O(n) with two pointers, trying every stretch that ends on a
 * sample (its start interpolated) and every one that starts on a sample (its end interpolated); on
 * a piecewise-linear path the best stretch has one end on a sample, so laps work as well as 1 Hz.
 */
function fastestOver(t: ArrayLike<number>, d: ArrayLike<number>, n: number, metres: number): { time: number; start: number; startM: number } | null {
  if (n < 2 || d[n - 1]! - d[0]! < metres) return null;
  let best: { time: number; start: number; startM: number } | null = null;
  let i = 0;
  for (let j = 1; j < n; j++) {
    if (d[j]! - d[0]! < metres) continue;
    while (d[j]! - d[i + 1]! >= metres) i++;
    const start = timeAt(t, d, i, d[j]! - metres);
    if (!best || t[j]! - start < best.time) best = { time: t[j]! - start, start, startM: d[j]! - metres };
  }
  let j = 0;
  for (let s = 0; s < n - 1; s++) {
    const goal = d[s]! + metres;
    if (goal > d[n - 1]!) break;
    if (j < s) j = s;
    while (d[j + 1]! < goal) j++;
    const end = timeAt(t, d, j, goal);
    if (!best || end - t[s]! < best.time) best = { time: end - t[s]!, start: t[s]!, startM: d[s]! };
  }
  return best;
}

/** The farthest stretch in `secs`: the same two passes on the time axis. */
function farthestIn(t: ArrayLike<number>, d: ArrayLike<number>, n: number, secs: number): { metres: number; start: number; startM: number } | null {
  if (n < 2 || t[n - 1]! - t[0]! < secs) return null;
  let best: { metres: number; start: number; startM: number } | null = null;
  let i = 0;
  for (let j = 1; j < n; j++) {
    if (t[j]! - t[0]! < secs) continue;
    while (t[j]! - t[i + 1]! >= secs) i++;
    const startM = distAt(t, d, i, t[j]! - secs);
    if (!best || d[j]! - startM > best.metres) best = { metres: d[j]! - startM, start: t[j]! - secs, startM };
  }
  let j = 0;
  for (let s = 0; s < n - 1; s++) {
    const goal = t[s]! + secs;
    if (goal > t[n - 1]!) break;
    if (j < s) j = s;
    while (t[j + 1]! < goal) j++;
    const metres = distAt(t, d, j, goal) - d[s]!;
    if (!best || metres > best.metres) best = { metres, start: t[s]!, startM: d[s]! };
  }
  return best;
}

/**
 * Best efforts of one run from its (time, distance) samples, one per target the run is long
 * enough for, in the targets' order. Samples must already be clean (see `cleanTrack`): a stretch is
 * only as honest as the distance it is measured on.
 */
export function bestEfforts(samples: EffortSamples, targets: readonly EffortTarget[] = EFFORT_TARGETS): StretchEffort[] {
  const t = samples.time;
  const d = samples.distance;
  const n = samples.length ?? t.length;
  const t0 = n > 0 ? t[0]! : 0;
  const d0 = n > 0 ? d[0]! : 0;
  const out: StretchEffort[] = [];
  for (const target of targets) {
    if (target.kind === 'distance') {
      const b = fastestOver(t, d, n, target.value);
      if (!b) continue;
      out.push({ label: target.label, kind: 'distance', distanceM: target.value, timeSec: r1(b.time), startSec: r1(b.start - t0), startM: r1(b.startM - d0) });
    } else {
      const b = farthestIn(t, d, n, target.value);
      if (!b || b.metres <= 0) continue;
      out.push({ label: target.label, kind: 'duration', distanceM: r1(b.metres), timeSec: target.value, startSec: r1(b.start - t0), startM: r1(b.startM - d0) });
    }
  }
  return out;
}

/**
 * (time, distance) samples at lap boundaries, for a run without streams: each lap's elapsed time
 * (moving time when elapsed is unknown) and distance, in order. A lap faster than 10 m/s (the
 * streams' spike rule) adds its time but not its distance. null when no lap has both.
 */
export function samplesFromLaps(laps: readonly IntervalsInterval[]): EffortSamples | null {
  const sorted = [...laps].sort((a, b) => (a.start_index ?? a.start_time ?? 0) - (b.start_index ?? b.start_time ?? 0));
  const time = [0];
  const distance = [0];
  for (const lap of sorted) {
    const secs = num(lap.elapsed_time) ?? num(lap.moving_time);
    const metres = num(lap.distance);
    if (secs === null || secs <= 0 || metres === null || metres < 0) continue;
    time.push(time.at(-1)! + secs);
    distance.push(distance.at(-1)! + (metres / secs > MAX_RUN_MS ? 0 : metres));
  }
  return time.length > 1 ? { time, distance } : null;
}

export interface WorkoutEfforts {
  /** What the stretches were measured on: 1 Hz streams, or lap totals (even pace within a lap). */
  basis: 'streams' | 'laps' | null;
  efforts: StretchEffort[];
}

/**
 * A run's best efforts from what Intervals.icu gave: the distance/time streams (spike-filtered as
 * the km splits are), or its laps when there is no distance stream. Laps can only understate a
 * stretch (pace is even inside a lap), never make it faster than it was run.
 */
export function workoutBestEfforts(input: { streams?: readonly IntervalsStream[] | null; laps?: readonly IntervalsInterval[] | null }): WorkoutEfforts {
  const track = trackFromStreams(input.streams, MOVING_MS);
  if (track && track.length > 1 && track.distance[track.length - 1]! > 0) return { basis: 'streams', efforts: bestEfforts(track) };
  const laps = input.laps?.length ? samplesFromLaps(input.laps) : null;
  if (laps) return { basis: 'laps', efforts: bestEfforts(laps) };
  return { basis: null, efforts: [] };
}

/** A stored effort read back (the summary worker keeps them as JSON): anything malformed is dropped. */
export const StretchEffortSchema = z.object({
  label: z.string(),
  kind: z.enum(['distance', 'duration']),
  distanceM: z.number().nonnegative(),
  timeSec: z.number().positive(),
  startSec: z.number(),
  startM: z.number(),
});

export function parseStoredEfforts(value: unknown): StretchEffort[] {
  if (!Array.isArray(value)) return [];
  const out: StretchEffort[] = [];
  for (const v of value) {
    const p = StretchEffortSchema.safeParse(v);
    if (p.success) out.push(p.data);
  }
  return out;
}
