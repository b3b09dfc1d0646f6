import { z } from 'zod';
import { DateBoundSchema, ResolvedWindowSchema } from './dates.js';

/** Plan vs actual (GET /review, get_review): the calendar's planned workouts beside what was done. */

export const ReviewQuerySchema = z.object({
  oldest: DateBoundSchema.optional().describe('First local date: YYYY-MM-DD, today, -7d, this-week, last-month'),
  newest: DateBoundSchema.optional().describe('Last local date, same forms'),
});
export type ReviewQuery = z.infer<typeof ReviewQuerySchema>;

const num = z.number().optional();

export const ReviewPlannedSchema = z.object({
  id: z.string().optional().describe('Intervals.icu event id'),
  name: z.string().optional(),
  type: z.string().optional(),
  movingTime: num.describe('s'),
  distance: num.describe('km'),
  load: num,
  target: z.string().optional().describe('The planned work reps, "5 x 1000m @ 3:50-3:55/km"'),
});

export const ReviewDoneSchema = z.object({
  id: z.string().describe('trn_… (get_training for the laps)'),
  name: z.string().optional(),
  workoutType: z.string(),
  sessionType: z.string(),
  movingTime: num.describe('s'),
  distance: num.describe('km'),
  load: num,
});

export const RepCheckSchema = z.object({
  rep: z.number().int(),
  pace: z.string().optional().describe('m:ss per km'),
  hr: num,
  verdict: z.enum(['on target', 'faster', 'slower', 'above', 'below', 'no target']),
  offBy: z.string().optional().describe('How far outside the target: "6 s/km", "4 bpm"'),
});

export const ReviewItemSchema = z.object({
  status: z.enum(['done', 'missed', 'unplanned', 'planned']).describe('planned = today or later, not done yet'),
  planned: ReviewPlannedSchema.optional(),
  done: ReviewDoneSchema.optional(),
  compliance: z
    .object({ duration: num, distance: num, load: num, intervalsIcu: num.describe("Intervals.icu's own %") })
    .optional()
    .describe('Done as % of planned'),
  reps: z
    .object({
      aligned: z.boolean(),
      note: z.string().optional(),
      checks: z.array(RepCheckSchema).optional(),
    })
    .optional()
    .describe('Structured sessions: each work rep against the target; aligned=false when the reps do not match the plan'),
});
export type ReviewItem = z.infer<typeof ReviewItemSchema>;

export const ReviewDaySchema = z.object({ date: z.string(), items: z.array(ReviewItemSchema) });
export type ReviewDay = z.infer<typeof ReviewDaySchema>;

const TotalsSchema = z.object({ sessions: z.number().int(), movingTime: z.number().describe('s'), distance: z.number().describe('km'), load: z.number() });
export const ReviewWeekSchema = z.object({
  week: z.string().describe('ISO week, 2026-W10'),
  planned: TotalsSchema,
  done: TotalsSchema,
  missed: z.number().int(),
  unplanned: z.number().int(),
});
export type ReviewWeek = z.infer<typeof ReviewWeekSchema>;

export const ReviewResponseSchema = z.object({
  window: ResolvedWindowSchema,
  days: z.array(ReviewDaySchema).describe('Days with something planned or done, oldest first'),
  weeks: z.array(ReviewWeekSchema),
});
export type ReviewResponse = z.infer<typeof ReviewResponseSchema>;
