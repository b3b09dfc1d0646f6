import { z } from 'zod';

/**
 * Intervals.icu payloads (shared/reference/intervals-api.md). Nothing in the spec is required and
 * Intervals.icu sends explicit nulls, so every field is nullish; unknown keys pass through so the raw
 * source can be kept verbatim.
 */
const num = z.number().nullish();
const int = z.number().nullish();
const str = z.string().nullish();
const bool = z.boolean().nullish();

export const IntervalsIntervalSchema = z
  .object({
    id: int,
    type: str, // WORK | RECOVERY, Intervals.icu's own guess
    label: str,
    group_id: str,
    start_index: int,
    end_index: int,
    start_time: int,
    end_time: int,
    moving_time: int,
    elapsed_time: int,
    distance: num,
    average_watts: int,
    weighted_average_watts: int,
    intensity: num,
    zone: int,
    average_heartrate: num,
    max_heartrate: num,
    average_cadence: num,
    average_speed: num,
    max_speed: num,
    gap: num,
    training_load: num,
    decoupling: num,
    total_elevation_gain: num,
    average_stride: num,
  })
  .passthrough();
export type IntervalsInterval = z.infer<typeof IntervalsIntervalSchema>;

export const IntervalsGroupSchema = z
  .object({
    id: z.string(),
    count: int,
    start_index: int,
    moving_time: int,
    elapsed_time: int,
    distance: num,
    average_watts: int,
    average_heartrate: num,
    average_speed: num,
    intensity: num,
  })
  .passthrough();
export type IntervalsGroup = z.infer<typeof IntervalsGroupSchema>;

export const ZoneTimeSchema = z.object({ id: z.string(), secs: z.number() }).passthrough();

export const IntervalsActivitySchema = z
  .object({
    id: z.string(),
    icu_athlete_id: str,
    start_date_local: str,
    start_date: str,
    timezone: str,
    type: str,
    sub_type: str,
    name: str,
    description: str,
    source: str,
    _note: str,
    distance: num,
    moving_time: int,
    elapsed_time: int,
    total_elevation_gain: num,
    average_speed: num,
    max_speed: num,
    pace: num,
    gap: num,
    threshold_pace: num,
    average_heartrate: num,
    max_heartrate: num,
    average_cadence: num,
    average_stride: num,
    icu_average_watts: int,
    icu_weighted_avg_watts: int,
    icu_ftp: int,
    icu_intensity: num,
    icu_training_load: num,
    icu_ctl: num,
    icu_atl: num,
    icu_efficiency_factor: num,
    icu_variability_index: num,
    decoupling: num,
    trimp: num,
    calories: num,
    icu_hr_zones: z.array(z.number()).nullish(),
    icu_hr_zone_times: z.array(z.number()).nullish(),
    icu_power_zones: z.array(z.number()).nullish(),
    icu_zone_times: z.array(ZoneTimeSchema).nullish(),
    pace_zone_times: z.array(z.number()).nullish(),
    gap_zone_times: z.array(z.number()).nullish(),
    lthr: int,
    athlete_max_hr: int,
    icu_resting_hr: int,
    icu_weight: num,
    icu_rpe: int,
    feel: int,
    race: bool,
    trainer: bool,
    commute: bool,
    analyzed: str,
    created: str,
    icu_lap_count: int,
    interval_summary: z.array(z.string()).nullish(),
    stream_types: z.array(z.string()).nullish(),
    pool_length: num,
    lengths: int,
    kg_lifted: num,
    icu_intervals: z.array(IntervalsIntervalSchema).nullish(),
    icu_groups: z.array(IntervalsGroupSchema).nullish(),
  })
  .passthrough();
export type IntervalsActivity = z.infer<typeof IntervalsActivitySchema>;

export const IntervalsIntervalsDtoSchema = z
  .object({
    id: z.string(),
    analyzed: str,
    icu_intervals: z.array(IntervalsIntervalSchema).nullish(),
    icu_groups: z.array(IntervalsGroupSchema).nullish(),
  })
  .passthrough();
export type IntervalsIntervalsDto = z.infer<typeof IntervalsIntervalsDtoSchema>;

export const IntervalsStreamSchema = z
  .object({
    type: z.string(),
    name: str,
    data: z.array(z.any()).nullish(),
    data2: z.array(z.any()).nullish(),
  })
  .passthrough();
export const IntervalsStreamsSchema = z.array(IntervalsStreamSchema);

