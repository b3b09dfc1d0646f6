import { z } from 'zod';

/**
 * Why the classifier chose a session type, without words: a code and its numbers. The classifier
 * (packages/training, classify/rules.ts) decides it; each reader renders it in its own language
 * (packages/training renderReason: English for assistants' `reason`, the athlete's language on
 * the Telegram card). Stored beside the English `reason` in the classification as `reasonCode` and
 * `reasonParams`; a code is never renamed (stored classifications keep it), only added.
 *
 * Times are in seconds as displayed (rounded the way formatRepTime rounds: 45, 480, 210), so any
 * language renders the same value.
 */
const secs = z.number().int().nonnegative();
/** Effort of the work against the athlete's threshold, % (rounded); null: no number, "a hard effort". */
export const ReasonEffortSchema = z
  .object({
    /** pace: % of threshold pace · hr: % of LTHR · relative: % of the run's own usual pace. */
    basis: z.enum(['pace', 'hr', 'relative']),
    lo: z.number().int(),
    hi: z.number().int(),
  })
  .nullable();
/** The session's set, as the interval summary states it ("4 x 8 min", "6 x 400 m", "30 min continuous", "3 x 20 s strides"), with its recovery. */
export const ReasonSetSchema = z.object({
  /** count: only the number of reps is known ("5 reps"). */
  kind: z.enum(['reps', 'strides', 'continuous', 'count']),
  reps: z.number().int().nonnegative(),
  /** Rep time; with secsMax the shortest and longest of irregular reps. */
  secs: secs.nullable(),
  secsMax: secs.nullable(),
  /** Rep distance, m (rounded as formatRepDistance rounds). */
  meters: z.number().int().nonnegative().nullable(),
  recSecs: secs.nullable(),
  recHow: z.enum(['jog', 'walk', 'rest', 'easy', 'recovery']).nullable(),
});
/** What was not recorded: only the totals (no laps), or neither laps nor heart rate. */
const missing = z.enum(['laps', 'laps_hr']).nullable();
export const RACE_DISTANCE_KEYS = ['5K', '10K', 'Half marathon', 'Marathon'] as const;
export const REPS_KINDS = ['short_fast', 'long', 'mid', 'short_above_threshold', 'fast', 'threshold_shape', 'vo2max', 'at_threshold'] as const;

const r = <C extends string, P extends z.ZodRawShape>(code: C, params: P) => z.object({ code: z.literal(code), params: z.object(params) });

export const SessionReasonSchema = z.discriminatedUnion('code', [
  /** Under `minutes` of moving time. */
  r('too_short', { minutes: z.number() }),
  /** Neither distance nor heart rate. */
  r('no_data', {}),
  /** Data, but nothing to judge the effort by. */
  r('no_basis', {}),
  /** Not a run: the sport is the session type. */
  r('not_a_run', {}),
  /** The athlete said it was a race: flag, a planned race that day, or the activity's name. */
  r('race_declared', {
    evidence: z.enum(['flag', 'planned', 'name', 'best_effort']),
    /** evidence name: the activity's name (the athlete's words, up to 40 characters). */
    name: z.string().nullable(),
    km: z.number().nullable(),
    secs: secs.nullable(),
    /** The one block's effort, % of threshold pace. */
    pct: z.number().int().nullable(),
  }),
  /** An all-out effort over a standard race distance, unannounced. */
  r('race_distance', { distance: z.enum(RACE_DISTANCE_KEYS), secs, block: z.boolean(), missing }),
  /** A long run with faster sections (the set, when known). */
  r('long_pickups', { secs, set: ReasonSetSchema.nullable(), effort: ReasonEffortSchema }),
  /** A long run with one fast block (a fast finish). */
  r('long_fast_block', { secs, blockSecs: secs, effort: ReasonEffortSchema }),
  /** A sustained block longer than a tempo is held. */
  r('long_steady_block', { secs, effort: ReasonEffortSchema, missing }),
  /** A tempo block; raceLike: fast as a race, but nothing says it was one. */
  r('tempo', { blockSecs: secs, effort: ReasonEffortSchema, raceLike: z.boolean(), missing }),
  /** Steady and long for this athlete. pct: the whole run, % of threshold pace. */
  r('long', { secs, pct: z.number().int().nullable(), strides: z.number().int() }),
  r('recovery', { secs, pct: z.number().int().nullable(), strides: z.number().int(), missing }),
  /** Steady, near threshold pace throughout, not long. */
  r('steady_threshold', { secs, pct: z.number().int() }),
  r('easy', { secs, pct: z.number().int().nullable(), strides: z.number().int(), even: z.boolean(), missing }),
  /** Reps, judged by `kind`: their length, effort and recoveries. */
  r('reps', { kind: z.enum(REPS_KINDS), set: ReasonSetSchema, effort: ReasonEffortSchema }),
  /** The language model decided (the rules were unsure); its own words are in `reason`. */
  r('llm', {}),
]);
export type SessionReason = z.infer<typeof SessionReasonSchema>;
export type SessionReasonCode = SessionReason['code'];
export type ReasonSet = z.infer<typeof ReasonSetSchema>;
export type ReasonEffort = z.infer<typeof ReasonEffortSchema>;
export type RepsKind = (typeof REPS_KINDS)[number];
export const SESSION_REASON_CODES = SessionReasonSchema.options.map((o) => o.shape.code.value) as SessionReasonCode[];

/** The stored reason of a classification (`reasonCode`, `reasonParams`), or null when it has none or it does not parse (a record stored before reasons had codes). */
export function sessionReasonOf(c: { reasonCode?: string | null; reasonParams?: unknown } | null | undefined): SessionReason | null {
  if (!c?.reasonCode) return null;
  const parsed = SessionReasonSchema.safeParse({ code: c.reasonCode, params: c.reasonParams ?? {} });
  return parsed.success ? parsed.data : null;
}
