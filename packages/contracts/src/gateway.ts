import { z } from 'zod';
import { CalendarDateSchema, DateBoundSchema, ResolvedWindowSchema } from './dates.js';
import { PG_INT4_MAX, TextSchema } from './input.js';

/** Shapes of the gateway's GPT Actions and MCP tools beyond trainings (DESIGN §6). */

const boolish = z
  .union([z.boolean(), z.enum(['1', '0', 'true', 'false'])])
  .transform((v) => v === true || v === '1' || v === 'true');
const csv = (item: z.ZodString) =>
  z
    .union([z.string(), z.array(z.string())])
    .transform((v) => (Array.isArray(v) ? v : v.split(',')).map((s) => s.trim()).filter((s) => s !== ''))
    .pipe(z.array(item).max(100));

export const DateWindowQuerySchema = z.object({
  oldest: DateBoundSchema.optional().describe('First local date: YYYY-MM-DD, today, -7d, this-week, last-month'),
  newest: DateBoundSchema.optional().describe('Last local date, same forms'),
});
export type DateWindowQuery = z.infer<typeof DateWindowQuerySchema>;

export const SummaryQuerySchema = z.object({
  part: z.coerce.number().int().min(1).max(100).default(1).describe('Which part, 1-based (see parts)'),
  version: z.coerce.number().int().min(0).max(PG_INT4_MAX).optional().describe('The version you hold; unchanged=true and no summary when it is current'),
});
export type SummaryQuery = z.infer<typeof SummaryQuerySchema>;

export const SummaryResponseSchema = z.object({
  version: z.number().int(),
  builtAt: z.string(),
  part: z.number().int(),
  parts: z.number().int(),
  /** true when the caller's `version` is still current and the document was left out. */
  unchanged: z.boolean(),
  summary: z.record(z.string(), z.unknown()).nullable(),
});
export type SummaryResponse = z.infer<typeof SummaryResponseSchema>;

/** Who a token belongs to (GET /me, MCP whoami). The schema is the allow-list: no credential ever leaves. */
export const MeSchema = z.object({
  athleteId: z.string(),
  name: z.string().nullable(),
  timezone: z.string(),
  intervalsAthleteId: z.string(),
  connection: z.object({ kind: z.enum(['api_key', 'oauth']), status: z.string() }),
});
export type Me = z.infer<typeof MeSchema>;

const n = z.number().nullable();
export const WellnessDaySchema = z.object({
  date: CalendarDateSchema,
  fitness: n.describe('CTL'),
  fatigue: n.describe('ATL'),
  form: n.describe('CTL - ATL'),
  rampRate: n,
  restingHr: n,
  hrv: n.describe('rMSSD, ms'),
  hrvSdnn: n,
  sleepHours: n,
  sleepScore: n,
  weight: n.describe('kg'),
  readiness: n,
  steps: n,
  /** The athlete's own 1-4 ratings. */
  feel: z.object({ soreness: n, fatigue: n, stress: n, mood: n, motivation: n }),
});
export type WellnessDay = z.infer<typeof WellnessDaySchema>;

export const WellnessResponseSchema = z.object({ window: ResolvedWindowSchema, days: z.array(WellnessDaySchema), count: z.number().int() });
export type WellnessResponse = z.infer<typeof WellnessResponseSchema>;

export const PlannedEventSchema = z.object({
  /** Intervals.icu event id; null in a dry-run preview of a new event. */
  id: z.string().nullable(),
  externalId: z.string().nullable(),
  date: CalendarDateSchema,
  start: z.string(),
  category: z.string(),
  type: z.string().nullable(),
  name: z.string().nullable(),
  description: z.string().nullable(),
  movingTime: z.number().nullable().describe('seconds'),
  distance: z.number().nullable().describe('km'),
  load: z.number().nullable(),
});
export type PlannedEvent = z.infer<typeof PlannedEventSchema>;

export const PlannedEventsResponseSchema = z.object({ window: ResolvedWindowSchema, events: z.array(PlannedEventSchema), count: z.number().int() });
export type PlannedEventsResponse = z.infer<typeof PlannedEventsResponseSchema>;

export const EXTERNAL_ID = /^[A-Za-z0-9._:-]{1,100}$/;

export const PlannedWorkoutInputSchema = z.object({
  externalId: z.string().regex(EXTERNAL_ID, 'letters, digits and . _ : - only, 1-100 characters').describe('Your stable key: the same externalId updates instead of duplicating'),
  date: CalendarDateSchema.describe('Local date, YYYY-MM-DD'),
  time: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'expected HH:MM, 00:00-23:59').optional().describe('Local start time HH:MM'),
  type: z.string().regex(/^[A-Za-z]{2,30}$/).describe('Run, Ride, Swim, …'),
  name: TextSchema.min(1).max(200),
  description: TextSchema
    .min(1)
    .max(5000)
    .describe("Intervals.icu workout text: steps '- 10m Z2 HR', '- 400mtr 3:50/km Pace'; m=minutes, mtr=metres; repeats 'Main Set 4x' between empty lines"),
  target: z.enum(['AUTO', 'POWER', 'HR', 'PACE']).optional(),
});
export type PlannedWorkoutInput = z.infer<typeof PlannedWorkoutInputSchema>;

export const UpsertPlannedWorkoutsBodySchema = z.object({
  workouts: z.array(PlannedWorkoutInputSchema).min(1).max(50),
  dry_run: z.boolean().default(false).describe('true: validate and preview, write nothing'),
});
export type UpsertPlannedWorkoutsBody = z.infer<typeof UpsertPlannedWorkoutsBodySchema>;

export const PlannedWriteResponseSchema = z.object({
  dryRun: z.boolean(),
  count: z.number().int(),
  events: z.array(PlannedEventSchema.extend({ action: z.enum(['create', 'update', 'delete']) })),
  /** Ids or external ids asked for that matched nothing. */
  notFound: z.array(z.string()),
});
export type PlannedWriteResponse = z.infer<typeof PlannedWriteResponseSchema>;

export const DeletePlannedWorkoutsQuerySchema = z.object({
  ids: csv(z.string().regex(/^\d{1,15}$/, 'event ids are numbers')).optional().describe('Comma-separated event ids'),
  external_ids: csv(z.string().regex(EXTERNAL_ID)).optional().describe('Comma-separated external ids'),
  prefix: z.string().regex(EXTERNAL_ID).optional().describe('Every planned workout whose external id starts with this'),
  oldest: CalendarDateSchema.optional().describe('With newest: planned workouts in this local-date window'),
  newest: CalendarDateSchema.optional(),
  dry_run: boolish.default(false).describe('1: list what would be deleted, delete nothing'),
});
export type DeletePlannedWorkoutsQuery = z.infer<typeof DeletePlannedWorkoutsQuerySchema>;
