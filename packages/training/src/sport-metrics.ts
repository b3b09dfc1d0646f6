import type { AthleteThresholds, IntervalsActivity } from '@splits/contracts';
import { isFootSport, minPerKm, num, positive, round, rounded, sportFamily } from './units.js';

export type SportMetrics = Record<string, number | number[]>;

/**
 * Running cadence in steps/min. Intervals.icu passes the FIT value on, which for runs and walks is
 * strides (one foot) per minute: 72.9 → 146 steps/min. When the stride length and speed are known
 * they decide (stride × steps/min = speed: average_stride is the length of one step, Garmin's
 * "stride length"); otherwise a value below `doubleBelow` is taken as strides/min.
 */
export function runCadenceSpm(
  raw: number | null | undefined,
  check: { speed?: number | null; stride?: number | null; doubleBelow?: number } = {},
): number | null {
  const c = positive(raw);
  if (c === null) return null;
  const speed = positive(check.speed);
  const stride = positive(check.stride);
  if (speed !== null && stride !== null) {
    const implied = (speed * 60) / stride;
    return Math.round(Math.abs(c * 2 - implied) < Math.abs(c - implied) ? c * 2 : c);
  }
  return Math.round(c < (check.doubleBelow ?? 120) ? c * 2 : c);
}

/** The speed the record's pace and speed use: distance over moving time, as Intervals.icu's `pace`. */
export function movingSpeed(a: Pick<IntervalsActivity, 'pace' | 'distance' | 'moving_time' | 'average_speed'>): number | null {
  const distance = positive(a.distance);
  const moving = positive(a.moving_time);
  return positive(a.pace) ?? (distance !== null && moving !== null ? distance / moving : null) ?? positive(a.average_speed);
}

/** Seconds per zone, or null when the source gave none or only zeros (no sensor). */
export function zoneTimes(v: unknown): number[] | null {
  if (!Array.isArray(v) || v.length === 0) return null;
  const secs = v.map((x) => num(x) ?? 0);
  return secs.some((s) => s > 0) ? secs.map((s) => Math.round(s)) : null;
}

/** Power zone seconds Z1…Zn from icu_zone_times (`[{id:"Z1",secs}, …, {id:"SS",secs}]`), without sweet spot. */
function powerZoneTimes(a: IntervalsActivity): number[] | null {
  const zones = (a.icu_zone_times ?? [])
    .map((z) => ({ n: /^Z(\d+)$/.exec(z.id)?.[1], secs: num(z.secs) ?? 0 }))
    .filter((z): z is { n: string; secs: number } => z.n !== undefined)
    .sort((x, y) => Number(x.n) - Number(y.n))
    .map((z) => z.secs);
  return zoneTimes(zones);
}

const pace2 = (speed: number | null) => {
  const p = minPerKm(speed);
  return p === null ? null : round(p, 2);
};

/**
 * Sport-specific fields, only those the source gave: null values are dropped and an empty result is
 * null. Nothing is estimated; `thresholds` (the athlete's sport settings) only fill a threshold the
 * activity itself does not carry.
 *
 * Run/TrailRun/…: gradedPace (min/km from gap), cadence (steps/min), stride (m per step), avgWatts
 *   (running power), decoupling (%), efficiencyFactor, paceZoneTimes (s), thresholdPace (min/km).
 * Walk/Hike: gradedPace, cadence, stride.
 * Ride/VirtualRide/…: avgWatts, normalizedPower, ftp, intensityFactor, tss, powerZoneTimes (s, Z1…),
 *   sweetSpotTime (s), cadence (rpm), decoupling (%), efficiencyFactor (NP/HR), variabilityIndex (NP/AP).
 * Swim: swimCadenceSpm (strokes/min), poolLength (m), lengths.
 * Others (WeightTraining, …): kgLifted, avgWatts, normalizedPower, cadence.
 */
export function sportMetrics(
  a: IntervalsActivity,
  workoutType: string,
  thresholds: Pick<AthleteThresholds, 'ftp' | 'thresholdPaceMps'> | null = null,
): SportMetrics | null {
  const family = sportFamily(workoutType);
  const out: Record<string, number | number[] | null> = {};
  const avgWatts = rounded(positive(a.icu_average_watts));
  const np = rounded(positive(a.icu_weighted_avg_watts));
  if (isFootSport(workoutType)) {
    const stride = positive(a.average_stride);
    out.gradedPace = pace2(positive(a.gap));
    out.cadence = runCadenceSpm(a.average_cadence, { speed: movingSpeed(a), stride, doubleBelow: family === 'run' ? 120 : 80 });
    out.stride = stride === null ? null : round(stride, 2);
    if (family === 'run') {
      out.avgWatts = avgWatts;
      out.decoupling = rounded(a.decoupling, 1);
      out.efficiencyFactor = rounded(positive(a.icu_efficiency_factor), 2);
      out.paceZoneTimes = zoneTimes(a.pace_zone_times);
      out.thresholdPace = pace2(positive(a.threshold_pace) ?? positive(thresholds?.thresholdPaceMps));
    }
  } else if (family === 'ride') {
    out.avgWatts = avgWatts;
    out.normalizedPower = np;
    out.ftp = rounded(positive(a.icu_ftp) ?? positive(thresholds?.ftp));
    // icu_intensity is IF×100 for power; without power it is an HR/pace intensity, not an IF.
    const intensity = positive(a.icu_intensity);
    out.intensityFactor = np !== null && intensity !== null ? round(intensity / 100, 2) : null;
    out.tss = rounded(positive(a.power_load)) ?? (avgWatts !== null ? rounded(a.icu_training_load) : null);
    out.powerZoneTimes = powerZoneTimes(a);
    out.sweetSpotTime = rounded(positive(a.icu_zone_times?.find((z) => z.id === 'SS')?.secs));
    out.cadence = rounded(positive(a.average_cadence));
    out.decoupling = rounded(a.decoupling, 1);
    out.efficiencyFactor = rounded(positive(a.icu_efficiency_factor), 2);
    out.variabilityIndex = rounded(positive(a.icu_variability_index), 2);
  } else if (family === 'swim') {
    out.swimCadenceSpm = rounded(positive(a.average_cadence));
    out.poolLength = rounded(positive(a.pool_length), 1);
    out.lengths = rounded(positive(a.lengths));
  } else {
    out.kgLifted = rounded(positive(a.kg_lifted));
    out.avgWatts = avgWatts;
    out.normalizedPower = np;
    out.cadence = rounded(positive(a.average_cadence));
  }
  const kept = Object.entries(out).filter((e): e is [string, number | number[]] => e[1] !== null);
  return kept.length ? Object.fromEntries(kept) : null;
}
