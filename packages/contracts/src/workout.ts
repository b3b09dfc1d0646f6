import { z } from 'zod';

/**
 * The workout record assistants receive (DESIGN §5, shared/brief/workouts-page.txt).
 * A value the source did not provide is null: never invented.
 */
export const RUN_SESSION_TYPES = [
  'Easy',
  'Recovery',
  'Long',
  'Threshold',
  'Interval',
  'Repetition',
  'Race',
  'Unclassified',
] as const;

export const IntensityLabelSchema = z.enum(['easy', 'moderate', 'hard', 'very hard']);

export const SplitKmSchema = z.object({
  km: z.number(),
  pace: z.string(),
  avgHr: z.number().nullable().optional(),
});
export type SplitKm = z.infer<typeof SplitKmSchema>;

export const IntervalSummarySchema = z.object({ work: z.string(), recovery: z.string().nullable() });

export const RecordIntervalSchema = z.object({
  name: z.string(),
  type: z.string().nullable(),
  moving_time: z.number().nullable(),
  distance: z.number().nullable(),
  avg_hr: z.number().nullable(),
  max_hr: z.number().nullable(),
  pace: z.string().nullable(),
  avg_watts: z.number().nullable(),
  cadence: z.number().nullable(),
  // Added fields are absent (not null) when the source lacks them: the list is long with full=1.
  /** Intervals.icu's intensity of the interval, % of threshold (FTP for power, else pace/HR). */
  intensity: z.number().optional(),
  /** Normalized (weighted average) power, W. */
  np: z.number().optional(),
  /** Position in its repeat group and the group's size (icu_groups count): rep 2 of reps 4. */
  rep: z.number().optional(),
  reps: z.number().optional(),
  /**
   * Splits' reading of the interval from the session's intensity profile (not Intervals.icu's
   * WORK/RECOVERY `type`, which is often wrong): warmup, work, recovery, cooldown or steady.
   */
  role: z.enum(['warmup', 'work', 'recovery', 'cooldown', 'steady']).optional(),
});
export type RecordInterval = z.infer<typeof RecordIntervalSchema>;

export const WellnessContextSchema = z.object({
  hrv: z.number().nullable(),
  restingHr: z.number().nullable(),
  sleepHours: z.number().nullable(),
  sleepScore: z.number().nullable(),
  weight: z.number().nullable(),
  // Added fields: absent when the wellness row lacks them.
  sleepQuality: z.number().optional(),
  avgSleepingHr: z.number().optional(),
  readiness: z.number().optional(),
  /** Subjective 1–4 scales as the athlete entered them (feltFatigue is wellness `fatigue`, not ATL). */
  soreness: z.number().optional(),
  feltFatigue: z.number().optional(),
  stress: z.number().optional(),
  mood: z.number().optional(),
  motivation: z.number().optional(),
});
export type WellnessContext = z.infer<typeof WellnessContextSchema>;

/**
 * Planned vs actual: the planned calendar event Intervals.icu paired with this activity.
 * compliance is Intervals.icu's % of the plan done; name/movingTime/distance/load are the plan's
 * (null when only the pairing is known, not the event itself).
 */
export const PlannedComparisonSchema = z.object({
  eventId: z.number().nullable(),
  compliance: z.number().nullable(),
  name: z.string().nullable(),
  /** s */
  movingTime: z.number().nullable(),
  /** km */
  distance: z.number().nullable(),
  load: z.number().nullable(),
});
export type PlannedComparison = z.infer<typeof PlannedComparisonSchema>;

/** How the session type was decided: rules over the lap structure, or the LLM fallback. */
export const SessionClassificationSchema = z.object({
  method: z.enum(['rules', 'llm']),
  /** 0–1. */
  confidence: z.number().min(0).max(1),
  /** One line an athlete understands: "4 × 8 min at 96–100% LTHR, 2 min jog". */
  reason: z.string(),
  /**
   * Runs: where the threshold pace the session was judged against came from — the athlete's own
   * running (`race`: a declared race through VDOT; `efforts`: hard efforts; `heart_rate`: speed at
   * LTHR from steady running), their Intervals.icu `settings`, what Intervals.icu stamped on the
   * `activity`, or `none` (judged on the session's own shape).
   */
  thresholdSource: z
    .enum(['intervals_cs', 'race', 'efforts', 'heart_rate', 'settings', 'activity', 'history', 'none'])
    .describe("Runs: where the threshold pace the session was judged against came from: the athlete's own running (intervals_cs = Intervals.icu's critical-speed model, race = a declared race via VDOT, efforts = hard efforts, heart_rate = speed at LTHR), their Intervals.icu settings, the activity's own stamp, or none (the session's shape only).")
    .optional(),
  /** Runs: that threshold pace, "4:12/km", and the settings' own when they differ. */
  thresholdPace: z.string().nullable().describe('Runs: the threshold pace used, "4:12/km".').optional(),
  settingsThresholdPace: z.string().nullable().describe("Runs: the Intervals.icu setting, when it differs from the pace used.").optional(),
  /** Runs: the settings have been more than 5 % off the athlete's own running for two weeks. */
  staleSettings: z.boolean().describe('Runs: the settings have been more than 5% off the athlete\'s own running for two weeks.').optional(),
});
export type SessionClassification = z.infer<typeof SessionClassificationSchema>;

