import type { RecordInterval } from '@splits/contracts';
import { lapsFromRecord, type Lap } from '../laps.js';
import { GPS_MAX_RUN_SPEED, median, sportFamily } from '../units.js';
import { danielsPaces, vdotFromPerformance } from '../vdot.js';
import { declaredRace } from './race-evidence.js';

/**
 * A threshold pace per athlete from their own running (issue 12), because the settings go stale:
 * athletes get fitter and never update them. Pure and order-free: the calibration as of a moment
 * is a function of the runs before it (within CALIBRATION_DAYS) and the settings, never of labels
 * the classifier gave, so the same runs arriving in any order calibrate the same.
 *
 * Sources, best first: Intervals.icu's own critical-speed model (fetched in the week before the
 * moment, a good fit; CS ≈ Daniels T pace for trained runners); races the athlete declared (flag, planned race, race name) through VDOT →
 * Daniels T pace; hard efforts (best stretch of laps of any run, VDOT as a lower bound of fitness),
 * corroborated; the speed at LTHR from the athlete's steady laps (heart rate vs speed); the
 * settings. Asymmetric: the value rises above the settings on a clearly better effort and falls
 * below them only on a race (an all-out effort) that says so; otherwise the settings stand.
 */

/** What a stored run gives the calibration (a WorkoutRecord has all of it). */
export interface CalibrationRun {
  id: string;
  /** ISO start. */
  date: string;
  workoutType: string;
  activityName?: string | null;
  /** Intervals.icu race flag (or sub_type RACE). */
  race?: boolean | null;
  /** A planned race (RACE_A/B/C) on the run's day. */
  plannedRace?: boolean | null;
  /** km */
  distance: number | null;
  movingTime: number | null;
  avgHr: number | null;
  maxHr?: number | null;
  intervals?: readonly RecordInterval[] | null;
}

export interface CalibrationSettings {
  /** m/s */
  thresholdSpeed: number | null;
  lthr: number | null;
  maxHr: number | null;
}

export type CalibrationSource = 'intervals_cs' | 'race' | 'efforts' | 'heart_rate' | 'settings';

/** Intervals.icu's critical-speed model as fetched on a day (pace-curves.json, 42 days). */
export interface PaceModel {
  /** YYYY-MM-DD */
  fetchedOn: string;
  /** m/s */
  criticalSpeed: number | null;
  dPrime: number | null;
  r2: number | null;
}

/** A model is read for this many days after its fetch; a good fit (r² ≥ 0.9) only. */
const MODEL_DAYS = 7;
const MODEL_R2 = 0.9;

export interface CalibrationEvidence {
  workoutId: string;
  date: string;
  kind: 'race' | 'effort';
  /** The stretch the value rests on (a race's raced block, a tempo block): km and s. */
  distanceKm: number;
  timeSec: number;
  /** "laps 3–8" when a stretch of the run, null for the whole run. */
  block: string | null;
  vdot: number;
  /** Daniels T pace of that VDOT, m/s. */
  thresholdSpeed: number;
}

export interface ThresholdCalibration {
  /** m/s: the threshold the rules judge against; null when nothing supports one. */
  thresholdSpeed: number | null;
  source: CalibrationSource | null;
  /** m/s, the settings' threshold pace, for comparison. */
  settingsSpeed: number | null;
  /** Calibrated / settings − 1 (+0.05: the athlete is 5 % faster than the settings say). */
  settingsGap: number | null;
  /** Speed at LTHR from heart rate vs pace over steady laps, m/s, when the fit is good. */
  hrSpeed: number | null;
  /** Critical speed (m/s) and D′ (m): Intervals.icu's model when read, else our own fit to the best efforts of 3–20 min when good. */
  criticalSpeed: number | null;
  dPrime: number | null;
  csSource: 'intervals' | 'own_fit' | null;
  /** The efforts behind the value, best first (at most 5). */
  evidence: CalibrationEvidence[];
}

export const CALIBRATION_DAYS = 90;
/** Daniels–Gilbert holds for efforts of about 3.5 min to 4.5 h. */
const MIN_EFFORT_S = 210;
const MAX_EFFORT_S = 4.5 * 3600;
/** A non-race effort counts when its heart rate shows it was hard… */
const HARD_HR = 0.95;
/** …or, without heart rate, when it is this much faster than the athlete's usual run. */
const HARD_REL = 1.15;
/** One effort may stand this far above the next best (of another run) without corroboration. */
const CORROBORATE = 0.04;
/** The settings stand unless the evidence is this far off. */
const RISE = 0.02;
const FALL = 0.03;
const HR_DISAGREE = 0.06;

