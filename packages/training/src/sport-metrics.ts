import type { IntervalsActivity } from '@splits/contracts';
import { minPerKm, num, round, type SportFamily } from './units.js';

/** Garmin-style run cadence arrives in strides/min (72.9 ≈ 146 steps/min); steps/min is what runners use. */
export function runCadenceSpm(raw: number | null | undefined): number | null {
  const c = num(raw);
  if (c === null || c <= 0) return null;
  return Math.round(c < 120 ? c * 2 : c);
}

const r = (v: unknown, digits = 0): number | null => {
  const n = num(v);
  return n === null ? null : round(n, digits);
};

/**
 * Sport-specific fields, only those the source gave: null values are dropped and an empty
 * result is null. Nothing is estimated.
 */
export function sportMetrics(a: IntervalsActivity, family: SportFamily): Record<string, number | number[]> | null {
  const out: Record<string, number | number[] | null> = {};
  if (family === 'run') {
    const gap = minPerKm(num(a.gap));
    out.gradedPace = gap === null ? null : round(gap, 2);
    out.cadence = runCadenceSpm(a.average_cadence);
    out.stride = r(a.average_stride, 2);
  } else if (family === 'ride') {
    out.avgWatts = r(a.icu_average_watts);
    out.normalizedPower = r(a.icu_weighted_avg_watts);
    out.ftp = r(a.icu_ftp);
    out.intensityFactor = a.icu_intensity != null ? round(a.icu_intensity / 100, 2) : null;
    out.tss = r(a.icu_training_load);
    const zones = a.icu_zone_times?.filter((z) => z.id !== 'SS').map((z) => z.secs);
    out.powerZoneTimes = zones?.length ? zones : null;
    out.cadence = r(a.average_cadence);
    out.decoupling = r(a.decoupling, 1);
  } else if (family === 'swim') {
    out.swimCadenceSpm = r(a.average_cadence);
    out.poolLength = r(a.pool_length, 1);
    out.lengths = r(a.lengths);
  } else {
    out.avgWatts = r(a.icu_average_watts);
    out.cadence = r(a.average_cadence);
    out.kgLifted = r(a.kg_lifted);
  }
  const kept = Object.entries(out).filter((e): e is [string, number | number[]] => e[1] !== null);
  return kept.length ? Object.fromEntries(kept) : null;
}
