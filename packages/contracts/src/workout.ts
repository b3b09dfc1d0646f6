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
});
export type RecordInterval = z.infer<typeof RecordIntervalSchema>;

export const WellnessContextSchema = z.object({
  hrv: z.number().nullable(),
  restingHr: z.number().nullable(),
  sleepHours: z.number().nullable(),
  sleepScore: z.number().nullable(),
  weight: z.number().nullable(),
});
export type WellnessContext = z.infer<typeof WellnessContextSchema>;

const n = z.number().nullable();
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
  splitsKm: z.array(SplitKmSchema).nullable(),
  intervalSummary: IntervalSummarySchema.nullable(),
  userReport: z.string().nullable(),
  vdot: n,
  sportMetrics: z.record(z.string(), z.unknown()).nullable(),
  wellness: WellnessContextSchema.nullable(),
  provisional: z.boolean(),
  intervals: z.array(RecordIntervalSchema).optional(),
});
export type WorkoutRecord = z.infer<typeof WorkoutRecordSchema>;
