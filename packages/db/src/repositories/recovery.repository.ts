import { sql } from 'kysely';
import type { Db } from '../connection.js';

/**
 * What Postgres says is still owed to the queues, for a Redis that came back without its data
 * (issue 15). Each list is derived from the facts (inbox, records, classifications, notifications),
 * never from what Redis remembered; every job it leads to is idempotent, so asking twice is harmless.
 * `windowMs` bounds the look-back: older work was finished or failed long before.
 */
const since = (windowMs: number) => sql<Date>`now() - make_interval(secs => ${windowMs / 1000})`;

/**
 * Accepted inbox rows of the window that were handed to the queue but whose work is not visibly
 * done go back to the relay's work list: an activity event is done once its source was fetched
 * after the event arrived; other events (wellness, calendar, connection) are cheap and re-queued.
 * Returns how many rows were put back.
 */
export async function rependLostInbox(db: Db, windowMs: number): Promise<number> {
  const res = await sql<{ inbox_id: string }>`
    insert into webhook_inbox_pending (inbox_id, received_at)
    select i.id, i.received_at from webhook_inbox i
     where i.status = 'accepted' and i.athlete_id is not null and i.received_at > ${since(windowMs)}
       and not exists (select 1 from webhook_inbox_pending p where p.inbox_id = i.id)
       and not exists (select 1 from activity_source s
                        where i.activity_id is not null and s.athlete_id = i.athlete_id
                          and s.intervals_activity_id = i.activity_id and s.fetched_at >= i.received_at)
    on conflict do nothing
    returning inbox_id`.execute(db);
  return res.rows.length;
}

/** Workouts of the window whose classification is missing or older than their laps. */
export async function listUnclassifiedWorkouts(db: Db, windowMs: number): Promise<Array<{ id: string; rev: number }>> {
  return db
    .selectFrom('workout as w')
    .leftJoin('workout_classification as c', 'c.workout_id', 'w.id')
    .select(['w.id', 'w.rev'])
    .where('w.deleted_at', 'is', null)
    .where('w.updated_at', '>', since(windowMs))
    .where((eb) => eb.or([eb('c.workout_id', 'is', null), eb('c.rev', '<', eb.ref('w.structure_rev'))]))
    .orderBy('w.id')
    .execute();
}

/**
 * Workouts of the window that are classified, were announced by Intervals.icu as uploaded, belong
 * to a linked chat that has not blocked the bot, and have no card claimed yet (or only a `pending`
 * claim a failed attempt left): the cards a lost notify job still owes.
 */
export async function listUnsentCards(db: Db, windowMs: number): Promise<string[]> {
  const rows = await db
    .selectFrom('workout as w')
    .innerJoin('workout_classification as c', 'c.workout_id', 'w.id')
    .innerJoin('telegram_link as t', 't.athlete_id', 'w.athlete_id')
    .leftJoin('notification as n', (j) => j.onRef('n.workout_id', '=', 'w.id').on('n.kind', '=', 'new'))
    .select('w.id')
    .where('w.deleted_at', 'is', null)
    .where('w.updated_at', '>', since(windowMs))
    .where('t.disabled_at', 'is', null)
    .where((eb) => eb.or([eb('n.workout_id', 'is', null), eb('n.status', '=', 'pending')]))
    .where(({ exists, selectFrom }) =>
      exists(
        selectFrom('webhook_inbox as i')
          .select('i.id')
          .whereRef('i.athlete_id', '=', 'w.athlete_id')
          .whereRef('i.activity_id', '=', 'w.intervals_activity_id')
          .where('i.status', '=', 'accepted')
          .where('i.type', '=', 'ACTIVITY_UPLOADED'),
      ),
    )
    .orderBy('w.id')
    .execute();
  return rows.map((r) => r.id);
}

/** Athletes whose workouts changed in the window: their summaries are rebuilt. */
export async function listAthletesChangedSince(db: Db, windowMs: number): Promise<string[]> {
  const rows = await db.selectFrom('workout').select('athlete_id').distinct().where('updated_at', '>', since(windowMs)).execute();
  return rows.map((r) => r.athlete_id);
}
