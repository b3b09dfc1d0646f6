import { sql } from 'kysely';
import type { Db } from '../connection.js';

/** Intervals.icu's critical-speed model as fetched on one day. */
export interface PaceModelRow {
  /** YYYY-MM-DD (UTC day of the fetch). */
  fetchedOn: string;
  /** m/s */
  criticalSpeed: number | null;
  /** m */
  dPrime: number | null;
  r2: number | null;
}

/** Upserts the day's model; true when it differs from the newest earlier one (or there was none). */
export async function putPaceModel(db: Db, athleteId: string, sport: string, fetchedOn: string, m: Omit<PaceModelRow, 'fetchedOn'> & { curve: unknown }): Promise<boolean> {
  const before = await db
    .selectFrom('pace_model')
    .select(['critical_speed', 'd_prime'])
    .where('athlete_id', '=', athleteId)
    .where('sport', '=', sport)
    .orderBy('fetched_on', 'desc')
    .limit(1)
    .executeTakeFirst();
  const row = { athlete_id: athleteId, sport, fetched_on: fetchedOn, critical_speed: m.criticalSpeed, d_prime: m.dPrime, r2: m.r2, curve: JSON.stringify(m.curve), fetched_at: new Date() };
  await db
    .insertInto('pace_model')
    .values(row)
    .onConflict((oc) => oc.columns(['athlete_id', 'sport', 'fetched_on']).doUpdateSet({ critical_speed: row.critical_speed, d_prime: row.d_prime, r2: row.r2, curve: row.curve, fetched_at: row.fetched_at }))
    .execute();
  return !before || before.critical_speed !== m.criticalSpeed || before.d_prime !== m.dPrime;
}

/** The athlete's models of one sport fetched on or after `oldest`, oldest first. */
export async function listPaceModels(db: Db, athleteId: string, sport: string, oldest: string): Promise<PaceModelRow[]> {
  const rows = await db
    .selectFrom('pace_model')
    .select([sql<string>`to_char(fetched_on, 'YYYY-MM-DD')`.as('fetched_on'), 'critical_speed', 'd_prime', 'r2'])
    .where('athlete_id', '=', athleteId)
    .where('sport', '=', sport)
    .where('fetched_on', '>=', oldest)
    .orderBy('fetched_on')
    .execute();
  return rows.map((r) => ({ fetchedOn: r.fetched_on, criticalSpeed: r.critical_speed, dPrime: r.d_prime, r2: r.r2 }));
}

/** Whether a model of this sport was fetched for the athlete on `day`. */
export async function hasPaceModelOn(db: Db, athleteId: string, sport: string, day: string): Promise<boolean> {
  const row = await db.selectFrom('pace_model').select('fetched_on').where('athlete_id', '=', athleteId).where('sport', '=', sport).where('fetched_on', '=', day).executeTakeFirst();
  return row !== undefined;
}
