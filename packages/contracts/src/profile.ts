import { z } from 'zod';
import { CalendarDateSchema } from './dates.js';
import { PG_INT4_MAX, TextSchema } from './input.js';

/**
 * The athlete's own words about goals, rules and strategy. Kept verbatim: nothing is trimmed,
 * reworded or reformatted; limits only keep the summary small enough for GPT Actions.
 */
const text = (max: number) => TextSchema.min(1).max(max);

export const RaceGoalSchema = z.object({
  name: text(200).describe('The race or goal, e.g. "Berlin Marathon"'),
  date: CalendarDateSchema.nullable().default(null).describe('Race day, YYYY-MM-DD'),
  distance: text(60).nullable().default(null).describe('e.g. "42.2 km", "Marathon"'),
  target: text(200).nullable().default(null).describe('e.g. "sub 3:15", "finish healthy"'),
  priority: z.enum(['A', 'B', 'C']).nullable().default(null).describe('A = season goal'),
  notes: text(1000).nullable().default(null),
});
export type RaceGoal = z.infer<typeof RaceGoalSchema>;

export const ProfileContentSchema = z.object({
  about: text(4000).nullable().describe('Athlete info in their words: background, injuries, availability'),
  goals: z.array(RaceGoalSchema).max(20),
  rules: z.array(text(500)).max(50).describe('Rules and constraints, one per item'),
  strategy: text(8000).nullable().describe('The current training strategy'),
});
export type ProfileContent = z.infer<typeof ProfileContentSchema>;

/** An edit: only the fields given change. `revision` (from GET /profile) refuses a stale edit with 409. */
export const ProfileEditSchema = ProfileContentSchema.partial().extend({
  revision: z.number().int().min(0).max(PG_INT4_MAX).optional().describe('The revision you read; a newer one on the server gives 409'),
});
export type ProfileEdit = z.infer<typeof ProfileEditSchema>;

export const ProfileHistoryQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(50).default(10).describe('Revisions per page, newest first'),
  before: z.coerce.number().int().min(1).max(PG_INT4_MAX).optional().describe('Only revisions older than this (nextBefore)'),
});
export type ProfileHistoryQuery = z.infer<typeof ProfileHistoryQuerySchema>;

export const ProfileRestoreSchema = z.object({ revision: z.number().int().min(1).max(PG_INT4_MAX).describe('The revision to bring back') });
export type ProfileRestore = z.infer<typeof ProfileRestoreSchema>;

export const ProfileSchema = ProfileContentSchema.extend({
  revision: z.number().int().describe('0 = never edited'),
  updatedAt: z.string().nullable(),
});
export type Profile = z.infer<typeof ProfileSchema>;

export const ProfileRevisionSchema = z.object({
  revision: z.number().int(),
  changedAt: z.string(),
  source: z.enum(['edit', 'restore']),
  restoredFrom: z.number().int().nullable(),
  profile: ProfileContentSchema,
});
export const ProfileHistorySchema = z.object({
  revisions: z.array(ProfileRevisionSchema),
  /** Pass as `before` for the next page; null on the last one. */
  nextBefore: z.number().int().nullable(),
});
export type ProfileHistory = z.infer<typeof ProfileHistorySchema>;
