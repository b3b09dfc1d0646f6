import type { Db } from '../connection.js';

export interface ActivitySourceInput {
  athleteId: string;
  intervalsActivityId: string;
  activity: unknown;
  intervals: unknown | null;
  streams: unknown | null;
  wellness: unknown | null;
}

/** Source revision markers of stored activities (poll and fetch skip unchanged revisions). */
export async function getSourceRevisions(db: Db, athleteId: string, activityIds: string[]): Promise<Map<string, string | null>> {
  if (activityIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('activity_source')
    .select(['intervals_activity_id', 'source_rev'])
    .where('athlete_id', '=', athleteId)
    .where('intervals_activity_id', 'in', activityIds)
    .execute();
  return new Map(rows.map((r) => [r.intervals_activity_id, r.source_rev]));
}

export async function setSourceRevision(db: Db, athleteId: string, activityId: string, rev: string): Promise<void> {
  await db
    .updateTable('activity_source')
    .set({ source_rev: rev })
    .where('athlete_id', '=', athleteId)
    .where('intervals_activity_id', '=', activityId)
    .execute();
}

/** Keeps the raw Intervals.icu JSON behind the record; a re-fetch replaces it. */
export async function upsertActivitySource(db: Db, s: ActivitySourceInput): Promise<void> {
  const values = {
    athlete_id: s.athleteId,
    intervals_activity_id: s.intervalsActivityId,
    activity: JSON.stringify(s.activity),
    intervals: s.intervals == null ? null : JSON.stringify(s.intervals),
    streams: s.streams == null ? null : JSON.stringify(s.streams),
    wellness: s.wellness == null ? null : JSON.stringify(s.wellness),
  };
  await db
    .insertInto('activity_source')
    .values(values)
    .onConflict((oc) =>
      oc.columns(['athlete_id', 'intervals_activity_id']).doUpdateSet({
        activity: values.activity,
        intervals: values.intervals,
        streams: values.streams,
        wellness: values.wellness,
        fetched_at: new Date(),
      }),
    )
    .execute();
}

export async function getActivitySource(db: Db, athleteId: string, intervalsActivityId: string) {
  return db
    .selectFrom('activity_source')
    .select(['activity', 'intervals', 'streams', 'wellness', 'fetched_at'])
    .where('athlete_id', '=', athleteId)
    .where('intervals_activity_id', '=', intervalsActivityId)
    .executeTakeFirst();
}