/**
 * The classification as stored (workout_classification): the record's, plus the reason without words
 * (reason.ts: `reasonCode`, `reasonParams`) that each reader renders in its language. The record
 * assistants receive carries the English `reason` only: its schema leaves these two out.
 */
export const StoredClassificationSchema = SessionClassificationSchema.extend({
  reasonCode: z.string().optional(),
  reasonParams: z.record(z.string(), z.unknown()).optional(),
});
export type StoredClassification = z.infer<typeof StoredClassificationSchema>;

/** The key work of a structured session (the reps, or the sustained block of a tempo or race). */
export const MainSetSchema = z.object({
  /** "4 x 8 min", "5 x 1000 m", "30 min continuous". */
  work: z.string(),
  reps: z.number(),
  /** Total moving time of the work, s. */
  workTime: z.number().nullable(),
  /** Total distance of the work, km. */
  workDistance: z.number().nullable(),
  /** Average pace of the work, "4:05/km" (runs). */
  pace: z.string().nullable(),
  avgHr: z.number().nullable(),
  avgWatts: z.number().nullable(),
  /** Work pace as % of threshold pace (speed ratio), when the threshold is known. */
  pctThresholdPace: z.number().nullable(),
  /** Work HR as % of LTHR, when both are known. */
  pctLthr: z.number().nullable(),
});
export type MainSet = z.infer<typeof MainSetSchema>;

const n = z.number().nullable();
/** Fields added after the first records were stored: optional so older stored records still parse. */
const later = <T extends z.ZodType>(t: T) => t.nullable().optional();
export const WorkoutRecordSchema = z.object({
  id: z.string(),
  intervalsActivityId: z.string(),
  intervalsUrl: z.string(),
  date: z.string(),
  localDate: z.string().nullable(),
  workoutType: z.string(),
  sessionType: z.string(),
  activityName: z.string().nullable(),
  distance: n,
  movingTime: n,
  /** s, including stops */
  elapsedTime: later(z.number()),
  pace: n,
  speed: n,
  avgHr: n,
  maxHr: n,
  load: n,
  fitness: n,
  fatigue: n,
  form: n,
  intensity: IntensityLabelSchema.nullable(),
  elevationGain: n,
  hrZoneTimes: z.array(z.number()).nullable(),
  /** bpm upper bounds of the HR zones hrZoneTimes counts (the last is the athlete's max). */
  hrZones: later(z.array(z.number())),
  splitsKm: z.array(SplitKmSchema).nullable(),
  intervalSummary: IntervalSummarySchema.nullable(),
  userReport: z.string().nullable(),
  vdot: n,
  sportMetrics: z.record(z.string(), z.unknown()).nullable(),
  wellness: WellnessContextSchema.nullable(),
  /** The athlete's perceived exertion 1–10 and feel 1–5 as entered in Intervals.icu. */
  rpe: later(z.number()),
  feel: later(z.number()),
  /** kcal */
  calories: later(z.number()),
  /** Trainer / treadmill session. */
  indoor: later(z.boolean()),
  /** Marked as a race in Intervals.icu (the race flag or sub_type RACE); null when it did not say. */
  race: later(z.boolean().describe('Marked as a race in Intervals.icu (race flag or sub_type RACE).')),
  /** Planned vs actual, when the activity is paired with a planned workout. */
  planned: later(PlannedComparisonSchema),
  provisional: z.boolean(),
  intervals: z.array(RecordIntervalSchema).optional(),
  classification: SessionClassificationSchema.nullable().optional(),
  mainSet: MainSetSchema.nullable().optional(),
});
export type WorkoutRecord = z.infer<typeof WorkoutRecordSchema>;

/**
 * The record fields the classify-worker owns: stored apart (workout_classification) and composed
 * into the record on read. A new classification field is one more name here (and in the record schema).
 */
export const CLASSIFICATION_FIELDS = ['sessionType', 'classification', 'mainSet', 'vdot', 'intervalSummary'] as const;
export type ClassificationFields = Pick<WorkoutRecord, 'sessionType'> & {
  [K in Exclude<(typeof CLASSIFICATION_FIELDS)[number], 'sessionType'>]?: K extends 'classification' ? StoredClassification | null : WorkoutRecord[K];
};
