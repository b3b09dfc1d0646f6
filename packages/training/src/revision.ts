import { createHash } from 'node:crypto';
import type { IntervalsActivity } from '@splits/contracts';
import { isUnavailableActivity } from './activity-source.js';

/** Why an activity cannot be read, as a sentence operators understand; null when it can be. */
export function unavailableReason(a: IntervalsActivity): string | null {
  const kind = isUnavailableActivity(a);
  if (kind === 'strava') return 'strava: Strava activities are not available via the Intervals.icu API';
  if (kind === 'deleted') return 'stub: the activity has no data (deleted or not yet available)';
  return null;
}

/** Structure signature of the laps/intervals: unchanged → the classification still holds. */
export function structureSignature(intervals: ReadonlyArray<Record<string, unknown>> | null | undefined): string {
  const parts = (intervals ?? []).map((i) =>
    [i.start_index, i.end_index, i.moving_time, typeof i.distance === 'number' ? Math.round(i.distance) : i.distance].join(','),
  );
  return createHash('sha1').update(parts.join(';')).digest('base64url').slice(0, 16);
}
