import type { Lap } from '../laps.js';
import { formatRepTime } from '../interval-summary.js';
import { weightedMean } from '../units.js';
import { velocityForVo2, sustainableFraction } from '../vdot.js';
import { analyzeStructure, type Segment, type StructureAnalysis } from './structure.js';
import type { RunHistory, RunThresholds } from './thresholds.js';

export interface RunTotals {
  movingTime: number | null;
  /** m. */
  distance: number | null;
  avgHr: number | null;
}

export interface RuleDecision {
  sessionType: string;
  /** 0–1; below the worker's threshold the LLM is asked. */
  confidence: number;
  reason: string;
  structure: StructureAnalysis;
}

const TOO_SHORT_S = 10 * 60;
/** Reps up to this long are Repetitions when fast enough; R reps are 200–400 m. */
const REP_MAX_S = 100;
const REP_MAX_S_FAST = 150;
/** A continuous block shorter than this is a surge, not a tempo. */
const TEMPO_MIN_S = 8 * 60;
const RACE_MIN_S = 12 * 60;

/**
 * Expected race speed for a race of `secs`, relative to threshold speed. Daniels' T pace is
 * about the pace of a one-hour race; the Daniels–Gilbert drop-off curve gives the rest (a 20 min
 * race ≈ 1.06 × T, a 3-hour marathon ≈ 0.94 × T, as in the tables: M pace 4:31/km against T 4:15/km at
 * VDOT 50). Computed at VDOT 50; the ratio barely depends on it.
 */
export function raceSpeedRel(secs: number): number {
  const v = (min: number) => velocityForVo2(50 * sustainableFraction(min));
  return v(secs / 60) / v(60);
}

/** A long run for this athlete: half as long again as their usual run, and at least an hour. */
export function longRunSecs(history: RunHistory | null | undefined): number {
  if (!history?.medianSecs) return 90 * 60;
  return Math.min(120 * 60, Math.max(60 * 60, 1.45 * history.medianSecs));
}

/**
 * Session type of a run from its structure (brief/architecture-article.txt: the lap structure,
 * not the share of time in zones). Order: too little data → Unclassified; race flag → Race;
 * reps → Repetition / Interval / Threshold by rep length, rep effort and recovery; one sustained
 * block → Race (as fast as a race of that length) / Threshold (tempo) / Long (fast finish);
 * steady → Long (for this athlete) / Recovery / Easy.
 */
