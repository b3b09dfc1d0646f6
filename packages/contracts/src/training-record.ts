import { z } from 'zod';
import {
  IntensityLabelSchema,
  MainSetSchema,
  PlannedComparisonSchema,
  SessionClassificationSchema,
  WellnessContextSchema,
  type RecordInterval,
  type WorkoutRecord,
} from './workout.js';

/**
 * The workout record as assistants receive it (GET /trainings, get_trainings, GET /trainings/{id}):
 * the stored record (WorkoutRecordSchema) made compact. Null and empty fields are left out, the
 * intervals are a small table (column names once, one row per lap), and what belongs to the athlete
 * rather than to one workout (threshold pace, LTHR, zone bounds) is given once per response in
 * `athlete` (AthleteContextSchema), not inside every workout.
 */

/** The interval table's columns, in order; a workout's table has only the columns it has values for. */
export const INTERVAL_COLUMNS = ['role', 'secs', 'km', 'pace', 'hr', 'maxHr', 'cadence', 'watts', 'np'] as const;
export type IntervalColumn = (typeof INTERVAL_COLUMNS)[number];

export const IntervalTableSchema = z
  .object({
    role: z.enum(['warmup', 'work', 'recovery', 'cooldown', 'steady']).optional().describe('The role of every lap, when all laps share one (then no role column)'),
    cols: z.array(z.enum(INTERVAL_COLUMNS)),
    rows: z.array(z.array(z.union([z.string(), z.number(), z.null()]))),
  })
  .describe(
    'One row per lap in order, values in the order of cols: role (warmup, work, recovery, cooldown, steady), secs (moving time), km, pace (m:ss per km; swims per 100 m), hr and maxHr (bpm), cadence (steps/min; rpm on a bike), watts and np (W). null = not recorded.',
  );
export type IntervalTable = z.infer<typeof IntervalTableSchema>;

const opt = <T extends z.ZodType>(t: T) => t.optional();
const num = z.number().optional();

export const SplitsTableSchema = z
  .object({ cols: z.array(z.enum(['km', 'pace', 'hr'])), rows: z.array(z.array(z.union([z.string(), z.number(), z.null()]))) })
  .describe('Runs: one row per km from the GPS stream, values in the order of cols: km, pace (m:ss per km), hr (bpm). With intervals, left out when the laps are the km splits already (auto-lap every km).');

export const TrainingRecordSchema = z.object({
  id: z.string(),
  intervalsActivityId: z.string().describe('Open at https://intervals.icu/activities/<intervalsActivityId>'),
  date: z.string().describe('Start, ISO-8601 UTC'),
  localDate: opt(z.string()),
  workoutType: z.string(),
  sessionType: z.string(),
  activityName: opt(z.string()),
  distance: num.describe('km'),
  movingTime: num.describe('s'),
  elapsedTime: num.describe('s, stops included'),
  pace: num.describe('Runs: min/km as a decimal (4.92 = 4:55/km); swims: min/100 m'),
  speed: num.describe('Rides: km/h'),
  avgHr: num,
  maxHr: num,
  load: num,
  fitness: num.describe('CTL after this workout'),
  fatigue: num.describe('ATL after this workout'),
  form: num.describe('CTL - ATL'),
  intensity: opt(IntensityLabelSchema),
  elevationGain: num.describe('m'),
  hrZoneTimes: opt(z.array(z.number())).describe('s per HR zone (bounds in athlete.sports[].hrZones)'),
  splitsKm: opt(SplitsTableSchema),
  intervalSummary: opt(z.object({ work: z.string(), recovery: z.string().optional() })),
  userReport: opt(z.string()).describe("The athlete's own report"),
  vdot: num,
  sportMetrics: opt(z.record(z.string(), z.unknown())),
  wellness: opt(WellnessContextSchema.partial()).describe("The day's HRV, resting HR, sleep"),
  rpe: num.describe('1-10'),
  feel: num.describe('1-5'),
  calories: num.describe('kcal'),
  indoor: opt(z.boolean()),
  race: opt(z.boolean()).describe('Marked as a race in Intervals.icu'),
  planned: opt(PlannedComparisonSchema.partial()).describe('The planned workout Intervals.icu paired with it; compliance in %'),
  provisional: opt(z.literal(true)).describe('Intervals.icu has not finished its analysis: fitness and load may change'),
  classification: opt(SessionClassificationSchema.partial()),
  mainSet: opt(MainSetSchema.partial()),
  intervals: opt(IntervalTableSchema),
});
export type TrainingRecord = z.infer<typeof TrainingRecordSchema>;

/** One sport's thresholds and zones, from the athlete's Intervals.icu sport settings. */
export const SportContextSchema = z.object({
  sport: z.string(),
  thresholdPace: opt(z.string()).describe('Intervals.icu setting, "4:12/km"'),
  lthr: num.describe('bpm'),
  maxHr: num.describe('bpm'),
  ftp: num.describe('W'),
  hrZones: opt(z.array(z.number())).describe('bpm upper bound of each HR zone'),
  paceZones: opt(z.array(z.number())).describe('% of threshold pace, upper bound of each pace zone'),
  powerZones: opt(z.array(z.number())).describe('% FTP, upper bound of each power zone'),
});
export type SportContext = z.infer<typeof SportContextSchema>;

