import { UnrecoverableError, type Job } from 'bullmq';
import type { Logger } from 'pino';
import type { IntervalsActivity, WriteReportJob } from '@splits/contracts';
import { getIntervalsCredential, getLatestReportRevision, getWorkoutReport, lockReportWriteback, markReportWriteback, type Db, type EncryptionKeys, type IntervalsCredential } from '@splits/db';
import { IntervalsHttpError, IntervalsParseError } from '@splits/intervals';
import { handOn, stageJobs, type Queues, type StagedJobs } from '@splits/queue';
import { mergeReportIntoDescription } from '@splits/training';
import { asJobError } from './job-errors.js';

/** The part of the Intervals.icu client the write-back needs. */
export interface ActivityWriter {
  getActivity(id: string): Promise<IntervalsActivity>;
  updateActivity(id: string, patch: Record<string, unknown>): Promise<IntervalsActivity>;
}

export interface WriteReportDeps {
  db: Db;
  queues: Queues;
  log: Logger;
  encryptionKey: EncryptionKeys;
  writerFor(cred: IntervalsCredential): ActivityWriter;
}

const isPermanent = (err: unknown) => err instanceof IntervalsParseError || (err instanceof IntervalsHttpError && err.permanent);

/**
 * write-report: puts report revision `rev` into the Intervals.icu activity description, inside the
 * Splits section (the athlete's own text is kept; only the section is replaced). Only the newest
 * revision is written; writes for one workout are serialised by an advisory lock, so an older
 * revision can never overwrite a newer one. Safe to run twice: the same text gives the same
 * description, and an unchanged description is not PUT again. The athlete hears the outcome in
 * Telegram (notify-telegram report-saved / report-failed) once the job succeeds or gives up.
 */
export async function processWriteReport(
  payload: WriteReportJob,
  job: Pick<Job, 'id' | 'attemptsMade' | 'opts' | 'moveToDelayed'>,
  token: string | undefined,
  deps: WriteReportDeps,
) {
  const report = await getWorkoutReport(deps.db, payload.reportId);
  if (!report) throw new UnrecoverableError(`report ${payload.reportId} not found`);
  const cred = await getIntervalsCredential(deps.db, deps.encryptionKey, report.athlete_id);
  if (!cred) throw new UnrecoverableError('athlete has no Intervals.icu connection');
  const writer = deps.writerFor(cred);

  // The athlete's message about the outcome commits with the outcome (outbox).
  const tell = (trx: Db, kind: 'report-saved' | 'report-failed') =>
    stageJobs(trx, report.athlete_id, [{ queue: 'notify-telegram', payload: { workoutId: report.workout_id, kind, rev: report.revision } }]);
  let outcome: { written: boolean; staged: StagedJobs } | { skipped: string };
  try {
    outcome = await deps.db.transaction().execute(async (trx) => {
      await lockReportWriteback(trx, report.workout_id);
      if ((await getLatestReportRevision(trx, report.workout_id)) > report.revision) {
        await markReportWriteback(trx, report.id, 'superseded');
        return { skipped: 'superseded by a newer revision' };
      }
      const activity = await writer.getActivity(report.intervals_activity_id);
      const description = mergeReportIntoDescription(activity.description, report.text);
      if (description !== (activity.description ?? '')) {
        await writer.updateActivity(report.intervals_activity_id, { description });
      }
      await markReportWriteback(trx, report.id, 'written');
      return { written: true, staged: await tell(trx, 'report-saved') };
    });
  } catch (err) {
    const lastAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
    if (isPermanent(err) || lastAttempt) {
      const staged = await deps.db.transaction().execute(async (trx) => {
        await markReportWriteback(trx, report.id, 'failed', (err as Error).message);
        return tell(trx, 'report-failed');
      });
      await handOn(deps, staged);
      deps.log.warn({ reportId: report.id, err: (err as Error).message }, 'report write-back failed for good');
      throw new UnrecoverableError((err as Error).message);
    }
    return asJobError(err, job, token);
  }
  if ('written' in outcome) {
    await handOn(deps, outcome.staged);
    deps.log.info({ reportId: report.id, workoutId: report.workout_id, revision: report.revision }, 'report written to intervals.icu');
    return { written: outcome.written };
  }
  return outcome;
}