export function classifyRun(input: {
  laps: readonly Lap[];
  totals: RunTotals;
  raceFlag: boolean;
  thresholds: RunThresholds;
  history?: RunHistory | null;
}): RuleDecision {
  const { totals, thresholds: t } = input;
  const laps = input.laps.length ? input.laps : wholeRunLap(totals);
  const s = analyzeStructure(laps, t);
  const secs = totals.movingTime ?? 0;
  const decide = (sessionType: string, confidence: number, reason: string): RuleDecision => ({
    sessionType,
    confidence: Math.max(0, Math.min(1, confidence)),
    reason,
    structure: s,
  });

  if (secs < TOO_SHORT_S) return decide('Unclassified', 0.8, 'too short to say (under 10 min)');
  if (!totals.distance && totals.avgHr === null && s.basis === null) return decide('Unclassified', 0.8, 'no pace or heart rate recorded');
  if (input.raceFlag) return decide('Race', 0.95, `marked as a race${raceText(s, totals)}`);
  if (s.basis === null) return decide('Unclassified', 0.4, 'no pace or heart rate to judge the effort by');

  // Without the athlete's own thresholds the efforts are only relative: say so in the confidence.
  const sure = s.basis === 'relative' ? 0.5 : s.basis === 'hr' ? 0.75 : 0.9;
  const long = longRunSecs(input.history);

  // "Reps" where one block carries the work (a race broken once by a stop, a GPS gap or an aid
  // station) are judged as that one block.
  const dominant = s.pattern === 'reps' ? dominantBlock(s.work) : null;
  if (s.pattern === 'reps' && !dominant) {
    const workSecs = s.work.reduce((a, w) => a + w.movingTime, 0);
    const e = weighted(s.work.map((w) => [w.effort, w.movingTime]));
    // Sections near threshold inside a run that is long for this athlete: a long run with pickups.
    if (secs >= long && workSecs / secs < 0.35 && s.basis !== 'relative' && e < 1.0) {
      return decide('Long', sure - 0.15, `${formatRepTime(secs)} run with ${s.intervalSummary?.work ?? 'faster sections'} at ${effortText(s, null)}`);
    }
    return classifyReps(s, sure, decide);
  }
  if (s.pattern === 'continuous' || dominant) {
    const b = dominant ?? (s.work[0] as Segment);
    const share = b.movingTime / Math.max(secs, 1);
    const e = b.effort ?? 0;
    if (b.movingTime >= RACE_MIN_S && share >= 0.4 && isRaceEffort(s.basis, e, b.movingTime, b.hr !== null && t.lthr ? b.hr / t.lthr : null)) {
      return decide('Race', sure - 0.1, `${formatRepTime(b.movingTime)} sustained at race effort (${effortText(s, b)})`);
    }
    if (secs >= long && share < 0.4) {
      return decide('Long', sure - 0.05, `${formatRepTime(secs)} run with ${formatRepTime(b.movingTime)} fast (${effortText(s, b)})`);
    }
    if (b.movingTime >= TEMPO_MIN_S) {
      return decide('Threshold', sure - (e < 0.95 ? 0.15 : 0), `${formatRepTime(b.movingTime)} tempo at ${effortText(s, b)}`);
    }
  }

  // Steady running (a short surge or strides do not make a session).
  const extra = s.strides.length ? `, ${s.strides.length} strides` : '';
  const all = wholeEffort(s, totals, t);
  if (secs >= long) return decide('Long', sure, `${formatRepTime(secs)} steady${all !== null && s.basis === 'pace' ? ` (${Math.round(all * 100)}% of threshold pace)` : ''}: long for this athlete${extra}`);
  const hrRel = t.lthr && totals.avgHr ? totals.avgHr / t.lthr : null;
  const paceEasy = s.basis === 'pace' ? all !== null && all < 0.72 : null;
  const hrEasy = hrRel !== null ? hrRel < 0.8 : null;
  const recovery = (paceEasy ?? hrEasy ?? false) && (hrEasy ?? true) && secs <= 50 * 60;
  if (recovery) return decide('Recovery', sure - 0.1, `${formatRepTime(secs)} very easy${all !== null && s.basis === 'pace' ? ` (${Math.round(all * 100)}% of threshold pace)` : ''}${extra}`);
  if (s.basis === 'pace' && all !== null && all >= 0.9 && secs <= 70 * 60) {
    return decide('Threshold', 0.45, `steady ${formatRepTime(secs)} at ${Math.round(all * 100)}% of threshold pace`);
  }
  return decide('Easy', sure - 0.05, `${formatRepTime(secs)} comfortable and even${all !== null && s.basis === 'pace' ? ` (${Math.round(all * 100)}% of threshold pace)` : ''}${extra}`);
}

function classifyReps(s: StructureAnalysis, sure: number, decide: (t: string, c: number, r: string) => RuleDecision): RuleDecision {
  const times = s.work.map((w) => w.movingTime).sort((a, b) => a - b);
  const md = times[Math.floor(times.length / 2)] as number;
  const e = weighted(s.work.map((w) => [w.effort, w.movingTime]));
  const what = `${s.intervalSummary?.work ?? `${s.work.length} reps`} at ${effortText(s, null)}${s.intervalSummary?.recovery ? `, ${s.intervalSummary.recovery}` : ''}`;
  const fast = s.basis === 'pace' ? e : null;
  if (s.basis === 'relative') {
    // Only the shape is known: rep length decides (R ≤ 100 s, I 2–5 min, T longer).
    const dists = s.work.map((w) => w.distance).filter((d): d is number => d !== null);
    const shortByDistance = dists.length === s.work.length && dists.sort((a, b) => a - b)[Math.floor(dists.length / 2)]! <= 450;
    if (md <= REP_MAX_S || shortByDistance) return decide('Repetition', sure, `${what}: short fast reps`);
    return md >= 5 * 60 ? decide('Threshold', sure, `${what}: long reps`) : decide('Interval', sure, `${what}: 2–5 min reps`);
  }
  if (md <= REP_MAX_S) {
    if (fast === null || fast >= 1.08) return decide('Repetition', sure, `${what}: short fast reps`);
    return decide('Interval', sure - 0.15, `${what}: short reps just above threshold`);
  }
  if (md <= REP_MAX_S_FAST && fast !== null && fast >= 1.13) return decide('Repetition', sure - 0.1, `${what}: fast reps`);
  // Threshold reps are run at (not above) threshold; VO2max reps clearly above it.
  const atThreshold = s.basis === 'hr' ? e < 1.0 : e < 1.025;
  if (atThreshold || (md >= 6 * 60 && e < 1.04)) return decide('Threshold', sure - (Math.abs(e - 1.025) < 0.015 ? 0.2 : 0), `${what}: reps at threshold`);
  return decide('Interval', sure - (Math.abs(e - 1.025) < 0.015 ? 0.2 : 0), `${what}: VO2max reps`);
}

