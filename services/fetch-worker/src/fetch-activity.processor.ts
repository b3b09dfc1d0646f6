import { DelayedError, UnrecoverableError, type Job } from 'bullmq';
import type { Logger } from 'pino';
import type {
  FetchActivityJob,
  IntervalsActivity,
  IntervalsIntervalsDto,
  IntervalsStream,
  IntervalsWellness,
} from '@splits/contracts';
import {
  getIntervalsCredential,
  upsertActivitySource,
  upsertWellnessDay,
  upsertWorkout,
  type Db,
  type EncryptionKeys,
  type IntervalsCredential,
} from '@splits/db';
import { enqueue, type Queues } from '@splits/queue';
import { normalizeActivity } from '@splits/training';

/** The part of the Intervals.icu client this processor needs. */
export interface ActivityReader {
  getActivity(id: string, opts?: { intervals?: boolean }): Promise<IntervalsActivity>;
  getIntervals(id: string): Promise<IntervalsIntervalsDto>;
  getStreams(id: string, types?: string[]): Promise<IntervalsStream[]>;
  getWellness(athleteId: string, date: string): Promise<IntervalsWellness | null>;
}

export interface FetchActivityDeps {
  db: Db;
  queues: Queues;
  log: Logger;
  encryptionKey: EncryptionKeys;
  readerFor(cred: IntervalsCredential): ActivityReader;
  retryDelayMs: number;
  maxWaits: number;
}

const STREAM_TYPES = ['time', 'distance', 'heartrate', 'velocity_smooth', 'cadence', 'altitude', 'watts'];

/** Intervals.icu has finished its analysis once `analyzed` is set and fitness/fatigue are present. */
export function isAnalysed(a: IntervalsActivity): boolean {
  return Boolean(a.analyzed) && a.icu_ctl != null && a.icu_atl != null;
}

/**
 * fetch-activity: read the activity once Intervals.icu has analysed it, keep the source JSON, store
 * the workout record and hand it to the classifier. Not analysed yet → re-delay (bounded by
 * maxWaits), then store it as provisional. Safe to run twice: every write is an upsert.
 */
export async function processFetchActivity(
  payload: FetchActivityJob,
  job: Pick<Job, 'id' | 'updateData' | 'moveToDelayed'>,
  token: string | undefined,
  deps: FetchActivityDeps,
): Promise<{ workoutId: string; rev: number; provisional: boolean } | { skipped: string }> {
  const cred = await getIntervalsCredential(deps.db, deps.encryptionKey, payload.athleteId);
  if (!cred) throw new UnrecoverableError('athlete has no Intervals.icu connection');
  const reader = deps.readerFor(cred);
  const id = payload.intervalsActivityId;

  const activity = await reader.getActivity(id, { intervals: true });
  if (activity._note || !activity.start_date_local) {
    // Strava stubs and deleted-activity stubs carry no data to store (reference §0.5, §1.5).
    deps.log.info({ jobId: job.id, activityId: id }, 'activity not available via the API; skipped');
    return { skipped: 'stub' };
  }

  if (!isAnalysed(activity) && payload.waits < deps.maxWaits) {
    await job.updateData({ ...payload, waits: payload.waits + 1 });
    await job.moveToDelayed(Date.now() + deps.retryDelayMs, token);
    deps.log.info({ jobId: job.id, activityId: id, waits: payload.waits + 1 }, 'activity not analysed yet; waiting');
    throw new DelayedError();
  }

  const localDate = activity.start_date_local.slice(0, 10);
  const [intervals, streams, wellness] = await Promise.all([
    activity.icu_intervals ? null : reader.getIntervals(id),
    reader.getStreams(id, STREAM_TYPES),
    reader.getWellness(cred.intervalsAthleteId, localDate),
  ]);
  const record = normalizeActivity({ activity, intervals, streams, wellness });

  const stored = await deps.db.transaction().execute(async (trx) => {
    await upsertActivitySource(trx, {
      athleteId: payload.athleteId,
      intervalsActivityId: id,
      activity,
      intervals,
      streams,
      wellness,
    });
    if (wellness) await upsertWellnessDay(trx, payload.athleteId, localDate, wellness);
    return upsertWorkout(trx, payload.athleteId, record);
  });

  await enqueue(deps.queues, 'classify', { workoutId: stored.id, rev: stored.rev, notify: payload.reason !== 'backfill' });
  deps.log.info(
    { jobId: job.id, activityId: id, workoutId: stored.id, rev: stored.rev, provisional: record.provisional },
    'stored workout',
  );
  return { workoutId: stored.id, rev: stored.rev, provisional: record.provisional };
}
