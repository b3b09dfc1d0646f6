import type { MainSet, ReasonSet } from '@splits/contracts';
import { formatRepTime, roundRepDistance, roundRepTime, type IntervalSummary } from '../interval-summary.js';
import { formatSetRecovery, formatSetWork } from '../set-text.js';
import type { Lap } from '../laps.js';
import { cv, formatPace, GPS_MAX_RUN_SPEED, median, round, weightedMean } from '../units.js';
import type { RunThresholds } from './thresholds.js';

export type LapRole = 'warmup' | 'work' | 'recovery' | 'cooldown' | 'steady';

/** Consecutive laps of one role, with their time-weighted averages. */
export interface Segment {
  role: LapRole;
  /** Indexes into StructureAnalysis.laps. */
  laps: number[];
  movingTime: number;
  distance: number | null;
  speed: number | null;
  hr: number | null;
  watts: number | null;
  /** Effort relative to threshold (1 = threshold pace, or LTHR on the HR basis). */
  effort: number | null;
}

export interface StructureAnalysis {
  /** The laps in time order, GPS spikes removed (speed null). */
  laps: Lap[];
  /** One role per lap. */
  roles: LapRole[];
  /** Effort per lap relative to threshold, null when unknown. */
  efforts: Array<number | null>;
  /** What effort is measured by: pace vs threshold pace, HR vs LTHR, or the session's own median. */
  basis: 'pace' | 'hr' | 'relative' | null;
  segments: Segment[];
  work: Segment[];
  recovery: Segment[];
  /** Strides: short fast bursts after an easy run, not a session of their own. */
  strides: Segment[];
  pattern: 'reps' | 'continuous' | 'steady';
  /** The set in numbers (what intervalSummary says in English), for a reason in any language. */
  set: ReasonSet | null;
  intervalSummary: IntervalSummary | null;
  mainSet: MainSet | null;
}

/** Effort (× threshold) from which a lap is work; Daniels' T pace starts around 0.92–0.95 of it. */
const WORK_PACE = 0.92;
const WORK_HR = 0.93;
/** Without thresholds: this much faster than the session's median lap. */
const WORK_RELATIVE = 1.14;
/** A lap faster than this × threshold for more than 90 s (or than GPS_MAX_RUN_SPEED) is a GPS artefact, not running. */
const SPIKE_REL = 1.45;
/** HR lags: below this lap length HR says nothing about the effort. */
const HR_MIN_SECS = 90;
const STRIDE_MAX_SECS = 32;

/**
 * Work and recovery from the intensity profile of the laps (pace, else HR, against the athlete's
 * thresholds, and against the neighbouring laps) — never from Intervals.icu's WORK/RECOVERY
 * typing, which calls warm-ups work and hides efforts in recovery laps.
 *
 * Pure: `laps` in any order (sorted here by start), `t` from resolveThresholds(). Returns the
 * role of every lap, the work/recovery segments, `intervalSummary` (`{work:"4 x 8 min",
 * recovery:"2 min jog"}`, null for a steady run) and the main set (pace, HR, power).
 */