/** Threshold speed (m/s) of a VDOT: the faster end of Daniels' T pace. */
export const thresholdSpeedOfVdot = (vdot: number): number => 1000 / danielsPaces(vdot).T.fromSecPerKm;

interface Effort {
  run: CalibrationRun;
  meters: number;
  secs: number;
  hr: number | null;
  vdot: number;
  block: string | null;
  declared: boolean;
}

interface RunAnalysis {
  effort: Effort | null;
  /** Best [s, m] near each CS_TARGETS duration. */
  byTarget: Array<[number, number] | null>;
  /** [HR, speed] of steady laps. */
  steady: Array<[number, number]>;
}
const CS_TARGETS = [180, 300, 480, 720, 1200];
const analysisCache = new WeakMap<object, RunAnalysis>();

/** Everything the calibration reads from one run, computed once per record object. */
function analysisOf(run: CalibrationRun): RunAnalysis {
  const hit = analysisCache.get(run);
  if (hit) return hit;
  const laps = runLaps(run);
  const a = { effort: computeBestEffort(run, laps), byTarget: CS_TARGETS.map((t) => bestNear(laps, t)), steady: steadyPoints(laps) };
  analysisCache.set(run, a);
  return a;
}

/** The run's best stretch by VDOT (any run of consecutive laps ≥ 3.5 min). */
export const bestEffortOf = (run: CalibrationRun): Effort | null => analysisOf(run).effort;

function computeBestEffort(run: CalibrationRun, laps: Lap[]): Effort | null {
  const declared = declaredRace({ raceFlag: run.race, plannedRace: run.plannedRace, name: run.activityName }) !== null;
  let best: Effort | null = null;
  for (let i = 0; i < laps.length; i++) {
    let m = 0;
    let s = 0;
    let hrSum = 0;
    let hrSecs = 0;
    for (let j = i; j < laps.length; j++) {
      const l = laps[j] as Lap;
      if (l.distance === null || l.movingTime === null || l.speed === null) break;
      m += l.distance;
      s += l.movingTime;
      if (l.hr !== null) {
        hrSum += l.hr * l.movingTime;
        hrSecs += l.movingTime;
      }
      if (s < MIN_EFFORT_S) continue;
      if (s > MAX_EFFORT_S) break;
      const vdot = vdotFromPerformance(m, s);
      if (!Number.isFinite(vdot) || vdot < 15 || vdot > 90) continue;
      if (!best || vdot > best.vdot) {
        const whole = i === 0 && j === laps.length - 1;
        best = { run, meters: m, secs: s, hr: hrSecs >= s * 0.8 ? hrSum / hrSecs : null, vdot, block: whole || laps.length === 1 ? null : i === j ? `lap ${i + 1}` : `laps ${i + 1}–${j + 1}`, declared };
      }
    }
  }
  return best;
}

/** The run's laps (the record's intervals, else the whole run as one lap), GPS spikes dropped. */
function runLaps(run: CalibrationRun): Lap[] {
  const laps = run.intervals?.length
    ? lapsFromRecord(run.intervals)
    : run.movingTime && run.distance
      ? [{ type: null, movingTime: run.movingTime, elapsedTime: null, distance: run.distance * 1000, speed: (run.distance * 1000) / run.movingTime, gap: null, watts: null, hr: run.avgHr, groupId: null } satisfies Lap]
      : [];
  const speeds = laps.map((l) => l.speed).filter((v): v is number => v !== null && v > 0);
  const typical = speeds.length ? median(speeds) : null;
  return laps
    .filter((l) => (l.movingTime ?? 0) > 0)
    .map((l) => (l.speed !== null && (l.speed > GPS_MAX_RUN_SPEED || (typical !== null && l.speed > 1.6 * typical && (l.movingTime ?? 0) > 90)) ? { ...l, speed: null, distance: null } : l));
}

/**
 * The athlete's threshold as of `asOf` from the runs before it (any order; other sports and runs
 * at or after `asOf` are ignored) and the settings.
 */