/** Per-athlete context, given once per response. */
export const AthleteContextSchema = z.object({
  timezone: z.string(),
  sports: z.array(SportContextSchema).describe('Settings of the sports in this answer'),
});
export type AthleteContext = z.infer<typeof AthleteContextSchema>;

// --- the stored record → the served record -------------------------------------------------------

const round = (v: number, digits: number) => {
  const f = 10 ** digits;
  return Math.round(v * f) / f;
};
const present = (v: unknown): boolean =>
  v !== null && v !== undefined && !(Array.isArray(v) && v.length === 0) && !(typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length === 0);

/** The value with null, undefined, [] and {} left out at every depth (arrays keep their positions). */
export function withoutEmpty<T>(value: T): T {
  if (Array.isArray(value)) return value.map((v) => (v !== null && typeof v === 'object' ? withoutEmpty(v) : v)) as T;
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    const c = v !== null && typeof v === 'object' ? withoutEmpty(v) : v;
    if (present(c)) out[k] = c;
  }
  return out as T;
}

/** "4:53/km" → "4:53"; the unit is in the table's description. */
const lapPace = (p: string | null | undefined) => (p ? p.replace(/\/.*$/, '') : null);
const int = (v: number | null | undefined) => (typeof v === 'number' && Number.isFinite(v) ? Math.round(v) : null);

/** The km splits as a table; the hr column only when some split has one. */
export function splitsTable(splits: readonly { km: number; pace: string; avgHr?: number | null }[]): z.infer<typeof SplitsTableSchema> {
  const hr = splits.some((s) => typeof s.avgHr === 'number');
  return {
    cols: hr ? ['km', 'pace', 'hr'] : ['km', 'pace'],
    rows: splits.map((s) => (hr ? [s.km, lapPace(s.pace), int(s.avgHr)] : [s.km, lapPace(s.pace)])),
  };
}

const CELL: Record<IntervalColumn, (i: RecordInterval) => string | number | null> = {
  role: (i) => i.role ?? (i.type ? i.type.toLowerCase() : null),
  secs: (i) => int(i.moving_time),
  km: (i) => (typeof i.distance === 'number' ? round(i.distance / 1000, 2) : null),
  pace: (i) => lapPace(i.pace),
  hr: (i) => int(i.avg_hr),
  maxHr: (i) => int(i.max_hr),
  cadence: (i) => int(i.cadence),
  watts: (i) => int(i.avg_watts),
  np: (i) => int(i.np),
};

/** The laps as a table: only the columns some lap has a value for; one role for all laps stated once. */
export function intervalTable(intervals: readonly RecordInterval[]): IntervalTable {
  const roles = new Set(intervals.map((i) => CELL.role(i)));
  const [only] = roles;
  const shared = roles.size === 1 && typeof only === 'string' && ['warmup', 'work', 'recovery', 'cooldown', 'steady'].includes(only) ? (only as IntervalTable['role']) : undefined;
  const cols = INTERVAL_COLUMNS.filter((c) => (c !== 'role' || !shared) && intervals.some((i) => CELL[c](i) !== null));
  const rows = intervals.map((i) => cols.map((c) => CELL[c](i)));
  return shared ? { role: shared, cols, rows } : { cols, rows };
}

/** Auto-lap every kilometre: every lap but the last is 1 km (± 20 m), so the laps are the km splits. */
function lapsAreKmSplits(intervals: readonly RecordInterval[], splits: readonly unknown[]): boolean {
  if (intervals.length < splits.length - 1) return false;
  return intervals.slice(0, -1).every((i) => typeof i.distance === 'number' && Math.abs(i.distance - 1000) <= 20);
}

/**
 * The stored record as served: `hrZones` moves to the athlete context, the URL is named by the id,
 * intervals (only when `full`) and km splits become tables, `provisional` shows only when true,
 * empty values are left out.
 */
export function toTrainingRecord(record: WorkoutRecord, full: boolean): TrainingRecord {
  const { hrZones: _zones, intervalsUrl: _url, intervals, provisional, splitsKm, date, ...rest } = record;
  const served = withoutEmpty({
    ...rest,
    date: date.replace(/\.000Z$/, 'Z'),
    splitsKm:
      splitsKm && splitsKm.length > 0 && !(full && intervals && intervals.length > 0 && lapsAreKmSplits(intervals, splitsKm)) ? splitsTable(splitsKm) : undefined,
    provisional: provisional ? true : undefined,
  }) as Record<string, unknown>;
  if (full && intervals && intervals.length > 0) served.intervals = intervalTable(intervals);
  return served as TrainingRecord;
}
