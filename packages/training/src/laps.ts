import type { IntervalsInterval, RecordInterval } from '@splits/contracts';
import { num } from './units.js';

/** One lap or interval in the units the rules reason in (s, m, m/s, W, bpm). */
export interface Lap {
  type: string | null;
  movingTime: number | null;
  elapsedTime: number | null;
  distance: number | null;
  speed: number | null;
  /** Grade-adjusted speed, m/s, when the source computed it. */
  gap: number | null;
  watts: number | null;
  hr: number | null;
  groupId: string | null;
}

export function lapsFromIntervals(intervals: readonly IntervalsInterval[]): Lap[] {
  return [...intervals]
    .sort((a, b) => (a.start_index ?? a.start_time ?? 0) - (b.start_index ?? b.start_time ?? 0))
    .map((i) => {
      const movingTime = num(i.moving_time);
      const distance = num(i.distance);
      return {
        type: i.type ?? null,
        movingTime,
        elapsedTime: num(i.elapsed_time),
        distance,
        speed: num(i.average_speed) ?? (distance !== null && movingTime ? distance / movingTime : null),
        gap: num(i.gap),
        watts: num(i.average_watts),
        hr: num(i.average_heartrate),
        groupId: i.group_id ?? null,
      };
    });
}

/** The record's own interval list (already in order), for classifying from a stored record. */
export function lapsFromRecord(intervals: readonly RecordInterval[]): Lap[] {
  return intervals.map((i) => ({
    type: i.type,
    movingTime: i.moving_time,
    elapsedTime: null,
    distance: i.distance,
    speed: i.distance !== null && i.moving_time ? i.distance / i.moving_time : null,
    gap: null,
    watts: i.avg_watts,
    hr: i.avg_hr,
    groupId: null,
  }));
}

/** Repeated work efforts that alternate with easier stretches: the "structure" of a session. */
export interface RepStructure {
  /** Indexes into the laps, in order. */
  reps: number[];
  /** For each pair of consecutive reps, the indexes of the laps between them. */
  gaps: number[][];
}

const SIMILAR_TIME = 0.15; // ±15 % (at least ±10 s) counts as "the same rep length"
const SIMILAR_DIST = 0.08; // ±8 % (at least ±20 m)
const SIMILAR_EFFORT = 0.12; // reps of one set are within ±12 % of each other's pace or power
const EASIER = 0.9; // what lies between reps is at most 90 % of the reps' effort

/**
 * Finds the largest set of similar reps (by group, by duration or by distance) that alternate
 * with easier laps. Rides compare power first, everything else speed. Evenly split laps (km laps
 * of an easy run) never qualify: nothing easier lies between them.
 */
export function detectReps(laps: readonly Lap[], preferPower = false): RepStructure | null {
  const effort = (l: Lap) => (preferPower ? (l.watts ?? l.speed) : (l.speed ?? l.watts));
  const close = (a: number | null, b: number | null, rel: number, abs: number) =>
    a !== null && b !== null && Math.abs(a - b) <= Math.max(abs, rel * b);
  const sameEffort = (a: Lap, b: Lap) => {
    const ea = effort(a);
    const eb = effort(b);
    return ea === null || eb === null || Math.abs(ea - eb) <= SIMILAR_EFFORT * eb;
  };

  const candidates: number[][] = [];
  const groups = new Map<string, number[]>();
  laps.forEach((l, k) => l.groupId && l.type !== 'RECOVERY' && groups.set(l.groupId, [...(groups.get(l.groupId) ?? []), k]));
  candidates.push(...groups.values());
  laps.forEach((seed) => {
    const byTime: number[] = [];
    const byDist: number[] = [];
    laps.forEach((l, k) => {
      if (!sameEffort(l, seed)) return;
      if (close(l.movingTime, seed.movingTime, SIMILAR_TIME, 10)) byTime.push(k);
      if (close(l.distance, seed.distance, SIMILAR_DIST, 20)) byDist.push(k);
    });
    candidates.push(byTime, byDist);
  });

  let best: RepStructure | null = null;
  let bestEffort = -Infinity;
  for (const reps of candidates) {
    if (reps.length < 2 || (best && reps.length < best.reps.length)) continue;
    const s = validate(laps, reps, effort);
    if (!s) continue;
    const e = mean(reps.map((k) => effort(laps[k] as Lap) ?? 0));
    if (!best || reps.length > best.reps.length || e > bestEffort) {
      best = s;
      bestEffort = e;
    }
  }
  return best;
}

function validate(laps: readonly Lap[], reps: number[], effort: (l: Lap) => number | null): RepStructure | null {
  const efforts = reps.map((k) => effort(laps[k] as Lap));
  const known = efforts.every((e) => e !== null);
  const repEffort = known ? Math.min(...(efforts as number[])) : null;
  const gaps: number[][] = [];
  for (let r = 1; r < reps.length; r++) {
    const gap: number[] = [];
    for (let k = (reps[r - 1] as number) + 1; k < (reps[r] as number); k++) gap.push(k);
    if (gap.length === 0) return null;
    for (const k of gap) {
      const l = laps[k] as Lap;
      const e = effort(l);
      // Without pace or power, trust Intervals.icu's own WORK/RECOVERY typing.
      const easier = repEffort !== null ? e === null || e <= EASIER * repEffort : l.type === 'RECOVERY';
      if (!easier) return null;
    }
    gaps.push(gap);
  }
  if (repEffort === null && reps.some((k) => laps[k]?.type !== 'WORK')) return null;
  return { reps, gaps };
}

const mean = (v: number[]) => (v.length ? v.reduce((a, b) => a + b, 0) / v.length : 0);
