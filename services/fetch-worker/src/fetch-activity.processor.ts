import { DelayedError, type Job } from 'bullmq';
import type { FetchActivityJob, IntervalsActivity } from '@splits/contracts';
import { getSessionTypeAfterClassifying, getSourceRevisions, hasInboxEventSince, markWorkoutDeleted, recordUnavailableActivity } from '@splits/db';
import { IntervalsHttpError } from '@splits/intervals';
import { enqueue, requestSummaryRebuild } from '@splits/queue';
import { activityRevision, unavailableReason } from '@splits/training';
import { openConnection, type FetchDeps } from './context.js';
import { storeActivity } from './store-activity.js';

/** Intervals.icu has finished its analysis once `analyzed` is set and fitness/fatigue are present. */
export function isAnalysed(a: IntervalsActivity): boolean {
  return Boolean(a.analyzed) && a.icu_ctl != null && a.icu_atl != null;
}

/** An update that arrived while this job ran found it busy (same job id): look again, a few times at most. */
const MAX_RERUNS = 3;

export type FetchActivityResult =
  | { workoutId: string; rev: number; provisional: boolean }
  | { skipped: 'unchanged' | 'unavailable' }
  | { deleted: string | null };

/**
 * fetch-activity: read the activity once Intervals.icu has analysed it, keep the source JSON, store
 * the workout record and hand it on. Not analysed yet → re-delay (bounded by maxWaits), then store it
 * as provisional. ACTIVITY_DELETED or a 404 removes the record from what assistants see; a Strava
 * stub is recorded as unavailable. The same revision twice does no work. Safe to run twice.
 */
export async function processFetchActivity(
  payload: FetchActivityJob,
  job: Pick<Job, 'id' | 'updateData' | 'moveToDelayed'>,
  token: string | undefined,
  deps: FetchDeps,
): Promise<FetchActivityResult> {
  const startedAt = new Date();
  const { athleteId, intervalsActivityId: id } = payload;

  if (payload.reason === 'ACTIVITY_DELETED') return deleted(deps, athleteId, id);

  const conn = await openConnection(deps, athleteId);
  let activity: IntervalsActivity;
  try {
    activity = await conn.client.getActivity(id, { intervals: true });
  } catch (err) {
    if (err instanceof IntervalsHttpError && err.status === 404) return deleted(deps, athleteId, id);
    throw err;
  }

  const unavailable = unavailableReason(activity);
  if (unavailable) {
    await recordUnavailableActivity(deps.db, athleteId, id, unavailable, activity);
    deps.log.info({ jobId: job.id, activityId: id, reason: unavailable }, 'activity not available via the API; recorded as unavailable');
    return { skipped: 'unavailable' };
  }

  if (!isAnalysed(activity) && payload.waits < deps.maxWaits) {
    await job.updateData({ ...payload, waits: payload.waits + 1 });
    await job.moveToDelayed(Date.now() + deps.retryDelayMs, token);
    deps.log.info({ jobId: job.id, activityId: id, waits: payload.waits + 1 }, 'activity not analysed yet; waiting');
    throw new DelayedError();
  }

  const known = (await getSourceRevisions(deps.db, athleteId, [id])).get(id);
  let result: FetchActivityResult;
  if (known !== undefined && known === activityRevision(activity)) {
    deps.log.info({ jobId: job.id, activityId: id }, 'activity revision already stored; nothing to do');
    result = { skipped: 'unchanged' };
    if (payload.reason === 'ACTIVITY_UPLOADED') await announceIfClassified(deps, athleteId, id);
  } else {
    const s = await storeActivity(deps, conn, athleteId, activity, { notify: payload.reason !== 'backfill', uploaded: payload.reason === 'ACTIVITY_UPLOADED' });
    deps.log.info(
      { jobId: job.id, activityId: id, workoutId: s.workoutId, rev: s.rev, provisional: s.provisional, reclassify: s.reclassify },
      'stored workout',
    );
    result = { workoutId: s.workoutId, rev: s.rev, provisional: s.provisional };
  }

  if ((payload.reruns ?? 0) < MAX_RERUNS && (await hasInboxEventSince(deps.db, athleteId, id, startedAt))) {
    await job.updateData({ ...payload, reruns: (payload.reruns ?? 0) + 1, waits: deps.maxWaits });
    await job.moveToDelayed(Date.now() + 1_000, token);
    deps.log.info({ jobId: job.id, activityId: id }, 'a newer event arrived while fetching; fetching again');
    throw new DelayedError();
  }
  return result;
}

async function deleted(deps: FetchDeps, athleteId: string, activityId: string): Promise<FetchActivityResult> {
  const workoutId = await markWorkoutDeleted(deps.db, athleteId, activityId);
  if (workoutId) await requestSummaryRebuild(deps.queues, athleteId, 'workout-deleted');
  deps.log.info({ activityId, workoutId }, 'activity deleted; removed from what assistants see');
  return { deleted: workoutId };
}

/**
 * An upload webhook for an activity whose revision is already stored (a changed revision with the
 * same laps is handled by storeActivity): the card is asked for here once it is classified; an
 * unclassified one is announced by its pending classify job, which reads the upload from the inbox
 * after storing the classification.
 * Without this, an activity that a first poll imported silently (same fetch job id) would never be
 * announced when its webhook came second. A card already sent is not sent again (notify-telegram).
 * Edits (ACTIVITY_UPDATED) of an old, silently imported activity announce nothing.
 */
async function announceIfClassified(deps: FetchDeps, athleteId: string, activityId: string): Promise<void> {
  // A classification being stored holds the row until it commits with its outbox rows, and reads the
  // inbox for this upload only after taking it: waiting here means one of the two asks for the card.
  const w = await getSessionTypeAfterClassifying(deps.db, athleteId, activityId);
  if (w && w.sessionType !== 'Unclassified') await enqueue(deps.queues, 'notify-telegram', { workoutId: w.id, kind: 'new' });
}