/**
 * `GET /athlete/{id}/pace-curves.json?type=Run&curves=42d` (reference §3, pace curves): one entry
 * per curve, distance (m) → best time (s), and the models Intervals.icu fitted, e.g.
 * `{type:"CS", criticalSpeed: m/s, dPrime: m, r2}`. Unknown fields pass through.
 */
export const IntervalsPaceModelSchema = z
  .object({ type: z.string(), criticalSpeed: z.number().nullish(), dPrime: z.number().nullish(), r2: z.number().nullish() })
  .passthrough();
export const IntervalsPaceCurveSchema = z
  .object({
    id: z.string().nullish(),
    distance: z.array(z.number()).default([]),
    values: z.array(z.number().nullable()).default([]),
    activity_id: z.array(z.string().nullable()).nullish(),
    paceModels: z.array(IntervalsPaceModelSchema).nullish(),
  })
  .passthrough();
export const IntervalsPaceCurvesSchema = z.object({ list: z.array(IntervalsPaceCurveSchema).default([]) }).passthrough();
export type IntervalsPaceCurves = z.infer<typeof IntervalsPaceCurvesSchema>;
export type IntervalsStream = z.infer<typeof IntervalsStreamSchema>;

export const IntervalsWellnessSchema = z
  .object({
    id: z.string(), // the date, YYYY-MM-DD
    ctl: num,
    atl: num,
    rampRate: num,
    weight: num,
    restingHR: num,
    hrv: num,
    hrvSDNN: num,
    sleepSecs: num,
    sleepScore: num,
    sleepQuality: num,
    readiness: num,
    soreness: num,
    fatigue: num,
    stress: num,
    mood: num,
    motivation: num,
    steps: num,
    updated: str,
  })
  .passthrough();
export type IntervalsWellness = z.infer<typeof IntervalsWellnessSchema>;

export const IntervalsEventSchema = z
  .object({
    id: z.number(),
    start_date_local: str,
    end_date_local: str,
    category: str,
    type: str,
    name: str,
    description: str,
    external_id: str,
    moving_time: int,
    icu_training_load: num,
    distance: num,
    updated: str,
  })
  .passthrough();
export type IntervalsEvent = z.infer<typeof IntervalsEventSchema>;

/** Body of `POST /athlete/{id}/events/bulk?upsert=true`. */
export const IntervalsEventInputSchema = z
  .object({
    category: z.string(),
    type: z.string().optional(),
    start_date_local: z.string(),
    name: z.string().optional(),
    description: z.string().optional(),
    external_id: z.string().optional(),
    moving_time: z.number().optional(),
    target: z.string().optional(),
  })
  .passthrough();
export type IntervalsEventInput = z.infer<typeof IntervalsEventInputSchema>;

/**
 * The activity inside a webhook event: only its id is checked. The rest (70+ fields) passes through
 * as it came, without the per-field copy an object schema makes: this runs on every delivery.
 */
const WebhookActivitySchema = z.custom<{ id: string | number } & Record<string, unknown>>(
  (v) => typeof v === 'object' && v !== null && ['string', 'number'].includes(typeof (v as { id?: unknown }).id),
  { message: 'activity.id must be a string or number' },
);

/** One event of a webhook delivery; the payload carrier depends on `type` (reference §1.3). */
export const IntervalsWebhookEventSchema = z
  .object({
    athlete_id: z.string().min(1),
    type: z.string().min(1),
    timestamp: z.string().nullish(),
    activity: WebhookActivitySchema.nullish(),
    records: z.array(z.record(z.string(), z.unknown())).nullish(),
    events: z.array(z.unknown()).nullish(),
    deleted_events: z.array(z.unknown()).nullish(),
  })
  .passthrough();
export type IntervalsWebhookEvent = z.infer<typeof IntervalsWebhookEventSchema>;

export const IntervalsWebhookBodySchema = z
  .object({
    secret: z.string(),
    events: z.array(IntervalsWebhookEventSchema).max(1000),
  })
  .passthrough();
export type IntervalsWebhookBody = z.infer<typeof IntervalsWebhookBodySchema>;

/** Event types that mean "(re)fetch this activity". */
export const ACTIVITY_FETCH_EVENT_TYPES = [
  'ACTIVITY_UPLOADED',
  'ACTIVITY_ANALYZED',
  'ACTIVITY_UPDATED',
  'ACTIVITY_ACHIEVEMENTS',
] as const;