/** The block that carries a "reps" session's work: at least race length, 70% of the work time and 3× the next longest. */
function dominantBlock(work: readonly Segment[]): Segment | null {
  if (work.length < 2) return null;
  const sorted = [...work].sort((a, b) => b.movingTime - a.movingTime);
  const [top, next] = sorted as [Segment, Segment];
  const total = work.reduce((a, w) => a + w.movingTime, 0);
  return top.movingTime >= RACE_MIN_S && top.movingTime >= 0.7 * total && top.movingTime >= 3 * next.movingTime ? top : null;
}

/** As fast as a race of that length, or (pace a little short of it) with HR at or over LTHR throughout. */
function isRaceEffort(basis: StructureAnalysis['basis'], effort: number, secs: number, hrRel: number | null): boolean {
  if (basis === 'pace') return effort >= 0.975 * raceSpeedRel(secs) || (hrRel !== null && secs <= 75 * 60 && hrRel >= 1.0 && effort >= 0.95 * raceSpeedRel(secs));
  // On HR alone: a race holds LTHR or above where a tempo stays just under it.
  if (basis === 'hr') return secs <= 75 * 60 ? effort >= 1.01 : effort >= 0.92;
  return false;
}

function wholeEffort(s: StructureAnalysis, totals: RunTotals, t: RunThresholds): number | null {
  const fromSegments = weighted(s.segments.map((g) => [g.effort, g.movingTime]));
  if (fromSegments > 0) return fromSegments;
  if (s.basis === 'pace' && totals.distance && totals.movingTime && t.thresholdSpeed) return totals.distance / totals.movingTime / t.thresholdSpeed;
  return null;
}

function effortText(s: StructureAnalysis, b: Segment | null): string {
  const work = b ? [b] : s.work;
  const efforts = work.map((w) => w.effort).filter((x): x is number => x !== null);
  if (!efforts.length) return 'hard effort';
  const lo = Math.round(Math.min(...efforts) * 100);
  const hi = Math.round(Math.max(...efforts) * 100);
  const range = lo === hi ? `${lo}%` : `${lo}–${hi}%`;
  return s.basis === 'pace' ? `${range} of threshold pace` : s.basis === 'hr' ? `${range} LTHR` : `${range} of the run's usual pace`;
}

function raceText(s: StructureAnalysis, totals: RunTotals): string {
  if (!totals.distance || !totals.movingTime) return '';
  const km = Math.round(totals.distance / 100) / 10;
  return `: ${km} km in ${formatRepTime(totals.movingTime)}${s.work.length === 1 && s.work[0]?.effort ? ` at ${Math.round(s.work[0].effort * 100)}% of threshold` : ''}`;
}

/** A run without laps is one lap: its own totals. */
function wholeRunLap(totals: RunTotals): Lap[] {
  if (!totals.movingTime) return [];
  return [
    {
      type: null,
      movingTime: totals.movingTime,
      elapsedTime: null,
      distance: totals.distance,
      speed: totals.distance ? totals.distance / totals.movingTime : null,
      gap: null,
      watts: null,
      hr: totals.avgHr,
      groupId: null,
    },
  ];
}

/** The time-weighted mean effort, 0 when nothing counts. */
const weighted = (pairs: Array<[number | null, number]>): number => weightedMean(pairs) ?? 0;
