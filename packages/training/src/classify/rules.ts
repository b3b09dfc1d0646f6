import { RACE_DISTANCE_KEYS, type RepsKind, type ReasonEffort, type SessionReason } from '@splits/contracts';
import type { Lap } from '../laps.js';
import { standardDistanceOf, type RaceEvidence } from '../calibration/race-evidence.js';
import { roundRepTime } from '../interval-summary.js';
import { renderReason } from '../reason-text.js';
import { cv, weightedMean } from '../units.js';
import { velocityForVo2, sustainableFraction, vdotFromPerformance } from '../vdot.js';
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
  /** The reason in English (what assistants read): renderReason(why, 'en'). */
  reason: string;
  /** The reason without words, for any language. */
  why: SessionReason;
  structure: StructureAnalysis;
}

const TOO_SHORT_S = 10 * 60;
/** Reps up to this long are Repetitions when fast enough; R reps are 200–400 m. */
const REP_MAX_S = 100;
const REP_MAX_S_FAST = 150;
/** A continuous block shorter than this is a surge, not a tempo. */
const TEMPO_MIN_S = 8 * 60;
const RACE_MIN_S = 12 * 60;
/** The distances an unannounced all-out effort is taken as a race over: the ones nearly every race is run at. */
const UNANNOUNCED = RACE_DISTANCE_KEYS;
/** Nobody holds threshold for longer than this: a longer sustained block below it is a long run. */
const TEMPO_MAX_S = 60 * 60;

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
  /** The athlete's word that it was a race (flag, planned race, name): declaredRace(). */
  race: RaceEvidence | null;
  thresholds: RunThresholds;
  history?: RunHistory | null;
}): RuleDecision {
  const { totals, thresholds: t } = input;
  const noLaps = input.laps.length === 0;
  const laps = noLaps ? wholeRunLap(totals) : input.laps;
  const s = analyzeStructure(laps, t);
  const secs = totals.movingTime ?? 0;
  const decide = (sessionType: string, confidence: number, why: SessionReason): RuleDecision => ({
    sessionType,
    confidence: Math.max(0, Math.min(1, confidence)),
    reason: renderReason(why, 'en'),
    why,
    structure: s,
  });
  const rt = roundRepTime;

  if (secs < TOO_SHORT_S) return decide('Unclassified', 0.8, { code: 'too_short', params: { minutes: TOO_SHORT_S / 60 } });
  if (!totals.distance && totals.avgHr === null && s.basis === null) return decide('Unclassified', 0.8, { code: 'no_data', params: {} });
  if (input.race) return decide('Race', input.race.kind === 'name' ? 0.9 : 0.95, declaredReason(input.race, s, totals));
  if (s.basis === null) return decide('Unclassified', 0.4, { code: 'no_basis', params: {} });

  // Without the athlete's own thresholds the efforts are only relative: say so in the confidence.
  // A run with only its totals (a manual entry, no laps or streams) shows no structure at all.
  const sure = (s.basis === 'relative' ? 0.5 : s.basis === 'hr' ? 0.75 : 0.9) - (noLaps ? 0.35 : 0);
  const missing = noLaps ? (totals.avgHr === null ? 'laps_hr' : 'laps') : null;
  const long = longRunSecs(input.history);
  const hrOf = (b: Segment) => (b.hr !== null && t.lthr ? b.hr / t.lthr : null);

  // An all-out effort over a standard race distance (the whole run, or its one sustained block) is a
  // race even unannounced: the athlete's best over that distance, by the calibrated threshold.
  const raced = s.basis !== 'relative' ? standardDistanceEffort(s, totals, t) : null;
  if (raced) return decide('Race', sure - 0.15 - (noLaps ? 0 : 0), { code: 'race_distance', params: { ...raced, missing } });

  // "Reps" where one block carries the work (a race broken once by a stop, a GPS gap or an aid
  // station) are judged as that one block.
  const dominant = s.pattern === 'reps' ? dominantBlock(s.work) : null;
  if (s.pattern === 'reps' && !dominant) {
    const workSecs = s.work.reduce((a, w) => a + w.movingTime, 0);
    const e = weighted(s.work.map((w) => [w.effort, w.movingTime]));
    // Sections near threshold inside a run that is long for this athlete: a long run with pickups.
    if (secs >= long && workSecs / secs < 0.35 && s.basis !== 'relative' && e < 0.95) {
      return decide('Long', sure - 0.15, { code: 'long_pickups', params: { secs: rt(secs), set: s.set, effort: effortOf(s, null) } });
    }
    return classifyReps(s, sure, decide);
  }
  if (s.pattern === 'continuous' || dominant) {
    const b = dominant ?? (s.work[0] as Segment);
    const share = b.movingTime / Math.max(secs, 1);
    const e = b.effort ?? 0;
    if (secs >= long && share < 0.4) {
      return decide('Long', sure - 0.05, { code: 'long_fast_block', params: { secs: rt(secs), blockSecs: rt(b.movingTime), effort: effortOf(s, b) } });
    }
    if (b.movingTime > TEMPO_MAX_S && (s.basis === 'pace' ? e < 0.97 : e < 0.95)) {
      return decide('Long', sure - 0.15, { code: 'long_steady_block', params: { secs: rt(secs), effort: effortOf(s, b), missing } });
    }
    // A tempo is clearly faster than the athlete's usual running; a block barely above it (the end of
    // a progression run, judged against a threshold set too slow) is steady running.
    const usualRel = b.speed !== null && input.history?.usualSpeed ? b.speed / input.history.usualSpeed : null;
    const notFaster = usualRel !== null && usualRel < 1.14 && e < 0.97;
    if (b.movingTime >= TEMPO_MIN_S && !notFaster) {
      // Without a race flag, name or plan, race-like is only "possibly a race": a hard tempo looks the same.
      const raceLike = b.movingTime >= RACE_MIN_S && share >= 0.4 && isRaceEffort(s.basis, e, b.movingTime, hrOf(b));
      return decide('Threshold', sure - (raceLike ? 0.2 : e < 0.95 ? 0.15 : 0), { code: 'tempo', params: { blockSecs: rt(b.movingTime), effort: effortOf(s, b), raceLike, missing } });
    }
  }

  // Steady running (a short surge or strides do not make a session).
  const strides = s.strides.length;
  const all = wholeEffort(s, totals, t);
  const pct = all !== null && s.basis === 'pace' ? Math.round(all * 100) : null;
  if (secs >= long) return decide('Long', sure, { code: 'long', params: { secs: rt(secs), pct, strides } });
  const hrRel = t.lthr && totals.avgHr ? totals.avgHr / t.lthr : null;
  // The run's speed from its clean laps (a GPS spike must not make a recovery run look brisk).
  const cleanSpeed = weightedMean(s.laps.map((l) => [l.gap ?? l.speed, l.movingTime ?? 0]));
  const speed = cleanSpeed ?? (totals.distance && totals.movingTime ? totals.distance / totals.movingTime : null);
  // Recovery is slower than the athlete's usual running: three witnesses, each judged on its own —
  // pace against the threshold, heart rate against LTHR, and pace against their usual runs (which
  // needs no threshold at all, so stale settings cannot fool it). The majority decides.
  const votes: Array<[boolean, number]> = [];
  if (s.basis === 'pace' && all !== null) votes.push([all < 0.72, 1]);
  if (hrRel !== null) votes.push([hrRel < 0.8, 1.5]);
  if (speed !== null && input.history?.usualSpeed) votes.push([speed / input.history.usualSpeed < 0.9, 2]);
  const yes = votes.reduce((a, [v, w]) => a + (v ? w : 0), 0);
  const weight = votes.reduce((a, [, w]) => a + w, 0);
  const recovery = weight > 0 && yes / weight > 0.5 && secs <= 50 * 60;
  if (recovery) return decide('Recovery', sure - 0.1 - (votes.length < 2 ? 0.15 : 0), { code: 'recovery', params: { secs: rt(secs), pct, strides, missing } });
  if (s.basis === 'pace' && all !== null && all >= 0.9 && secs <= 70 * 60 && !noLaps && !(speed !== null && input.history?.usualSpeed && speed / input.history.usualSpeed < 1.12)) {
    return decide('Threshold', 0.45, { code: 'steady_threshold', params: { secs: rt(secs), pct: Math.round(all * 100) } });
  }
  // "Even" only when the laps show it.
  const lapSpeeds = s.laps.map((l) => l.gap ?? l.speed).filter((v): v is number => v !== null);
  const even = !noLaps && lapSpeeds.length >= 3 && cv(lapSpeeds) < 0.06;
  return decide('Easy', sure - 0.05, { code: 'easy', params: { secs: rt(secs), pct, strides, even, missing } });
}

