import { z } from 'zod';
import { CalendarDateSchema } from './dates.js';

/** Job payloads carry ids only: never secrets, never whole bodies (DESIGN §3). */
const id = z.string().min(1).max(200);

export const FetchActivityJobSchema = z.object({
  athleteId: id,
  intervalsActivityId: id,
  reason: z.string().max(64),
  /** How many times the job has already waited for Intervals.icu's analysis. */
  waits: z.number().int().min(0).default(0),
  /** How many times it ran again because a newer event arrived while it was running. */
  reruns: z.number().int().min(0).optional(),
});
export type FetchActivityJob = z.infer<typeof FetchActivityJobSchema>;

export const ClassifyJobSchema = z.object({
  workoutId: id,
  rev: z.number().int().min(0),
  /** Announce in Telegram once classified; false for history imports (backfill). */
  notify: z.boolean().default(true),
  /**
   * Set by the recalibration: the inputs (classificationInputsKey, hashed) this workout is classified
   * again for; part of the job id, so a second move of the inputs is a new job, not a swallowed one.
   */
  inputs: z.string().regex(/^[a-z0-9]{1,16}$/).optional(),
});
export type ClassifyJob = z.infer<typeof ClassifyJobSchema>;

/**
 * Read Intervals.icu's pace curve and critical-speed model for the athlete's runs (issue 12): after a
 * hard session, or once a day (`daily`: skipped when today's model is stored).
 */
export const SyncPaceModelJobSchema = z.object({ athleteId: id, reason: z.enum(['hard_session', 'daily']) });
export type SyncPaceModelJob = z.infer<typeof SyncPaceModelJobSchema>;

/** Classify again the athlete's runs whose calibration or history moved (an older activity arrived late). */
export const RecalibrateJobSchema = z.object({ athleteId: id });
export type RecalibrateJob = z.infer<typeof RecalibrateJobSchema>;

/** reason: what asked for the build (workout, report, wellness, plan, profile, stale, …), for logs only. */
export const BuildSummaryJobSchema = z.object({ athleteId: id, reason: z.string().max(64).optional() });
export type BuildSummaryJob = z.infer<typeof BuildSummaryJobSchema>;

/**
 * new = the workout card; report-saved / report-failed = the write-back of report revision `rev`
 * to Intervals.icu succeeded / gave up (one message per revision).
 */
export const NotifyTelegramJobSchema = z.object({
  workoutId: id,
  kind: z.enum(['new', 'report-saved', 'report-failed']),
  rev: z.number().int().min(0).optional(),
});
export type NotifyTelegramJob = z.infer<typeof NotifyTelegramJobSchema>;

export const WriteReportJobSchema = z.object({ reportId: id, rev: z.number().int().min(0) });
export type WriteReportJob = z.infer<typeof WriteReportJobSchema>;

export const SyncWellnessJobSchema = z.object({ athleteId: id, dates: z.array(CalendarDateSchema).min(1) });
export type SyncWellnessJob = z.infer<typeof SyncWellnessJobSchema>;

export const SyncCalendarJobSchema = z.object({ athleteId: id });
export type SyncCalendarJob = z.infer<typeof SyncCalendarJobSchema>;

export const PollAthleteJobSchema = z.object({ athleteId: id });
export type PollAthleteJob = z.infer<typeof PollAthleteJobSchema>;

export const BackfillAthleteJobSchema = z.object({ athleteId: id, oldest: z.string().regex(/^\d{4}-\d{2}-\d{2}$/) });
export type BackfillAthleteJob = z.infer<typeof BackfillAthleteJobSchema>;

/** SPORT_SETTINGS_UPDATED: re-read the athlete's sport settings (thresholds, zones). */
export const SyncSettingsJobSchema = z.object({ athleteId: id });
export type SyncSettingsJob = z.infer<typeof SyncSettingsJobSchema>;

/** APP_SCOPE_CHANGED: apply the newest scope change stored for the athlete (deauthorised → forget the token). */
export const UpdateConnectionJobSchema = z.object({ athleteId: id, inboxId: id });
export type UpdateConnectionJob = z.infer<typeof UpdateConnectionJobSchema>;
/** A scheduler tick: finds athletes whose local morning has come and queues their reminder. */
export const ReminderTickJobSchema = z.object({});
export type ReminderTickJob = z.infer<typeof ReminderTickJobSchema>;

/**
 * A scheduler tick: re-queues report write-backs still pending after a grace period (the save
 * reached Postgres but its write-report job never reached Redis).
 */
export const SweepReportsJobSchema = z.object({});
export type SweepReportsJob = z.infer<typeof SweepReportsJobSchema>;

/**
 * A scheduler tick: deletes what Splits no longer needs (old inbox rows, unknown athletes' events,
 * expired codes and tokens). The retention windows are the ingress's configuration, not job data.
 */
export const PruneRetentionJobSchema = z.object({});
export type PruneRetentionJob = z.infer<typeof PruneRetentionJobSchema>;

export const SendReminderJobSchema = z.object({ athleteId: id, localDate: z.string().regex(/^\d{4}-\d{2}-\d{2}$/) });
export type SendReminderJob = z.infer<typeof SendReminderJobSchema>;

/**
 * Deletes an athlete's account after the grace period (Telegram /delete); chatId: where the answer
 * goes, locale: the language it is said in (the athlete's own row, which holds it, is gone by then).
 */
export const EraseAthleteJobSchema = z.object({ athleteId: id, chatId: z.string().max(64), locale: z.enum(['en', 'ru']).optional() });
export type EraseAthleteJob = z.infer<typeof EraseAthleteJobSchema>;
