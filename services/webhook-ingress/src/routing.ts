import { ACTIVITY_FETCH_EVENT_TYPES, isCalendarDate } from '@splits/contracts';
import type { JobInput, QueueName } from '@splits/queue';

/**
 * Which work each webhook type causes (reference §1.2). Pure: the request path and the relay route a
 * stored event the same way, so a row the relay picks up produces exactly the jobs the request would
 * have. Every job id is deterministic or debounced, so routing a row twice is harmless.
 */

export type RoutedJob = { [N in QueueName]: { queue: N; payload: JobInput<N>; delay?: number } }[QueueName];

export interface RoutingOptions {
  /** First fetch of an uploaded/changed activity waits this long (Intervals.icu is still analysing). */
  fetchDelayMs: number;
  /** Debounce windows; undefined keeps the catalog's. */
  wellnessDebounceMs?: number;
  calendarDebounceMs?: number;
}

/** The parts of a webhook event routing reads (the stored payload has the same shape). */
export interface RoutableEvent {
  type: string;
  activity?: { id: string | number } | null;
  records?: Array<Record<string, unknown>> | null;
}

const FETCH_TYPES: ReadonlySet<string> = new Set(ACTIVITY_FETCH_EVENT_TYPES);
const CALENDAR_TYPES: ReadonlySet<string> = new Set(['CALENDAR_UPDATED', 'CALENDAR_EVENT_UPDATED', 'CALENDAR_EVENT_DELETED']);
const WELLNESS_TYPES: ReadonlySet<string> = new Set(['WELLNESS_UPDATED', 'FITNESS_UPDATED']);

/**
 * Wellness dates worth syncing. FITNESS_UPDATED carries a zero-load projection up to the A-race date
 * (reference §1.5): those future rows are not facts. The athlete's own "today" can be up to a day
 * ahead of UTC, so anything after UTC tomorrow is dropped here; the worker cuts precisely in the
 * athlete's time zone. A date that does not exist (`2024-02-30`) is dropped: it could never be synced,
 * and the catalog would refuse its job.
 */
export function wellnessDates(records: RoutableEvent['records'], now: Date = new Date()): string[] {
  const cut = new Date(now.getTime() + 24 * 3600_000).toISOString().slice(0, 10);
  const dates = new Set<string>();
  for (const r of records ?? []) {
    const d = typeof r?.id === 'string' ? r.id.slice(0, 10) : null;
    if (isCalendarDate(d) && d <= cut) dates.add(d);
  }
  return [...dates].sort();
}

const activityIdOf = (e: RoutableEvent) =>
  e.activity && (typeof e.activity.id === 'string' || typeof e.activity.id === 'number') ? String(e.activity.id) : null;

/** Whether an event of this shape leads to work (stored `accepted`) or is kept for the record only (`ignored`). */
export function isActionable(event: RoutableEvent, now?: Date): boolean {
  if (FETCH_TYPES.has(event.type) || event.type === 'ACTIVITY_DELETED') return activityIdOf(event) !== null;
  if (WELLNESS_TYPES.has(event.type)) return wellnessDates(event.records, now).length > 0;
  return CALENDAR_TYPES.has(event.type) || event.type === 'SPORT_SETTINGS_UPDATED' || event.type === 'APP_SCOPE_CHANGED';
}

/** The jobs one stored, accepted event causes for its athlete. */
export function routeEvent(
  row: { inboxId: string; athleteId: string },
  event: RoutableEvent,
  opts: RoutingOptions,
  now?: Date,
): RoutedJob[] {
  const { athleteId } = row;
  const activityId = activityIdOf(event);
  if (FETCH_TYPES.has(event.type) && activityId) {
    return [{ queue: 'fetch-activity', payload: { athleteId, intervalsActivityId: activityId, reason: event.type }, delay: opts.fetchDelayMs }];
  }
  if (event.type === 'ACTIVITY_DELETED' && activityId) {
    return [{ queue: 'fetch-activity', payload: { athleteId, intervalsActivityId: activityId, reason: event.type }, delay: 0 }];
  }
  if (WELLNESS_TYPES.has(event.type)) {
    // One job per day: Garmin sends bursts for the same day, which the per-(athlete, date) debounce folds.
    return wellnessDates(event.records, now).map((d) => ({
      queue: 'sync-wellness' as const,
      payload: { athleteId, dates: [d] },
      delay: opts.wellnessDebounceMs,
    }));
  }
  if (CALENDAR_TYPES.has(event.type)) return [{ queue: 'sync-calendar', payload: { athleteId }, delay: opts.calendarDebounceMs }];
  if (event.type === 'SPORT_SETTINGS_UPDATED') return [{ queue: 'sync-settings', payload: { athleteId } }];
  if (event.type === 'APP_SCOPE_CHANGED') return [{ queue: 'update-connection', payload: { athleteId, inboxId: row.inboxId } }];
  return [];
}
