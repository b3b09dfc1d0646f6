import type { IntervalsActivity, IntervalsIntervalsDto } from '@splits/contracts';
import {
  getActivitySource,
  getWorkoutRowByActivity,
  setSourceRevision,
  upsertActivitySource,
  upsertWellnessDay,
  upsertWorkout,
} from '@splits/db';
import { handOn, stageJobs, summaryRebuildJob } from '@splits/queue';
import { activityRevision, normalizeActivity, structureSignature } from '@splits/training';
import type { FetchDeps, OpenConnection } from './context.js';

const STREAM_TYPES = ['time', 'distance', 'heartrate', 'velocity_smooth', 'cadence', 'altitude', 'watts'];


export interface StoredActivity {
  workoutId: string;
  rev: number;
  provisional: boolean;
  created: boolean;
  reclassify: boolean;
}

type IntervalList = ReadonlyArray<Record<string, unknown>> | null | undefined;
const intervalsOf = (a: unknown, dto: unknown): IntervalList =>
  ((dto as IntervalsIntervalsDto | null)?.icu_intervals ?? (a as IntervalsActivity | null)?.icu_intervals ?? null) as IntervalList;

/**
 * Reads what belongs with an activity (intervals, streams, the day's wellness), stores the source and
 * the record, and hands it on: to the classifier when the lap structure is new or changed, else
 * straight to the summary (a renamed activity keeps its classification). Every write is an upsert;
 * the hand-on is staged in the same transaction and relayed if the add after the commit fails.
 */
export async function storeActivity(
  deps: FetchDeps,
  conn: OpenConnection,
  athleteId: string,
  activity: IntervalsActivity,
  /**
   * notify: the classify job announces the workout. uploaded: Intervals.icu sent this activity as
   * ACTIVITY_UPLOADED; when its laps are unchanged (so no classify job follows and the stored
   * classification stays) the card is asked for here, with the record (a silent first-poll import
   * that met its upload webhook second).
   */
  opts: { notify: boolean; uploaded?: boolean },
): Promise<StoredActivity> {
  const id = activity.id;
  const localDate = activity.start_date_local!.slice(0, 10);
  const [intervals, streams, wellness, previous, prevWorkout] = await Promise.all([
    activity.icu_intervals ? null : conn.client.getIntervals(id),
    conn.client.getStreams(id, STREAM_TYPES),
    conn.client.getWellness(conn.cred.intervalsAthleteId, localDate),
    getActivitySource(deps.db, athleteId, id),
    getWorkoutRowByActivity(deps.db, athleteId, id),
  ]);
  const record = normalizeActivity({ activity, intervals, streams, wellness });

  // Same laps as stored and classified: the classification still holds (it is stored apart and
  // composed into the record on read); new or changed laps are classified again.
  const sameStructure =
    previous !== undefined &&
    prevWorkout !== undefined &&
    prevWorkout.session_type !== 'Unclassified' &&
    structureSignature(intervalsOf(previous.activity, previous.intervals)) === structureSignature(intervalsOf(activity, intervals));
  const reclassify = !sameStructure;
  const { stored, staged } = await deps.db.transaction().execute(async (trx) => {
    await upsertActivitySource(trx, { athleteId, intervalsActivityId: id, activity, intervals, streams, wellness });
    await setSourceRevision(trx, athleteId, id, activityRevision(activity));
    if (wellness) await upsertWellnessDay(trx, athleteId, localDate, wellness);
    // A previously deleted activity that Intervals.icu serves again is visible again.
    const w = await upsertWorkout(trx, athleteId, record, { lapsChanged: reclassify });
    // The next step commits with the record (outbox): a retry of this fetch finds the revision stored
    // and does nothing, so a classify job lost after the commit would never come back otherwise.
    const next = await stageJobs(
      trx,
      athleteId,
      reclassify
        ? [{ queue: 'classify', payload: { workoutId: w.id, rev: w.rev, notify: opts.notify } }]
        : [
            summaryRebuildJob(athleteId, 'workout'),
            ...(opts.uploaded ? [{ queue: 'notify-telegram' as const, payload: { workoutId: w.id, kind: 'new' as const } }] : []),
          ],
    );
    return { stored: w, staged: next };
  });
  await handOn(deps, staged);
  return { workoutId: stored.id, rev: stored.rev, provisional: record.provisional, created: stored.created, reclassify };
}
