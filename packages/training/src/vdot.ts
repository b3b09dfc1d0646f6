/**
 * VDOT after Daniels & Gilbert (Oxygen Power, 1979): two continuous equations instead of a
 * lookup table, so any distance (a 12 km race, a 1500 m) works without a distance-to-column
 * mapping (brief/architecture-article.txt: the bug everyone makes).
 *
 *   VO2(v)   = −4.60 + 0.182258·v + 0.000104·v²           v in m/min
 *   %max(t)  = 0.8 + 0.1894393·e^(−0.012778·t) + 0.2989558·e^(−0.1932605·t)   t in min
 *   VDOT     = VO2(v) / %max(t)
 */

/** Oxygen cost (ml/kg/min) of running at `v` metres per minute. */
export function oxygenCost(metresPerMin: number): number {
  return -4.6 + 0.182258 * metresPerMin + 0.000104 * metresPerMin ** 2;
}

/** Share of VO2max an athlete can sustain for `minutes`. */
export function sustainableFraction(minutes: number): number {
  return 0.8 + 0.1894393 * Math.exp(-0.012778 * minutes) + 0.2989558 * Math.exp(-0.1932605 * minutes);
}

/** Speed (m/min) whose oxygen cost is `vo2`: the positive root of the VO2(v) quadratic. */
export function velocityForVo2(vo2: number): number {
  const a = 0.000104;
  const b = 0.182258;
  const c = -4.6 - vo2;
  return (-b + Math.sqrt(b * b - 4 * a * c)) / (2 * a);
}

/** VDOT of a performance: `distanceMeters` covered in `timeSeconds`. */
export function vdotFromPerformance(distanceMeters: number, timeSeconds: number): number {
  if (!(distanceMeters > 0) || !(timeSeconds > 0)) throw new RangeError('distance and time must be positive');
  const minutes = timeSeconds / 60;
  return oxygenCost(distanceMeters / minutes) / sustainableFraction(minutes);
}

/**
 * Equivalent race time (seconds) over `distanceMeters` for an athlete of `vdot`: the time t
 * with vdotFromPerformance(d, t) = vdot. VDOT falls monotonically as t grows, so bisection is exact
 * enough (1 ms) and cannot diverge.
 */
export function raceTimeForVdot(vdot: number, distanceMeters: number): number {
  if (!(vdot > 0) || !(distanceMeters > 0)) throw new RangeError('vdot and distance must be positive');
  let lo = 1;
  let hi = 24 * 3600;
  while (hi - lo > 0.001) {
    const mid = (lo + hi) / 2;
    if (vdotFromPerformance(distanceMeters, mid) > vdot) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

export interface PaceRange {
  /** Faster end of the zone, seconds per km. */
  fromSecPerKm: number;
  /** Slower end of the zone, seconds per km. */
  toSecPerKm: number;
}

export interface DanielsPaces {
  /** Easy / long runs. */
  E: PaceRange;
  /** Marathon pace. */
  M: PaceRange;
  /** Threshold ("comfortably hard", about an hour's race effort). */
  T: PaceRange;
  /** Intervals at VO2max (3–5 min reps). */
  I: PaceRange;
  /** Repetitions: faster than VO2max, short reps with full recovery. */
  R: PaceRange;
}

const secPerKmAtVo2 = (vo2: number) => 60_000 / velocityForVo2(vo2);

/**
 * Daniels training paces. E, T and I are fractions of VO2max (E 62–70 %, T 86–88 %,
 * I 97–100 %); M is the pace of the equivalent marathon; R is the pace of the equivalent mile
 * (Daniels: "R pace is about current mile race pace"), with a ±1.5 % band for M and R.
 */
export function danielsPaces(vdot: number): DanielsPaces {
  const at = (lo: number, hi: number): PaceRange => ({ fromSecPerKm: secPerKmAtVo2(vdot * hi), toSecPerKm: secPerKmAtVo2(vdot * lo) });
  const band = (secPerKm: number, rel: number): PaceRange => ({ fromSecPerKm: secPerKm * (1 - rel), toSecPerKm: secPerKm * (1 + rel) });
  const marathon = raceTimeForVdot(vdot, 42195) / 42.195;
  const mile = raceTimeForVdot(vdot, 1609.344) / 1.609344;
  return {
    E: at(0.62, 0.7),
    M: band(marathon, 0.015),
    T: at(0.86, 0.88),
    I: at(0.97, 1.0),
    R: band(mile, 0.015),
  };
}

/** Standard race distances, m (a raced distance is snapped to one of these: standardDistanceOf). */
export const STANDARD_DISTANCES: ReadonlyArray<{ name: string; meters: number }> = [
  { name: '1500 m', meters: 1500 },
  { name: 'Mile', meters: 1609.344 },
  { name: '3K', meters: 3000 },
  { name: '5K', meters: 5000 },
  { name: '8K', meters: 8000 },
  { name: '10K', meters: 10000 },
  { name: '15K', meters: 15000 },
  { name: '10 miles', meters: 16093.44 },
  { name: 'Half marathon', meters: 21097.5 },
  { name: '30K', meters: 30000 },
  { name: 'Marathon', meters: 42195 },
];

const PREDICTED = new Set(['1500 m', 'Mile', '5K', '10K', 'Half marathon', 'Marathon']);
/** The distances a race prediction gives equivalent times for: those athletes race most. */
export const RACE_DISTANCES = STANDARD_DISTANCES.filter((d) => PREDICTED.has(d.name));

export function equivalentRaceTimes(vdot: number): Array<{ name: string; meters: number; timeSec: number }> {
  return RACE_DISTANCES.map((d) => ({ ...d, timeSec: Math.round(raceTimeForVdot(vdot, d.meters)) }));
}