export function calibrateThreshold(runs: readonly CalibrationRun[], asOf: Date, settings: CalibrationSettings | null, paceModels: readonly PaceModel[] = []): ThresholdCalibration {
  const until = asOf.getTime();
  const from = until - CALIBRATION_DAYS * 86_400_000;
  const window = runs.filter((r) => {
    const t = Date.parse(r.date);
    return sportFamily(r.workoutType) === 'run' && t >= from && t < until;
  });
  const S = settings?.thresholdSpeed && settings.thresholdSpeed > 0 ? settings.thresholdSpeed : null;
  const maxHrs = window.map((r) => r.maxHr ?? null).filter((h): h is number => h !== null && h > 100 && h < 230);
  const lthr = settings?.lthr ?? (settings?.maxHr ? Math.round(settings.maxHr * 0.9) : maxHrs.length >= 5 ? Math.round(Math.max(...maxHrs) * 0.9) : null);

  // Hard efforts: declared races, or stretches whose HR (else pace vs the usual run) says hard.
  const usual = median(window.map((r) => (r.distance && r.movingTime ? (r.distance * 1000) / r.movingTime : null)).filter((v): v is number => v !== null));
  const efforts = window
    .map(bestEffortOf)
    .filter((e): e is Effort => e !== null)
    .filter((e) => e.declared || (e.hr !== null && lthr !== null ? e.hr >= HARD_HR * lthr : Number.isFinite(usual) && usual > 0 && e.meters / e.secs >= HARD_REL * usual))
    .sort((a, b) => b.vdot - a.vdot);
  const races = efforts.filter((e) => e.declared);
  const others = efforts.filter((e) => !e.declared);
  const raceT = races.length ? thresholdSpeedOfVdot(races[0]!.vdot) : null;
  let effortT: number | null = null;
  if (others.length) {
    const top = thresholdSpeedOfVdot(others[0]!.vdot);
    const next = others[1] ? thresholdSpeedOfVdot(others[1].vdot) : null;
    // Never from one noisy run: a lone effort far above the rest counts only as far as the rest allow.
    effortT = next === null ? (raceT !== null || S !== null ? Math.min(top, Math.max(raceT ?? 0, S ?? 0) * (1 + CORROBORATE)) : top) : Math.min(top, next * (1 + CORROBORATE));
  }
  const evidenceT = Math.max(raceT ?? 0, effortT ?? 0) || null;
  // Intervals.icu's model of the last 42 days, as known on the day (never a later fetch).
  const day = asOf.toISOString().slice(0, 10);
  const oldestModel = new Date(until - MODEL_DAYS * 86_400_000).toISOString().slice(0, 10);
  const model = [...paceModels]
    .filter((m) => m.fetchedOn <= day && m.fetchedOn >= oldestModel && m.criticalSpeed !== null && m.criticalSpeed > 1.5 && m.criticalSpeed < 7 && (m.r2 ?? 0) >= MODEL_R2)
    .sort((a, b) => (a.fetchedOn < b.fetchedOn ? 1 : -1))[0];
  const csT = model?.criticalSpeed ?? null;
  const hrSpeed = lthr !== null ? speedAtLthr(window, lthr) : null;
  const { cs, dPrime } = criticalSpeedFit(window);

  let value: number | null = null;
  let source: CalibrationSource | null = null;
  if (csT !== null && (S === null || csT > S * (1 + RISE)) && (evidenceT === null || csT >= evidenceT * (1 - FALL))) {
    // The model Intervals.icu fitted to the athlete's best efforts raises the value like an effort
    // does (a fit to 42 days without a hard effort would pull it down, so it never lowers it alone);
    // a race or an effort since that says clearly more wins.
    value = evidenceT !== null && evidenceT > csT * (1 + RISE) ? evidenceT : csT;
    source = value === csT ? 'intervals_cs' : raceT !== null && raceT >= (effortT ?? 0) ? 'race' : 'efforts';
  } else if (evidenceT !== null && (S === null || evidenceT > S * (1 + RISE) || (raceT !== null && raceT < S * (1 - FALL) && evidenceT < S * (1 - FALL)))) {
    value = evidenceT;
    source = raceT !== null && raceT >= (effortT ?? 0) ? 'race' : 'efforts';
  } else if (hrSpeed !== null && (S === null || Math.abs(hrSpeed / S - 1) > HR_DISAGREE) && (evidenceT === null || hrSpeed > evidenceT)) {
    value = hrSpeed;
    source = 'heart_rate';
  } else if (S !== null) {
    value = S;
    source = 'settings';
  } else if (evidenceT !== null) {
    value = evidenceT;
    source = raceT !== null ? 'race' : 'efforts';
  }
  const evidence = (source === 'settings' || source === 'heart_rate' || source === 'intervals_cs' ? [] : efforts.slice(0, 5)).map(
    (e): CalibrationEvidence => ({
      workoutId: e.run.id,
      date: e.run.date,
      kind: e.declared ? 'race' : 'effort',
      distanceKm: Math.round(e.meters) / 1000,
      timeSec: Math.round(e.secs),
      block: e.block,
      vdot: Math.round(e.vdot * 10) / 10,
      thresholdSpeed: Math.round(thresholdSpeedOfVdot(e.vdot) * 1000) / 1000,
    }),
  );
  const r3 = (v: number | null) => (v === null ? null : Math.round(v * 1000) / 1000);
  return {
    thresholdSpeed: r3(value),
    source,
    settingsSpeed: r3(S),
    settingsGap: value !== null && S !== null ? Math.round((value / S - 1) * 1000) / 1000 : null,
    hrSpeed: r3(hrSpeed),
    criticalSpeed: r3(model?.criticalSpeed ?? cs),
    dPrime: model ? (model.dPrime === null ? null : Math.round(model.dPrime)) : dPrime === null ? null : Math.round(dPrime),
    csSource: model ? 'intervals' : cs !== null ? 'own_fit' : null,
    evidence,
  };
}

