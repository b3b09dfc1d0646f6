import type { IntervalsEvent } from '@splits/contracts';
import type { Db } from '../connection.js';
import type { Selectable } from 'kysely';
import type { PlannedEvent } from '../schema.js';

export type PlannedEventRow = Selectable<PlannedEvent>;

function toRow(athleteId: string, e: IntervalsEvent) {
  const start = e.start_date_local ?? '';
  return {
    athlete_id: athleteId,
    intervals_event_id: String(e.id),
    external_id: e.external_id ?? null,
    category: e.category ?? 'NOTE',
    type: e.type ?? null,
    name: e.name ?? null,
    description: e.description ?? null,
    local_date: start.slice(0, 10),
    start_date_local: start,
    moving_time: e.moving_time ?? null,
    distance: e.distance ?? null,
    load: e.icu_training_load ?? null,
    data: JSON.stringify(e),
  };
}

/** Insert or update events as Intervals.icu returned them (after a write or a re-read). */
export async function upsertPlannedEvents(db: Db, athleteId: string, events: IntervalsEvent[]): Promise<void> {
  const rows = events.filter((e) => typeof e.start_date_local === 'string').map((e) => toRow(athleteId, e));
  if (rows.length === 0) return;
  await db
    .insertInto('planned_event')
    .values(rows)
    .onConflict((oc) =>
      oc.columns(['athlete_id', 'intervals_event_id']).doUpdateSet((eb) => ({
        external_id: eb.ref('excluded.external_id'),
        category: eb.ref('excluded.category'),
        type: eb.ref('excluded.type'),
        name: eb.ref('excluded.name'),
        description: eb.ref('excluded.description'),
        local_date: eb.ref('excluded.local_date'),
        start_date_local: eb.ref('excluded.start_date_local'),
        moving_time: eb.ref('excluded.moving_time'),
        distance: eb.ref('excluded.distance'),
        load: eb.ref('excluded.load'),
        data: eb.ref('excluded.data'),
        updated_at: new Date(),
      })),
    )
    .execute();
}

/**
 * Make the stored window [oldest, newest] equal to what Intervals.icu holds: upsert what came back
 * and delete what is no longer there (events deleted on the calendar disappear).
 */
export async function replacePlannedEventsWindow(
  db: Db,
  athleteId: string,
  oldest: string,
  newest: string,
  events: IntervalsEvent[],
): Promise<{ upserted: number; deleted: number }> {
  return db.transaction().execute(async (trx) => {
    await upsertPlannedEvents(trx as unknown as Db, athleteId, events);
    const keep = events.map((e) => String(e.id));
    let q = trx
      .deleteFrom('planned_event')
      .where('athlete_id', '=', athleteId)
      .where('local_date', '>=', oldest)
      .where('local_date', '<=', newest);
    if (keep.length > 0) q = q.where('intervals_event_id', 'not in', keep);
    const res = await q.executeTakeFirst();
    return { upserted: keep.length, deleted: Number(res.numDeletedRows) };
  });
}

export async function deletePlannedEventsById(db: Db, athleteId: string, intervalsEventIds: string[]): Promise<number> {
  if (intervalsEventIds.length === 0) return 0;
  const res = await db
    .deleteFrom('planned_event')
    .where('athlete_id', '=', athleteId)
    .where('intervals_event_id', 'in', intervalsEventIds)
    .executeTakeFirst();
  return Number(res.numDeletedRows);
}

export async function listPlannedEvents(db: Db, athleteId: string, oldest: string, newest: string) {
  return db
    .selectFrom('planned_event')
    .selectAll()
    .where('athlete_id', '=', athleteId)
    .where('local_date', '>=', oldest)
    .where('local_date', '<=', newest)
    .orderBy('local_date')
    .orderBy('start_date_local')
    .execute();
}

/** Stored events of this athlete with these external ids (to tell a create from an update). */
export async function listPlannedEventsByExternalIds(db: Db, athleteId: string, externalIds: string[]) {
  if (externalIds.length === 0) return [];
  return db
    .selectFrom('planned_event')
    .selectAll()
    .where('athlete_id', '=', athleteId)
    .where('external_id', 'in', externalIds)
    .execute();
}
