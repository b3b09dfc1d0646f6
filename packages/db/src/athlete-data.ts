import { sql, type RawBuilder } from 'kysely';
import type { Db } from './connection.js';

/**
 * Every table that holds an athlete's rows, and how to find them (issue 15): the one list behind
 * "delete my account" (what was deleted) and "export my data" (everything, streamed). A test reads
 * the schema and fails when a table that references an athlete (or an athlete's workout or inbox
 * row) is missing here, so a new table cannot be forgotten.
 *
 * `owner`: the SQL condition on the table (alias `t`) that selects the athlete's rows, given the
 * athlete id `$a` and their Intervals.icu athlete id `$i`. `omit`: secrets and hashes that never leave
 * (credentials, token and code hashes); the export says they were left out.
 */
export interface AthleteTableSpec {
  owner: (a: string, i: string | null) => RawBuilder<boolean>;
  omit?: readonly string[];
}

const byAthlete = (col = 'athlete_id') => (a: string) => sql<boolean>`t.${sql.ref(col)} = ${a}`;
const byWorkout = (a: string) => sql<boolean>`t.workout_id in (select id from workout where athlete_id = ${a})`;

export const ATHLETE_TABLES: Record<string, AthleteTableSpec> = {
  athlete: { owner: byAthlete('id') },
  athlete_consent: { owner: byAthlete() },
  intervals_connection: { owner: byAthlete(), omit: ['credential_enc'] },
  api_token: { owner: byAthlete(), omit: ['token_hash'] },
  telegram_link: { owner: byAthlete() },
  telegram_link_code: { owner: byAthlete(), omit: ['code_hash'] },
  telegram_prompt: { owner: byWorkout },
  reminder_setting: { owner: byAthlete() },
  // Events stored before the athlete was known carry only the Intervals.icu id.
  webhook_inbox: { owner: (a, i) => (i ? sql<boolean>`(t.athlete_id = ${a} or t.intervals_athlete_id = ${i})` : sql<boolean>`t.athlete_id = ${a}`) },
  webhook_inbox_pending: {
    owner: (a, i) => sql<boolean>`t.inbox_id in (select id from webhook_inbox where athlete_id = ${a} or intervals_athlete_id = ${i ?? ''})`,
  },
  job_outbox: { owner: byAthlete() },
  activity_source: { owner: byAthlete() },
  workout: { owner: byAthlete() },
  workout_classification: { owner: byWorkout },
  workout_best_effort: { owner: byAthlete() },
  workout_report: { owner: byAthlete() },
  llm_classification: { owner: byWorkout },
  notification: { owner: byWorkout },
  wellness_day: { owner: byAthlete() },
  planned_event: { owner: byAthlete() },
  sport_settings: { owner: byAthlete() },
  athlete_profile: { owner: byAthlete() },
  athlete_profile_history: { owner: byAthlete() },
  athlete_summary: { owner: byAthlete() },
  login_code: { owner: byAthlete(), omit: ['code_hash'] },
  oauth_authorization: {
    owner: (a) => sql<boolean>`(t.athlete_id = ${a} or t.signed_in_athlete_id = ${a})`,
    omit: ['code_hash', 'code_challenge', 'browser_hash'],
  },
  oauth_token: { owner: byAthlete(), omit: ['token_hash'] },
  pace_model: { owner: byAthlete() },
  web_session: { owner: byAthlete(), omit: ['token_hash'] },
};

async function intervalsIdOf(db: Db, athleteId: string): Promise<string | null> {
  const row = await db.selectFrom('intervals_connection').select('intervals_athlete_id').where('athlete_id', '=', athleteId).executeTakeFirst();
  return row?.intervals_athlete_id ?? null;
}

