import type { JobsOptions } from 'bullmq';
import type { z } from 'zod';
import {
  BackfillAthleteJobSchema,
  EraseAthleteJobSchema,
  BuildSummaryJobSchema,
  ClassifyJobSchema,
  FetchActivityJobSchema,
  NotifyTelegramJobSchema,
  PollAthleteJobSchema,
  PruneRetentionJobSchema,
  RecalibrateJobSchema,
  SyncPaceModelJobSchema,
  ReminderTickJobSchema,
  SendReminderJobSchema,
  SyncCalendarJobSchema,
  SyncSettingsJobSchema,
  SweepReportsJobSchema,
  SyncWellnessJobSchema,
  UpdateConnectionJobSchema,
  WriteReportJobSchema,
} from '@splits/contracts';
import type { RerunAfter } from './supersede.js';

export interface QueueDef<S extends z.ZodType> {
  schema: S;
  /** Deterministic job id (dedupe); BullMQ ids must not contain ':'. Undefined = BullMQ assigns one. */
  jobId?: (payload: z.infer<S>) => string;
  /**
   * With a fixed id, which finished job a later add runs past instead of being swallowed by it
   * (DESIGN §3: a fixed id must never swallow new work). 'failure': a job that used its attempts is
   * archived, still failed and replayable, as `<id>-failed-<finishedOn>`, and the add runs;
   * 'finish': a completed one kept for inspection too (`<id>-done-<finishedOn>`). Unset: the id
   * dedupes for as long as BullMQ keeps the job. While a job is waiting, delayed or running, an add
   * under its id joins it either way.
   */
  rerun?: RerunAfter;
  /**
   * Debounce instead of a fixed id: adds while one is delayed coalesce into it; an add while one is
   * running leaves exactly one follow-up (keepLastIfActive), so no update is lost. `trailing`: each
   * add while one is delayed pushes it back by delayMs (reschedule), so a burst builds once at its end;
   * `maxWaitMs` caps that: a job is never pushed past maxWaitMs after the first add it coalesced, so
   * a burst that never goes quiet (a long backfill, a busy machine) still runs every maxWaitMs.
   */
  debounce?: { id: (payload: z.infer<S>) => string; delayMs: number; trailing?: boolean; maxWaitMs?: number };
  defaults: JobsOptions;
}

const def = <S extends z.ZodType>(d: QueueDef<S>) => d;
const safe = (s: string) => s.replace(/[^A-Za-z0-9_.-]/g, '_');

/** Failed jobs stay (bounded) so operators can inspect and replay them. */
const keepFailed = { age: 14 * 24 * 3600, count: 10_000 };
const retrying = (attempts: number, delay: number): JobsOptions => ({
  attempts,
  backoff: { type: 'exponential', delay, jitter: 0.5 },
  removeOnComplete: { age: 3600, count: 1000 },
  removeOnFail: keepFailed,
});