/**
 * The distance and time ("5K in 0:19:58") when the run, or its one sustained block, covers a standard
 * race distance at an all-out effort for that distance by the athlete's threshold; else null.
 */
function standardDistanceEffort(
  s: StructureAnalysis,
  totals: RunTotals,
  t: RunThresholds,
): { distance: (typeof UNANNOUNCED)[number]; secs: number; block: boolean } | null {
  const candidates: Array<{ meters: number | null; secs: number; effort: number | null; hr: number | null; block: boolean }> = [];
  const wholeEffort = totals.distance && totals.movingTime && t.thresholdSpeed ? totals.distance / totals.movingTime / t.thresholdSpeed : null;
  if (totals.movingTime) candidates.push({ meters: totals.distance, secs: totals.movingTime, effort: s.basis === 'pace' ? wholeEffort : null, hr: totals.avgHr, block: false });
  // The whole run counts only when nothing in it was a warm-up or cool-down clearly easier than the rest.
  const ends = s.segments.filter((g) => g.role === 'warmup' || g.role === 'cooldown');
  const workSpeed = weightedMean(s.work.map((w) => [w.speed, w.movingTime]));
  if (ends.some((g) => g.speed === null || !workSpeed || g.speed < 0.93 * workSpeed)) candidates.length = 0;
  const top = [...s.work].sort((a, b) => b.movingTime - a.movingTime)[0];
  if (top && top.movingTime >= RACE_MIN_S) candidates.push({ meters: top.distance, secs: top.movingTime, effort: top.effort, hr: top.hr, block: true });
  for (const c of candidates) {
    const std = standardDistanceOf(c.meters);
    const distance = UNANNOUNCED.find((d) => d === std?.name);
    if (!std || !distance || c.secs < RACE_MIN_S) continue;
    const hrRel = c.hr !== null && t.lthr ? c.hr / t.lthr : null;
    // All-out holds the heart rate near LTHR; an easy heart rate means a downhill course or bad GPS.
    if (hrRel !== null && hrRel < 0.9) continue;
    // A best effort for this athlete: not clearly below what their recent running already showed.
    // (Most runners' VDOT from a half or a marathon sits a little below their 5K/10K one: endurance.)
    if (c.meters && t.bestVdot && vdotFromPerformance(c.meters, c.secs) < (c.secs > 75 * 60 ? 0.95 : 0.98) * t.bestVdot) continue;
    const allOut =
      s.basis === 'pace' && c.effort !== null
        ? c.effort >= 0.975 * raceSpeedRel(c.secs) || (hrRel !== null && c.effort >= 0.93 * raceSpeedRel(c.secs) && hrRel >= (c.secs <= 75 * 60 ? 0.98 : 0.93))
        : hrRel !== null && (c.secs <= 75 * 60 ? hrRel >= 1.01 : hrRel >= 0.93);
    if (allOut) return { distance, secs: Math.round(c.secs), block: c.block };
  }
  return null;
}

