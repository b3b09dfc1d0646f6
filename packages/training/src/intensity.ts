import type { IntervalsActivity } from '@splits/contracts';

export type IntensityLabel = 'easy' | 'moderate' | 'hard' | 'very hard';
const LABELS: IntensityLabel[] = ['easy', 'moderate', 'hard', 'very hard'];

/**
 * Intensity (icu_intensity, % of threshold: IF×100 for power, pace or HR otherwise):
 *   < 76 easy · 76–87 moderate · 88–100 hard · > 100 very hard.
 * A threshold session (tempo or cruise reps with warm-up) lands around 85–95: hard, not very
 * hard; only efforts above threshold on average (races, long VO2max sets) are very hard.
 */
export function labelFromIntensity(pct: number): IntensityLabel {
  if (pct < 76) return 'easy';
  if (pct < 88) return 'moderate';
  if (pct <= 100) return 'hard';
  return 'very hard';
}

/**
 * HR zones (Intervals.icu's seven; Z4 ends just below LTHR, Z5+ is above it), as shares of the
 * time: Z5+ ≥ 30 % → very hard · Z4+ ≥ 20 % → hard · Z4+ ≥ 10 % or Z3+ ≥ 50 % → moderate ·
 * otherwise easy. Threshold work sits in Z4 and touches Z5: hard.
 */
export function labelFromHrZones(zoneTimes: readonly number[]): IntensityLabel | null {
  const total = zoneTimes.reduce((a, b) => a + b, 0);
  if (total <= 0) return null;
  const from = (z: number) => zoneTimes.slice(z).reduce((a, b) => a + b, 0) / total;
  if (from(4) >= 0.3) return 'very hard';
  if (from(3) >= 0.2) return 'hard';
  if (from(3) >= 0.1 || from(2) >= 0.5) return 'moderate';
  return 'easy';
}

/**
 * The intensity word, one rule for every session type: Intervals.icu's intensity (icu_intensity:
 * power, pace or HR against threshold) decides; the HR zones may lift it, but not past "hard".
 * - Lift: intervals spend their recoveries easy, which pulls the average down, so the time spent
 *   hard shows in the zones (5 × 1000 m at IF 86 with 30 % above LTHR: hard, not moderate).
 * - Not past hard: heart rate drifts up through a long steady effort, so time above LTHR does not
 *   make a session harder than its average says (a threshold session at IF 92 whose HR drifted
 *   into Z5: hard, not very hard). "very hard" is an average above threshold (IF > 100: a 5K–10K
 *   race, a long VO2max set run hot).
 * Without an intensity the zones alone decide; null when the source gave neither.
 */
export function intensityLabel(a: Pick<IntervalsActivity, 'icu_intensity' | 'icu_hr_zone_times'>): IntensityLabel | null {
  const byIf = a.icu_intensity != null && a.icu_intensity > 0 ? labelFromIntensity(a.icu_intensity) : null;
  const byHr = a.icu_hr_zone_times?.length ? labelFromHrZones(a.icu_hr_zone_times) : null;
  if (!byIf) return byHr;
  if (!byHr) return byIf;
  const lift = Math.min(LABELS.indexOf(byHr), LABELS.indexOf('hard'));
  return LABELS[Math.max(LABELS.indexOf(byIf), lift)] as IntensityLabel;
}