/**
 * Speed at LTHR: a straight line through (HR / LTHR, speed) of steady laps (2 min and longer, not a
 * run's first lap, where HR still climbs), pooled over the window. Only when there are enough laps
 * from enough runs, spread over a useful range of HR, fitting well, and reaching near LTHR.
 */
function speedAtLthr(window: readonly CalibrationRun[], lthr: number): number | null {
  const xs: number[] = [];
  const ys: number[] = [];
  let runsUsed = 0;
  for (const r of window) {
    const pts = analysisOf(r).steady;
    if (pts.length) runsUsed++;
    for (const [hr, speed] of pts) {
      xs.push(hr / lthr);
      ys.push(speed);
    }
  }
  if (xs.length < 12 || runsUsed < 4) return null;
  const fit = lineThrough(xs.map((x, i) => [x, ys[i]!]));
  if (!fit || fit.slope <= 0 || fit.r2 < 0.6 || Math.max(...xs) - Math.min(...xs) < 0.1 || Math.max(...xs) < 0.86) return null;
  return fit.intercept + fit.slope;
}

/**
 * D = CS·t + D′ through the best distance covered in 3, 5, 8, 12 and 20 min (the fastest stretch of
 * laps closest to each duration, over all runs of the window). Reported only when at least three
 * durations have efforts, the line fits (r² ≥ 0.98) and D′ is physiological (30–600 m).
 */
function criticalSpeedFit(window: readonly CalibrationRun[]): { cs: number | null; dPrime: number | null } {
  const points: Array<[number, number]> = [];
  CS_TARGETS.forEach((_, k) => {
    let best: [number, number] | null = null;
    for (const r of window) {
      const p = analysisOf(r).byTarget[k];
      if (p && (!best || p[1] / p[0] > best[1] / best[0])) best = p;
    }
    if (best) points.push(best);
  });
  if (points.length < 3) return { cs: null, dPrime: null };
  const fit = lineThrough(points);
  if (!fit || !(fit.r2 >= 0.98) || fit.intercept < 30 || fit.intercept > 600 || fit.slope <= 0) return { cs: null, dPrime: null };
  return { cs: fit.slope, dPrime: fit.intercept };
}

/** Least squares y = intercept + slope·x through the points, with r²; null when x or y does not vary. */
function lineThrough(points: ReadonlyArray<readonly [number, number]>): { slope: number; intercept: number; r2: number } | null {
  const n = points.length;
  const mx = points.reduce((a, p) => a + p[0], 0) / n;
  const my = points.reduce((a, p) => a + p[1], 0) / n;
  let sxx = 0;
  let sxy = 0;
  let syy = 0;
  for (const [x, y] of points) {
    sxx += (x - mx) ** 2;
    sxy += (x - mx) * (y - my);
    syy += (y - my) ** 2;
  }
  if (sxx === 0 || syy === 0) return null;
  const slope = sxy / sxx;
  return { slope, intercept: my - slope * mx, r2: (sxy * sxy) / (sxx * syy) };
}

/** Steady laps (2 min and longer, not a run's first lap, not right after a change of pace: HR lags). */
function steadyPoints(laps: readonly Lap[]): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  laps.forEach((l, k) => {
    if (k === 0 || (l.movingTime ?? 0) < 120 || l.speed === null || l.hr === null) return;
    const prev = laps[k - 1] as Lap;
    if (prev.speed !== null && Math.abs(prev.speed / l.speed - 1) > 0.1) return;
    out.push([l.hr, l.speed]);
  });
  return out;
}

/** The fastest stretch of consecutive laps lasting 0.85–1.2 × `target` s, as [s, m]. */
function bestNear(laps: readonly Lap[], target: number): [number, number] | null {
  let best: [number, number] | null = null;
  for (let i = 0; i < laps.length; i++) {
    let m = 0;
    let s = 0;
    for (let j = i; j < laps.length; j++) {
      const l = laps[j] as Lap;
      if (l.distance === null || l.movingTime === null) break;
      m += l.distance;
      s += l.movingTime;
      if (s >= target * 0.85) {
        if (s <= target * 1.2 && (!best || m / s > best[1] / best[0])) best = [s, m];
        break;
      }
    }
  }
  return best;
}