/** The queue catalog (DESIGN §3): name → payload schema → default options. The contract between services. */
export const queueCatalog = {
  'fetch-activity': def({
    schema: FetchActivityJobSchema,
    jobId: (p) => `act-${safe(p.athleteId)}-${safe(p.intervalsActivityId)}`,
    // Completed fetches are removed at once and failed ones are archived by the next add, so a later
    // webhook or poll for the same activity always runs, while a burst of events for a pending fetch
    // still coalesces.
    rerun: 'failure',
    defaults: { ...retrying(8, 2_000), removeOnComplete: true },
  }),
  classify: def({
    schema: ClassifyJobSchema,
    jobId: (p) => `cls-${safe(p.workoutId)}-${p.rev}${p.inputs ? `-${p.inputs}` : ''}`,
    // The outbox relay asks again for a revision whose classify job failed for good.
    rerun: 'failure',
    defaults: retrying(5, 1_000),
  }),
  'build-summary': def({
    schema: BuildSummaryJobSchema,
    // Trailing: a backfill of hundreds of workouts builds the summary about once, when it goes quiet,
    // and at least every 15 s while it does not, so the summary is never far behind.
    debounce: { id: (p) => `sum-${safe(p.athleteId)}`, delayMs: 2_000, trailing: true, maxWaitMs: 15_000 },
    defaults: { ...retrying(5, 2_000), removeOnComplete: true },
  }),
  // Debounced per athlete: a backfill arriving newest first asks after every workout and is walked
  // about once when it goes quiet (at least every minute while it does not).
  recalibrate: def({
    schema: RecalibrateJobSchema,
    debounce: { id: (p) => `rcl-${safe(p.athleteId)}`, delayMs: 10_000, trailing: true, maxWaitMs: 60_000 },
    defaults: { ...retrying(5, 2_000), removeOnComplete: true },
  }),
  'notify-telegram': def({
    schema: NotifyTelegramJobSchema,
    jobId: (p) => `ntf-${safe(p.workoutId)}-${p.kind}${p.rev === undefined ? '' : `-${p.rev}`}`,
    // Once per workout and kind is the notification row's claim, not the id: a later request (an
    // upload webhook, the outbox relay) after a failed send may try again.
    rerun: 'failure',
    defaults: retrying(8, 2_000),
  }),
  'write-report': def({
    schema: WriteReportJobSchema,
    jobId: (p) => `rep-${safe(p.reportId)}-${p.rev}`,
    // The report sweep re-adds a revision still pending in Postgres: it must run, not meet a failure.
    rerun: 'failure',
    defaults: retrying(8, 2_000),
  }),
  // Scheduled (a job scheduler in the fetch-worker); re-adds pending write-reports under their own ids.
  'sweep-reports': def({
    schema: SweepReportsJobSchema,
    defaults: { attempts: 1, removeOnComplete: { count: 100 }, removeOnFail: { count: 1000 } },
  }),
  // Scheduled (a job scheduler in the webhook-ingress, the inbox's owner): deletes what retention says.
  'prune-retention': def({
    schema: PruneRetentionJobSchema,
    defaults: { attempts: 1, removeOnComplete: { count: 100 }, removeOnFail: { count: 1000 } },
  }),
  'sync-wellness': def({
    schema: SyncWellnessJobSchema,
    debounce: { id: (p) => `wel-${safe(p.athleteId)}-${p.dates[0]}`, delayMs: 30_000 },
    defaults: { ...retrying(5, 2_000), removeOnComplete: true },
  }),
  'sync-calendar': def({
    schema: SyncCalendarJobSchema,
    // Debounced, not a fixed id: a change arriving while a re-read runs must cause one more re-read.
    debounce: { id: (p) => `cal-${safe(p.athleteId)}`, delayMs: 5_000 },
    defaults: { ...retrying(5, 2_000), removeOnComplete: true },
  }),
  // Debounced per athlete (not trailing): a burst of hard sessions reads the pace curve once a minute
  // at most; `daily` requests skip when today's model is stored.
  'sync-pace-model': def({
    schema: SyncPaceModelJobSchema,
    debounce: { id: (p) => `pcm-${safe(p.athleteId)}`, delayMs: 60_000 },
    defaults: { ...retrying(5, 2_000), removeOnComplete: true },
  }),
  'sync-settings': def({
    schema: SyncSettingsJobSchema,
    debounce: { id: (p) => `set-${safe(p.athleteId)}`, delayMs: 2_000 },
    defaults: { ...retrying(5, 2_000), removeOnComplete: true },
  }),
  'update-connection': def({
    schema: UpdateConnectionJobSchema,
    jobId: (p) => `con-${safe(p.inboxId)}`,
    // Only the inbox relay adds a row again, and only when it was never marked queued.
    rerun: 'failure',
    defaults: retrying(5, 2_000),
  }),
  'poll-athlete': def({ schema: PollAthleteJobSchema, defaults: retrying(3, 5_000) }),
  'backfill-athlete': def({
    schema: BackfillAthleteJobSchema,
    jobId: (p) => `bf-${safe(p.athleteId)}`,
    // A reconnect (or `pnpm splits backfill`) imports again, also right after a backfill completed.
    rerun: 'finish',
    defaults: retrying(5, 5_000),
  }),
  'reminder-tick': def({
    schema: ReminderTickJobSchema,
    defaults: { attempts: 1, removeOnComplete: { count: 100 }, removeOnFail: { count: 1000 } },
  }),
  'send-reminder': def({
    schema: SendReminderJobSchema,
    jobId: (p) => `rem-${safe(p.athleteId)}-${p.localDate}`,
    // No rerun: the tick asks the same question every period; a reminder that failed for good
    // stays failed for its day (the id carries the date) instead of retrying on every tick.
    defaults: retrying(5, 2_000),
  }),
  // Telegram /delete: added delayed by the grace period (the athlete may still cancel: the job is removed).
  'erase-athlete': def({
    schema: EraseAthleteJobSchema,
    jobId: (p) => `del-${safe(p.athleteId)}`,
    defaults: retrying(5, 2_000),
  }),
} as const;

export type QueueName = keyof typeof queueCatalog;
export type JobPayload<N extends QueueName> = z.infer<(typeof queueCatalog)[N]['schema']>;
/** One queue's definition, typed by its own payload (for code generic over the queue name). */
export type QueueDefOf<N extends QueueName> = QueueDef<(typeof queueCatalog)[N]['schema']>;
export type JobInput<N extends QueueName> = z.input<(typeof queueCatalog)[N]['schema']>;
export const queueNames = Object.keys(queueCatalog) as QueueName[];
