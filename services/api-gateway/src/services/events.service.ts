import { PlannedEventsResponseSchema, type DateWindowQuery, type IntervalsEvent, type PlannedEvent, type PlannedEventsResponse } from '@splits/contracts';
import { listPlannedEvents, type Db, type PlannedEventRow } from '@splits/db';
import { assertFits, resolveWindow } from './window.js';
import { loadAthleteFrame } from './athlete-context.js';

const km = (m: number | null | undefined) => (typeof m === 'number' ? Number((m / 1000).toFixed(2)) : null);

export function plannedFromRow(r: PlannedEventRow): PlannedEvent {
  return {
    id: r.intervals_event_id,
    externalId: r.external_id,
    date: r.local_date,
    start: r.start_date_local,
    category: r.category,
    type: r.type,
    name: r.name,
    description: r.description,
    movingTime: r.moving_time,
    distance: km(r.distance),
    load: r.load,
  };
}

export function plannedFromIntervals(e: IntervalsEvent): PlannedEvent {
  const start = e.start_date_local ?? '';
  return {
    id: String(e.id),
    externalId: e.external_id ?? null,
    date: start.slice(0, 10),
    start,
    category: e.category ?? 'NOTE',
    type: e.type ?? null,
    name: e.name ?? null,
    description: e.description ?? null,
    movingTime: e.moving_time ?? null,
    distance: km(e.distance),
    load: e.icu_training_load ?? null,
  };
}

/** Planned workouts and notes on the calendar (as last synced or written); default today + 13 days. */
export async function getPlannedEvents(db: Db, athleteId: string, query: DateWindowQuery): Promise<PlannedEventsResponse> {
  const { timezone, today } = await loadAthleteFrame(db, athleteId);
  const { oldest, newest } = resolveWindow(query, { defaultDays: 14, maxDays: 366, anchor: 'future', today });
  const rows = await listPlannedEvents(db, athleteId, oldest, newest);
  const events = rows.map(plannedFromRow);
  return assertFits(PlannedEventsResponseSchema.parse({ window: { oldest, newest, timezone }, events, count: events.length }), 'ask for a narrower oldest/newest window');
}