function classifyReps(s: StructureAnalysis, sure: number, decide: (t: string, c: number, r: SessionReason) => RuleDecision): RuleDecision {
  const times = s.work.map((w) => w.movingTime).sort((a, b) => a - b);
  const md = times[Math.floor(times.length / 2)] as number;
  const e = weighted(s.work.map((w) => [w.effort, w.movingTime]));
  const set = s.set ?? { kind: 'count' as const, reps: s.work.length, secs: null, secsMax: null, meters: null, recSecs: null, recHow: null };
  const effort = effortOf(s, null);
  const what = (kind: RepsKind): SessionReason => ({ code: 'reps', params: { kind, set, effort } });
  const fast = s.basis === 'pace' ? e : null;
  if (s.basis === 'relative') {
    // Only the shape is known: rep length decides (R ≤ 100 s, I 2–5 min, T longer).
    const dists = s.work.map((w) => w.distance).filter((d): d is number => d !== null);
    const shortByDistance = dists.length === s.work.length && dists.sort((a, b) => a - b)[Math.floor(dists.length / 2)]! <= 450;
    if (md <= REP_MAX_S || shortByDistance) return decide('Repetition', sure, what('short_fast'));
    return md >= 5 * 60 ? decide('Threshold', sure, what('long')) : decide('Interval', sure, what('mid'));
  }
  if (md <= REP_MAX_S) {
    if (fast === null || fast >= 1.08) return decide('Repetition', sure, what('short_fast'));
    return decide('Interval', sure - 0.15, what('short_above_threshold'));
  }
  if (md <= REP_MAX_S_FAST && fast !== null && fast >= 1.13) return decide('Repetition', sure - 0.1, what('fast'));
  // The session's own shape first: long reps with short recoveries are threshold work (cruise
  // intervals, 2–3 × 10–15 min), 2–5 min reps with recoveries half as long or more are VO2max work;
  // the effort against the threshold decides only what the shape leaves open (a stale threshold
  // moves every effort by the same few percent; it cannot turn 6-min reps with 1-min jogs into VO2max work).
  const recs = s.recovery.map((r) => r.movingTime).sort((a, b) => a - b);
  const recRatio = recs.length ? (recs[Math.floor(recs.length / 2)] as number) / md : null;
  const thresholdShape = md >= 5 * 60 && (recRatio === null || recRatio <= 0.35);
  const vo2Shape = md <= 5.5 * 60 && recRatio !== null && recRatio >= 0.45;
  const cap = recRatio !== null && recRatio <= 0.25 ? 1.15 : md >= 8 * 60 ? 1.1 : 1.07;
  if (s.basis === 'pace' && thresholdShape && e < cap) return decide('Threshold', sure - (e >= 1.04 ? 0.2 : 0), what('threshold_shape'));
  if (s.basis === 'pace' && vo2Shape && e >= 0.97) return decide('Interval', sure - (e < 1.02 ? 0.2 : 0), what('vo2max'));
  // Threshold reps are run at (not above) threshold; VO2max reps clearly above it.
  const atThreshold = s.basis === 'hr' ? e < 1.0 : e < 1.025;
  if (atThreshold || (md >= 6 * 60 && e < 1.04)) return decide('Threshold', sure - (Math.abs(e - 1.025) < 0.015 ? 0.2 : 0), what('at_threshold'));
  return decide('Interval', sure - (Math.abs(e - 1.025) < 0.015 ? 0.2 : 0), what('vo2max'));
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

function effortOf(s: StructureAnalysis, b: Segment | null): ReasonEffort {
  const work = b ? [b] : s.work;
  const efforts = work.map((w) => w.effort).filter((x): x is number => x !== null);
  if (!efforts.length) return null;
  return { basis: s.basis ?? 'relative', lo: Math.round(Math.min(...efforts) * 100), hi: Math.round(Math.max(...efforts) * 100) };
}

function declaredReason(race: RaceEvidence, s: StructureAnalysis, totals: RunTotals): SessionReason {
  const known = Boolean(totals.distance && totals.movingTime);
  const effort = s.work.length === 1 ? s.work[0]?.effort : null;
  return {
    code: 'race_declared',
    params: {
      evidence: race.kind,
      name: race.name ?? null,
      km: known ? Math.round((totals.distance as number) / 100) / 10 : null,
      secs: known ? roundRepTime(totals.movingTime as number) : null,
      pct: known && effort ? Math.round(effort * 100) : null,
    },
  };
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
