import { z } from 'zod';
import { DateBoundSchema, ResolvedWindowSchema } from './dates.js';
import { AthleteContextSchema, TrainingRecordSchema } from './training-record.js';
import { MAX_OFFSET, TextSchema } from './input.js';

/** Error body used by every HTTP surface: `{error:{code,message}}`. */
export const ErrorBodySchema = z.object({ error: z.object({ code: z.string(), message: z.string() }) });
export type ErrorBody = z.infer<typeof ErrorBodySchema>;

/**
 * An error raised on purpose by an HTTP service; its one error handler answers `statusCode` with
 * `{error:{code,message}}` (ErrorBody). Each service subclasses it for the refusals it makes.
 */
export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    /** Response headers the refusal carries (a WWW-Authenticate challenge, a Retry-After). */
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

const boolish = z
  .union([z.boolean(), z.enum(['1', '0', 'true', 'false'])])
  .transform((v) => v === true || v === '1' || v === 'true');

export const TrainingsQuerySchema = z.object({
  oldest: DateBoundSchema.optional().describe('First local date: YYYY-MM-DD, today, -7d, this-week, last-month'),
  newest: DateBoundSchema.optional().describe('Last local date, same forms'),
  limit: z.coerce.number().int().min(1).max(50).default(30).describe('Records per page, 1-50'),
  offset: z.coerce.number().int().min(0).max(MAX_OFFSET).default(0).describe(`Records to skip, 0-${MAX_OFFSET} (use nextOffset)`),
  full: boolish.default(false).describe('1 adds the laps, as a table'),
});
export type TrainingsQuery = z.infer<typeof TrainingsQuerySchema>;

/** One workout by its Splits id (`trn_…`). */
export const TrainingParamsSchema = z.object({ id: TextSchema.min(1).max(100).describe('Workout id, trn_…') });
export type TrainingParams = z.infer<typeof TrainingParamsSchema>;

export const TrainingsResponseSchema = z.object({
  window: ResolvedWindowSchema,
  athlete: AthleteContextSchema,
  trainings: z.array(TrainingRecordSchema),
  count: z.number().int(),
  hasMore: z.boolean(),
  nextOffset: z.number().int().nullable().describe('Pass as offset for the next page'),
  note: z.string().optional().describe('What was left out to keep the answer small, and how to get it'),
});
export type TrainingsResponse = z.infer<typeof TrainingsResponseSchema>;

/** One workout with its intervals, and the athlete's context (thresholds, zones). */
export const TrainingResponseSchema = z.object({ athlete: AthleteContextSchema, training: TrainingRecordSchema });
export type TrainingResponse = z.infer<typeof TrainingResponseSchema>;
