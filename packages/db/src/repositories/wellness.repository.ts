import type { Db } from '../connection.js';

/** Wellness rows of one athlete in [oldest, newest], oldest first; `data` is the Intervals.icu row as stored. */
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
