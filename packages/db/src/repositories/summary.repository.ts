import { sql } from 'kysely';
import type { Db } from '../connection.js';

export async function saveAthleteSummary(db: Db, athleteId: string, document: unknown): Promise<number> {
  const doc = JSON.stringify(document);
  const row = await db
    .insertInto('athlete_summary')
    .values({ athlete_id: athleteId, version: 1, document: doc })
    .onConflict((oc) =>
      oc.column('athlete_id').doUpdateSet({ document: doc, version: sql`athlete_summary.version + 1`, built_at: new Date() }),
    )
    .returning('version')
    .executeTakeFirstOrThrow();
  return row.version;
}

export async function getAthleteSummary(db: Db, athleteId: string) {
  return db
    .selectFrom('athlete_summary')
    .select(['version', 'document', 'built_at'])
    .where('athlete_id', '=', athleteId)
    .executeTakeFirst();
}

/** Compact rows for summaries: what the summary builder needs, nothing more. */
export async function listWorkoutsForSummary(db: Db, athleteId: string, sinceIso: string) {
  return db
    .selectFrom('workout')
    .select(['id', 'record'])
    .where('athlete_id', '=', athleteId)
    .where('deleted_at', 'is', null)
    .where('unavailable_reason', 'is', null)
    .where('start_date', '>=', new Date(sinceIso))
    .orderBy('start_date', 'desc')
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