export function analyzeStructure(inputLaps: readonly Lap[], t: Pick<RunThresholds, 'thresholdSpeed' | 'lthr'>): StructureAnalysis {
  const laps = inputLaps.filter((l) => (l.movingTime ?? 0) > 0).map((l) => cleanSpike(l, t.thresholdSpeed));
  const speedOf = (l: Lap) => l.gap ?? l.speed;
  const timeWithSpeed = laps.reduce((a, l) => a + (speedOf(l) !== null ? (l.movingTime as number) : 0), 0);
  const total = laps.reduce((a, l) => a + (l.movingTime as number), 0);
  const paceUsable = total > 0 && timeWithSpeed / total >= 0.6;
  const hrUsable = t.lthr !== null && laps.some((l) => l.hr !== null);

  let basis: StructureAnalysis['basis'] = null;
  let efforts: Array<number | null> = laps.map(() => null);
  if (paceUsable && t.thresholdSpeed) {
    basis = 'pace';
    efforts = laps.map((l) => (speedOf(l) !== null ? (speedOf(l) as number) / (t.thresholdSpeed as number) : null));
  } else if (hrUsable) {
    basis = 'hr';
    efforts = laps.map((l) => (l.hr !== null ? l.hr / (t.lthr as number) : null));
  } else if (paceUsable) {
    basis = 'relative';
    // The easier end of the run (time-weighted 25th percentile) is the reference: a race with a
    // warm-up spends most of its time fast, so the median would hide it.
    const ref = weightedQuantile(laps.map((l) => [speedOf(l), l.movingTime as number]), 0.25);
    efforts = laps.map((l) => (speedOf(l) !== null && ref ? (speedOf(l) as number) / ref : null));
  }
  const cut = basis === 'pace' ? WORK_PACE : basis === 'hr' ? WORK_HR : WORK_RELATIVE;

  const hard = laps.map((l, k) => {
    const e = efforts[k];
    if (e === null || e === undefined || e < cut) return false;
    if (basis === 'hr' && (l.movingTime as number) < HR_MIN_SECS) return false;
    // A long "fast" lap with an easy heart rate is downhill or a bad GPS track, not work.
    if (basis === 'pace' && t.lthr && l.hr !== null && (l.movingTime as number) >= 180 && l.hr / t.lthr < 0.86) return false;
    return true;
  });
  // One or two slightly slower laps inside a hard block (an uphill km of a race, a fading km
  // of a marathon) belong to the block; a recovery jog is far slower than this.
  for (let k = 1; k < laps.length - 1; k++) {
    if (hard[k] || !hard[k - 1]) continue;
    for (const width of [1, 2]) {
      const end = k + width;
      if (end >= laps.length || !hard[end]) continue;
      const inside = efforts.slice(k, end);
      const edge = Math.min(efforts[k - 1] ?? 0, efforts[end] ?? 0);
      // A lap of unknown effort (a GPS spike removed, a dropout) between hard laps says nothing against the block.
      if (inside.every((b) => b == null || (b >= cut - 0.05 && b >= 0.93 * edge))) for (let j = k; j < end; j++) hard[j] = true;
    }
  }

  const roles: LapRole[] = laps.map((_, k) => (hard[k] ? 'work' : 'steady'));
  const blocks = runsOf(hard);
  const first = blocks[0]?.[0];
  const last = blocks[blocks.length - 1]?.at(-1);
  if (first !== undefined && last !== undefined) {
    laps.forEach((_, k) => {
      if (!hard[k]) roles[k] = k < first ? 'warmup' : k > last ? 'cooldown' : 'recovery';
    });
  }

  const segments = segmentsOf(laps, roles, efforts);
  const workAll = segments.filter((s) => s.role === 'work');
  // Strides finish an easy run: a few bursts under half a minute, with (almost) nothing after them.
  const lastWork = workAll[workAll.length - 1];
  const after = lastWork ? sum(segments.slice(segments.indexOf(lastWork) + 1).map((g) => g.movingTime)) : 0;
  const stridesOnly =
    workAll.length >= 2 &&
    median(workAll.map((s) => s.movingTime)) <= STRIDE_MAX_SECS &&
    sum(workAll.map((s) => s.movingTime)) <= 240 &&
    after <= 5 * 60;
  const strides = stridesOnly ? workAll : [];
  const work = stridesOnly ? [] : workAll;
  const recovery = stridesOnly ? [] : segments.filter((s) => s.role === 'recovery');
  const pattern = work.length >= 2 ? 'reps' : work.length === 1 ? 'continuous' : 'steady';
  const set = setOf(work, recovery, strides);

  return {
    laps,
    roles,
    efforts,
    basis,
    segments,
    work,
    recovery,
    strides,
    pattern,
    set,
    intervalSummary: set ? { work: formatSetWork(set, 'en'), recovery: formatSetRecovery(set, 'en') } : null,
    mainSet: mainSetOf(work, t),
  };
}

function cleanSpike(l: Lap, thresholdSpeed: number | null): Lap {
  const spike = (v: number | null) =>
    v !== null && (v > GPS_MAX_RUN_SPEED || (thresholdSpeed !== null && v > SPIKE_REL * thresholdSpeed && (l.movingTime ?? 0) > 90));
  return spike(l.speed) || spike(l.gap) ? { ...l, speed: null, gap: null } : l;
}

function runsOf(flags: boolean[]): number[][] {
  const out: number[][] = [];
  flags.forEach((f, k) => {
    if (!f) return;
    const prev = out[out.length - 1];
    if (prev && prev[prev.length - 1] === k - 1) prev.push(k);
    else out.push([k]);
  });
  return out;
}

function segmentsOf(laps: Lap[], roles: LapRole[], efforts: Array<number | null>): Segment[] {
  const out: Segment[] = [];
  laps.forEach((_, k) => {
    const prev = out[out.length - 1];
    if (prev && prev.role === roles[k] && roles[k] !== 'work') prev.laps.push(k);
    else if (prev && prev.role === 'work' && roles[k] === 'work' && prev.laps[prev.laps.length - 1] === k - 1) prev.laps.push(k);
    else out.push({ role: roles[k] as LapRole, laps: [k], movingTime: 0, distance: null, speed: null, hr: null, watts: null, effort: null });
  });
  for (const s of out) {
    const ls = s.laps.map((k) => laps[k] as Lap);
    s.movingTime = sum(ls.map((l) => l.movingTime ?? 0));
    s.distance = segmentDistance(ls);
    s.speed = weightedMean(ls.map((l) => [l.gap ?? l.speed, l.movingTime ?? 0]));
    s.hr = weightedMean(ls.map((l) => [l.hr, l.movingTime ?? 0]));
    s.watts = weightedMean(ls.map((l) => [l.watts, l.movingTime ?? 0]));
    s.effort = weightedMean(s.laps.map((k) => [efforts[k] ?? null, laps[k]?.movingTime ?? 0]));
  }
  return out;
}

