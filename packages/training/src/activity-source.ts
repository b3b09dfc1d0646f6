import { createHash } from 'node:crypto';
import type { IntervalsActivity } from '@splits/contracts';

/** Why an activity has no data to build a record from. */
export type UnavailableReason = 'strava' | 'deleted';

/**
 * 'strava': the API's stub for a Strava-sourced activity (`source: "STRAVA"` with a `_note`, reference
 * §0.5): Intervals.icu never serves its data. 'deleted': a stub without `start_date_local`, as
 * ACTIVITY_DELETED and some UPLOADED/UPDATED events carry (reference §1.5). null: a real activity.
 */
export function isUnavailableActivity(a: Pick<IntervalsActivity, 'source' | '_note' | 'start_date_local'>): UnavailableReason | null {
  if (a.source === 'STRAVA' || (typeof a._note === 'string' && a._note.length > 0)) return 'strava';
  if (!a.start_date_local) return 'deleted';
  return null;
}

/**
 * The fields whose change means the record must be rebuilt. All of them are on a list row of
 * GET /athlete/{id}/activities as well as on GET /activity/{id}, so both give the same revision;
 * icu_intervals/icu_groups are not (list rows lack them), nor compliance (list rows can omit it;
 * paired_event_id and analyzed change with it). A re-analysis (new intervals, FTP, zones) moves
 * `analyzed`; a re-sync moves `icu_sync_date`.
 */
export const REVISION_FIELDS = [
  'id',
  'analyzed',
  'icu_sync_date',
  'start_date_local',
  'type',
  'name',
  'description',
  'distance',
  'moving_time',
  'elapsed_time',
  'icu_training_load',
  'icu_ctl',
  'icu_atl',
  'paired_event_id',
  'icu_intervals_edited',
  'icu_rpe',
  'feel',
  'race',
] as const;

/**
 * A short stable hash (16 hex characters) of the activity's REVISION_FIELDS. A missing field and an
 * explicit null hash alike (`fields=` list responses drop nulls), and other fields never count.
 */
export function activityRevision(a: IntervalsActivity): string {
  const src = a as Record<string, unknown>;
  const values = REVISION_FIELDS.map((f) => {
    const v = src[f];
    return v === undefined ? null : v;
  });
  return createHash('sha256').update(JSON.stringify(values)).digest('hex').slice(0, 16);
}
