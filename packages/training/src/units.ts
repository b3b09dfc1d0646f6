/** Unit conversions and display formats shared by the record, the message and the summaries. */

export const round = (v: number, digits = 0): number => {
  const f = 10 ** digits;
  return Math.round(v * f) / f;
};

/** A finite number, or null: Intervals.icu sends null, NaN never. */
export const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/** A run (or lap of one) faster than this, m/s (2:13/km), is a GPS artefact, not running. */
export const GPS_MAX_RUN_SPEED = 7.5;

/** Intervals.icu activity types that are runs (what `sportFamily` calls 'run'). */
export const RUN_WORKOUT_TYPES = ['Run', 'TrailRun', 'VirtualRun', 'Treadmill', 'TrackRun'] as const;
const RUN_TYPES = new Set<string>(RUN_WORKOUT_TYPES);
const SWIM_TYPES = new Set(['Swim', 'OpenWaterSwim']);
const RIDE_TYPES = new Set(['Ride', 'VirtualRide', 'MountainBikeRide', 'GravelRide', 'EBikeRide', 'EMountainBikeRide', 'TrackRide', 'Velomobile', 'Handcycle']);

export type SportFamily = 'run' | 'ride' | 'swim' | 'other';

export function sportFamily(workoutType: string): SportFamily {
  if (RUN_TYPES.has(workoutType)) return 'run';
  if (SWIM_TYPES.has(workoutType)) return 'swim';
  if (RIDE_TYPES.has(workoutType) || workoutType.endsWith('Ride')) return 'ride';
  return 'other';
}

/** On foot but not running: pace in min/km like a run, yet no run session types or km splits. */
const FOOT_TYPES = new Set(['Walk', 'Hike', 'Snowshoe']);
export const isFootSport = (workoutType: string): boolean => sportFamily(workoutType) === 'run' || FOOT_TYPES.has(workoutType);

/**
 * How the record states this sport's speed: runs, walks and hikes as pace per km, swims as pace per
 * 100 m, rides (and other sports that move) as km/h.
 */
export type SpeedUnit = 'min/km' | 'min/100m' | 'km/h';
export function speedUnit(workoutType: string): SpeedUnit {
  if (isFootSport(workoutType)) return 'min/km';
  if (sportFamily(workoutType) === 'swim') return 'min/100m';
  return 'km/h';
}

/** A measurement that is only meaningful above zero (HR, watts, cadence, speed): 0 means "not recorded". */
export const positive = (v: unknown): number | null => {
  const n = num(v);
  return n !== null && n > 0 ? n : null;
};

/** Rounded, or null when the source gave nothing. */
export const rounded = (v: unknown, digits = 0): number | null => {
  const n = num(v);
  return n === null ? null : round(n, digits);
};

/** m/s → min/km as a decimal (4.92 = 4:55/km). */
export const minPerKm = (speed: number | null): number | null => (speed && speed > 0 ? 1000 / speed / 60 : null);
/** m/s → min/100 m as a decimal. */
export const minPer100m = (speed: number | null): number | null => (speed && speed > 0 ? 100 / speed / 60 : null);
/** m/s → km/h. */
export const kmh = (speed: number | null): number | null => (speed && speed > 0 ? speed * 3.6 : null);

/** Minutes as a decimal → "m:ss" (4.92 → "4:55"). */
export function formatPace(minutes: number): string {
  const total = Math.round(minutes * 60);
  return `${Math.floor(total / 60)}:${String(total % 60).padStart(2, '0')}`;
}

/** Seconds → "h:mm:ss" (3660 → "1:01:00", 2179 → "0:36:19"). */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  return `${h}:${String(m).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`;
}

export function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

/** Coefficient of variation: how regular a set of values is (0 = identical). */
export function cv(values: number[]): number {
  if (values.length < 2) return 0;
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  if (mean === 0) return Infinity;
  const sd = Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / values.length);
  return sd / mean;
}

/** The mean of the values weighted by their times (e.g. pace by moving time); null values and non-positive times are skipped; null when nothing counts. */
export function weightedMean(pairs: Array<[number | null, number]>): number | null {
  let w = 0;
  let s = 0;
  for (const [v, t] of pairs) {
    if (v === null || !(t > 0)) continue;
    s += v * t;
    w += t;
  }
  return w > 0 ? s / w : null;
}
