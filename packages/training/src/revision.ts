import { createHash } from 'node:crypto';
import type { IntervalsActivity } from '@splits/contracts';

/**
 * Fields whose change means "this activity has a new revision". They are present both on a list row
 * (GET /athlete/{id}/activities) and on GET /activity/{id}, so the poller and the fetcher compute the
 * same marker; intervals are not in list rows and are left out.
 */
const REVISION_FIELDS = [
  'analyzed',
  'icu_sync_date',
  'name',
  'type',
  'description',
  'start_date',
  'distance',
  'moving_time',
  'icu_training_load',
  'icu_ctl',
  'icu_atl',
  'paired_event_id',
  'icu_intervals_edited',
  'icu_lap_count',
  'average_heartrate',
  'icu_rpe',
  'feel',
] as const;

/** A short stable hash of an activity's revision-relevant fields. */
export function activityRevision(a: IntervalsActivity | Record<string, unknown>): string {
  const src = a as Record<string, unknown>;
  const parts = REVISION_FIELDS.map((f) => (src[f] === undefined || src[f] === null ? '' : JSON.stringify(src[f])));
  return createHash('sha1').update(parts.join('\u0001')).digest('base64url').slice(0, 16);
}

/**
 * Why an activity cannot be read, or null when it can: Strava-sourced activities come back as a
 * stub with `_note` (reference §0.5); deleted-activity stubs have no start time (§1.5).
 */
export function unavailableReason(a: IntervalsActivity | Record<string, unknown>): string | null {
  const src = a as Record<string, unknown>;
  if (typeof src._note === 'string' || src.source === 'STRAVA') return 'strava: Strava activities are not available via the Intervals.icu API';
  if (!src.start_date_local) return 'stub: the activity has no data (deleted or not yet available)';
  return null;
}

/** Structure signature of the laps/intervals: unchanged → the classification still holds. */
export function structureSignature(intervals: ReadonlyArray<Record<string, unknown>> | null | undefined): string {
  const parts = (intervals ?? []).map((i) =>
    [i.start_index, i.end_index, i.moving_time, typeof i.distance === 'number' ? Math.round(i.distance) : i.distance].join(','),
  );
  return createHash('sha1').update(parts.join(';')).digest('base64url').slice(0, 16);
}