function setOf(work: Segment[], recovery: Segment[], strides: Segment[]): ReasonSet | null {
  const none = { secs: null, secsMax: null, meters: null, recSecs: null, recHow: null };
  if (strides.length) return { ...none, kind: 'strides', reps: strides.length, secs: roundRepTime(median(strides.map((s) => s.movingTime))) };
  if (!work.length) return null;
  if (work.length === 1) return { ...none, kind: 'continuous', reps: 1, secs: roundRepTime((work[0] as Segment).movingTime) };
  const times = work.map((s) => s.movingTime);
  const dists = work.map((s) => s.distance);
  const distanceKnown = dists.every((d): d is number => d !== null && d > 0);
  const byDistance = distanceKnown && cv(dists as number[]) < cv(times);
  const irregular = Math.min(cv(times), distanceKnown ? cv(dists as number[]) : Infinity) > 0.25;
  const reps: ReasonSet = irregular
    ? { ...none, kind: 'reps', reps: work.length, secs: roundRepTime(Math.min(...times)), secsMax: roundRepTime(Math.max(...times)) }
    : byDistance
      ? { ...none, kind: 'reps', reps: work.length, meters: roundRepDistance(median(dists as number[])) }
      : { ...none, kind: 'reps', reps: work.length, secs: roundRepTime(median(times)) };
  if (!recovery.length) return reps;
  const recSpeed = weightedMean(recovery.map((s) => [s.speed, s.movingTime]));
  const how = recSpeed === null ? 'recovery' : recSpeed >= 1.6 ? 'jog' : recSpeed >= 0.6 ? 'walk' : 'rest';
  return { ...reps, recSecs: roundRepTime(median(recovery.map((s) => s.movingTime))), recHow: how };
}

function mainSetOf(work: Segment[], t: Pick<RunThresholds, 'thresholdSpeed' | 'lthr'>): MainSet | null {
  if (!work.length) return null;
  const workTime = sum(work.map((s) => s.movingTime));
  const dists = work.map((s) => s.distance);
  const workDistance = dists.every((d) => d !== null) ? sum(dists as number[]) : null;
  const speed = workDistance !== null && workTime > 0 ? workDistance / workTime : weightedMean(work.map((s) => [s.speed, s.movingTime]));
  const hr = weightedMean(work.map((s) => [s.hr, s.movingTime]));
  const watts = weightedMean(work.map((s) => [s.watts, s.movingTime]));
  const times = work.map((s) => s.movingTime);
  return {
    work: work.length === 1 ? `${formatRepTime(workTime)} continuous` : `${work.length} x ${formatRepTime(median(times))}`,
    reps: work.length,
    workTime: Math.round(workTime),
    workDistance: workDistance === null ? null : round(workDistance / 1000, 2),
    pace: speed ? `${formatPace(1000 / speed / 60)}/km` : null,
    avgHr: hr === null ? null : Math.round(hr),
    avgWatts: watts === null ? null : Math.round(watts),
    pctThresholdPace: speed && t.thresholdSpeed ? Math.round((speed / t.thresholdSpeed) * 100) : null,
    pctLthr: hr !== null && t.lthr ? Math.round((hr / t.lthr) * 100) : null,
  };
}

const sum = (v: number[]) => v.reduce((a, b) => a + b, 0);

/**
 * A segment's distance: its laps' sum, with a GPS spike lap (speed removed by cleanSpike) counted at
 * the segment's clean speed instead of the distance the spike invented; null when most of it is unknown.
 */
function segmentDistance(ls: readonly Lap[]): number | null {
  if (!ls.every((l) => l.distance !== null)) return null;
  const clean = ls.filter((l) => l.speed !== null || l.gap !== null);
  if (clean.length === ls.length) return sum(ls.map((l) => l.distance as number));
  const cleanTime = sum(clean.map((l) => l.movingTime ?? 0));
  const total = sum(ls.map((l) => l.movingTime ?? 0));
  if (cleanTime < total * 0.5) return null;
  return sum(clean.map((l) => l.distance as number)) * (total / cleanTime);
}

function weightedQuantile(pairs: Array<[number | null, number]>, q: number): number | null {
  const ok = pairs.filter((p): p is [number, number] => p[0] !== null && p[1] > 0).sort((a, b) => a[0] - b[0]);
  const total = sum(ok.map((p) => p[1]));
  let acc = 0;
  for (const [v, t] of ok) {
    acc += t;
    if (acc >= total * q) return v;
  }
  return null;
}
