import { sql } from 'kysely';
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

/** The activity as Intervals.icu described it, without its streams, intervals or wellness: what classification reads. */
export async function getActivityJson(db: Db, athleteId: string, intervalsActivityId: string): Promise<unknown | null> {
  const row = await db
    .selectFrom('activity_source')
    .select('activity')
    .where('athlete_id', '=', athleteId)
    .where('intervals_activity_id', '=', intervalsActivityId)
    .executeTakeFirst();
  return row?.activity ?? null;
}

/** The settings of the day Intervals.icu stamped on an activity (classification's stand-in for an athlete without sport settings). */
export interface ActivityStamps {
  threshold_pace?: number | null;
  lthr?: number | null;
  athlete_max_hr?: number | null;
}

/** The stamps of these activities (of this athlete only) in one read, by activity id; nothing else of the stored JSON is sent. */
export async function listActivityStamps(db: Db, athleteId: string, intervalsActivityIds: string[]): Promise<Map<string, ActivityStamps>> {
  if (intervalsActivityIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('activity_source')
    .select([
      'intervals_activity_id',
      sql<ActivityStamps>`jsonb_build_object('threshold_pace', activity->'threshold_pace', 'lthr', activity->'lthr', 'athlete_max_hr', activity->'athlete_max_hr')`.as('stamps'),
    ])
    .where('athlete_id', '=', athleteId)
    .where('intervals_activity_id', 'in', intervalsActivityIds)
    .execute();
  return new Map(rows.map((r) => [r.intervals_activity_id, r.stamps]));
}

export async function getActivitySource(db: Db, athleteId: string, intervalsActivityId: string) {
  return db
    .selectFrom('activity_source')
    .select(['activity', 'intervals', 'streams', 'wellness', 'fetched_at'])
    .where('athlete_id', '=', athleteId)
    .where('intervals_activity_id', '=', intervalsActivityId)
    .executeTakeFirst();
}
