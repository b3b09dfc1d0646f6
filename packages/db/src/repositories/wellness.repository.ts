import type { Db } from '../connection.js';

export async function listWellnessDays(db: Db, athleteId: string, oldest: string, newest: string) {
  return db
    .selectFrom('wellness_day')
    .select(['date', 'data'])
    .where('athlete_id', '=', athleteId)
    .where('date', '>=', oldest)
    .where('date', '<=', newest)
    .orderBy('date')
    .execute();
}

/** Many days in one statement (backfill, a burst of changed days). */
export async function upsertWellnessDays(db: Db, athleteId: string, days: Array<{ date: string; data: unknown }>): Promise<void> {
  // One row per date (the last wins): a statement may not update the same row twice.
  const byDate = new Map(days.map((d) => [d.date, d.data]));
  if (byDate.size === 0) return;
  await db
    .insertInto('wellness_day')
    .values([...byDate].map(([date, data]) => ({ athlete_id: athleteId, date, data: JSON.stringify(data) })))
    .onConflict((oc) => oc.columns(['athlete_id', 'date']).doUpdateSet((eb) => ({ data: eb.ref('excluded.data'), updated_at: new Date() })))
    .execute();
}

export async function upsertWellnessDay(db: Db, athleteId: string, date: string, data: unknown): Promise<void> {
  const json = JSON.stringify(data);
  await db
    .insertInto('wellness_day')
    .values({ athlete_id: athleteId, date, data: json })
    .onConflict((oc) => oc.columns(['athlete_id', 'date']).doUpdateSet({ data: json, updated_at: new Date() }))
    .execute();
}
