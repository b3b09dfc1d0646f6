import type { IntervalsActivity } from '@splits/contracts';

export type IntensityLabel = 'easy' | 'moderate' | 'hard' | 'very hard';
const LABELS: IntensityLabel[] = ['easy', 'moderate', 'hard', 'very hard'];

/**
 * Intensity (icu_intensity, % of threshold: IF×100 for power, pace or HR otherwise):
 *   < 76 easy · 76–85 moderate · 86–94 hard · ≥ 95 very hard.
 */
export function labelFromIntensity(pct: number): IntensityLabel {
  if (pct < 76) return 'easy';
  if (pct < 86) return 'moderate';
  if (pct < 95) return 'hard';
  return 'very hard';
}

/**
 * HR zones (Intervals.icu's seven; Z4 starts just below LTHR), as shares of the time:
 *   Z5+ ≥ 15 % or Z4+ ≥ 50 % → very hard · Z4+ ≥ 20 % → hard ·
 *   Z4+ ≥ 10 % or Z3+ ≥ 50 % → moderate · otherwise easy.
 */
export function labelFromHrZones(zoneTimes: readonly number[]): IntensityLabel | null {
  const total = zoneTimes.reduce((a, b) => a + b, 0);
  if (total <= 0) return null;
  const from = (z: number) => zoneTimes.slice(z).reduce((a, b) => a + b, 0) / total;
  if (from(4) >= 0.15 || from(3) >= 0.5) return 'very hard';
  if (from(3) >= 0.2) return 'hard';
  if (from(3) >= 0.1 || from(2) >= 0.5) return 'moderate';
  return 'easy';
}

/**
 * The harder of the two readings: intervals spend most of their time easy, so neither the
 * average intensity nor the zone shares alone should be able to call them easy. null when the
 * source gave neither.
 */
export function intensityLabel(a: Pick<IntervalsActivity, 'icu_intensity' | 'icu_hr_zone_times'>): IntensityLabel | null {
  const byIf = a.icu_intensity != null && a.icu_intensity > 0 ? labelFromIntensity(a.icu_intensity) : null;
  const byHr = a.icu_hr_zone_times?.length ? labelFromHrZones(a.icu_hr_zone_times) : null;
  if (!byIf) return byHr;
  if (!byHr) return byIf;
  return LABELS[Math.max(LABELS.indexOf(byIf), LABELS.indexOf(byHr))] as IntensityLabel;
}