/** How many rows each table holds for the athlete (tables with none are left out). */
export async function countAthleteRows(db: Db, athleteId: string): Promise<Record<string, number>> {
  const i = await intervalsIdOf(db, athleteId);
  const out: Record<string, number> = {};
  for (const [table, spec] of Object.entries(ATHLETE_TABLES)) {
    const r = await sql<{ n: string }>`select count(*) as n from ${sql.table(table)} t where ${spec.owner(athleteId, i)}`.execute(db);
    const n = Number(r.rows[0]?.n ?? 0);
    if (n > 0) out[table] = n;
  }
  return out;
}

/**
 * Deletes everything the athlete owns, in one transaction: their inbox rows by Intervals.icu id too
 * (events stored before they connected), then the athlete row, whose cascades take every other
 * table. Returns the rows per table as they were, or null when there is no such athlete.
 */
export async function deleteAthleteRows(db: Db, athleteId: string): Promise<Record<string, number> | null> {
  return db.transaction().execute(async (trx) => {
    const exists = await trx.selectFrom('athlete').select('id').where('id', '=', athleteId).forUpdate().executeTakeFirst();
    if (!exists) return null;
    const counts = await countAthleteRows(trx, athleteId);
    const i = await intervalsIdOf(trx, athleteId);
    if (i) await trx.deleteFrom('webhook_inbox').where('intervals_athlete_id', '=', i).execute();
    await trx.deleteFrom('athlete').where('id', '=', athleteId).execute();
    return counts;
  });
}

/**
 * The athlete's data as one JSON document, produced in pieces: a table at a time, `batch` rows per
 * query (ordered by the primary key), so a five-year history never sits in memory at once.
 */
export async function* exportAthleteData(db: Db, athleteId: string, meta: Record<string, unknown>, batch = 200): AsyncGenerator<string> {
  const i = await intervalsIdOf(db, athleteId);
  const keys = await primaryKeys(db);
  yield `{${JSON.stringify('exportedAt')}:${JSON.stringify(new Date().toISOString())}`;
  for (const [k, v] of Object.entries(meta)) yield `,${JSON.stringify(k)}:${JSON.stringify(v)}`;
  yield `,"omitted":${JSON.stringify(Object.fromEntries(Object.entries(ATHLETE_TABLES).filter(([, s]) => s.omit).map(([t, s]) => [t, s.omit])))}`;
  yield ',"tables":{';
  let firstTable = true;
  for (const [table, spec] of Object.entries(ATHLETE_TABLES)) {
    if (table === 'webhook_inbox_pending' || table === 'job_outbox') continue; // queue bookkeeping, not data
    yield `${firstTable ? '' : ','}${JSON.stringify(table)}:[`;
    firstTable = false;
    const order = (keys.get(table) ?? ['ctid']).map((c) => sql.ref(`t.${c}`));
    let first = true;
    for (let offset = 0; ; offset += batch) {
      const r = await sql<Record<string, unknown>>`select t.* from ${sql.table(table)} t where ${spec.owner(athleteId, i)}
        order by ${sql.join(order)} limit ${batch} offset ${offset}`.execute(db);
      for (const row of r.rows) {
        for (const c of spec.omit ?? []) delete row[c];
        yield `${first ? '' : ','}${JSON.stringify(row)}`;
        first = false;
      }
      if (r.rows.length < batch) break;
    }
    yield ']';
  }
  yield '}}';
}

async function primaryKeys(db: Db): Promise<Map<string, string[]>> {
  const r = await sql<{ table_name: string; column_name: string }>`
    select tc.table_name, kcu.column_name
      from information_schema.table_constraints tc
      join information_schema.key_column_usage kcu on kcu.constraint_name = tc.constraint_name and kcu.table_schema = tc.table_schema
     where tc.constraint_type = 'PRIMARY KEY' and tc.table_schema = current_schema()
     order by tc.table_name, kcu.ordinal_position`.execute(db);
  const out = new Map<string, string[]>();
  for (const row of r.rows) out.set(row.table_name, [...(out.get(row.table_name) ?? []), row.column_name]);
  return out;
}
