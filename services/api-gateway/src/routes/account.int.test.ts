import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { ATHLETE_TABLES, countAthleteRows, createLoginCode, createTelegramLinkCode, linkTelegram, recordConsent, type Db } from '@splits/db';
import { createLogger } from '@splits/telemetry';
import { createTestDatabase, type TestDatabase } from '@splits/testing';
import { buildApp } from '../app.js';
import { openTestQueues, seedAthlete, type SeededAthlete } from '../test-harness.js';

/**
 * The athlete's own data (issue 15): DELETE /me removes every row of every athlete-owned table (the
 * list is checked against the schema, so a new table cannot be forgotten), their queued jobs and
 * tokens, and nobody else's; GET /me/export streams all of it as one JSON document without secrets;
 * consent is recorded and changeable.
 */
const q = openTestQueues('gwaccount');
let tdb: TestDatabase;
let app: FastifyInstance;
let a: SeededAthlete;
let b: SeededAthlete;

beforeAll(async () => {
  tdb = await createTestDatabase('gwaccount');
  a = await seedAthlete(tdb.db, 'i7301', ['2026-11-01', '2026-11-03']);
  b = await seedAthlete(tdb.db, 'i7302', ['2026-11-02']);
  for (const s of [a, b]) await fillEveryTable(tdb.db, s);
  app = await buildApp({ db: tdb.db, queues: q.queues, log: createLogger('api-gateway', 'silent'), publicBaseUrl: 'http://127.0.0.1' });
});
afterAll(async () => {
  await app?.close();
  await tdb?.drop();
  await q.close();
});

const call = (method: 'GET' | 'PATCH' | 'DELETE', url: string, token: string, payload?: object) =>
  app.inject({ method, url, headers: { authorization: `Bearer ${token}` }, ...(payload ? { payload } : {}) });

/**
 * Tables that reference an athlete, directly or through a table that does (a workout, an inbox row),
 * read from the schema's foreign keys, plus every table with a column that names an athlete without
 * a key (an Intervals.icu athlete id).
 */
async function athleteTablesFromSchema(db: Db): Promise<{ tables: string[]; notCascading: string[] }> {
  const fks = (
    await sql<{ child: string; parent: string; cascade: boolean }>`
      select c.conrelid::regclass::text as child, c.confrelid::regclass::text as parent, c.confdeltype = 'c' as cascade
        from pg_constraint c where c.contype = 'f' and c.connamespace = current_schema()::regnamespace`.execute(db)
  ).rows;
  const owned = new Set(['athlete']);
  for (let grew = true; grew; ) {
    grew = false;
    for (const fk of fks) if (owned.has(fk.parent) && !owned.has(fk.child)) (owned.add(fk.child), (grew = true));
  }
  const named = (
    await sql<{ table_name: string }>`
      select distinct c.table_name from information_schema.columns c
        join information_schema.tables t on t.table_name = c.table_name and t.table_schema = c.table_schema and t.table_type = 'BASE TABLE'
       where c.table_schema = current_schema() and c.column_name like '%athlete%'`.execute(db)
  ).rows.map((r) => r.table_name);
  for (const t of named) owned.add(t);
  const notCascading = fks.filter((fk) => owned.has(fk.child) && owned.has(fk.parent) && !fk.cascade).map((fk) => `${fk.child} → ${fk.parent}`);
  return { tables: [...owned].sort(), notCascading };
}

describe('the athlete-owned tables', () => {
  it('are all known to deletion and export, and every key between them cascades', async () => {
    const schema = await athleteTablesFromSchema(tdb.db);
    expect(Object.keys(ATHLETE_TABLES).sort()).toEqual(schema.tables);
    expect(schema.notCascading).toEqual([]);
  });

  it('each hold a row of both seeded athletes (so the deletion below is tested on every one)', async () => {
    for (const s of [a, b]) expect(Object.keys(await countAthleteRows(tdb.db, s.athleteId)).sort()).toEqual(Object.keys(ATHLETE_TABLES).sort());
  });
});

describe('GET /me/export', () => {
  it('streams everything the athlete owns as one JSON document, secrets left out, nobody else’s rows', async () => {
    const res = await call('GET', '/me/export', a.token);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/application\/json/);
    const doc = res.json();
    expect(doc).toMatchObject({ athleteId: a.athleteId, privacyNoticeVersion: expect.any(String), exportedAt: expect.any(String) });
    const counts = await countAthleteRows(tdb.db, a.athleteId);
    for (const table of Object.keys(ATHLETE_TABLES)) {
      if (table === 'job_outbox' || table === 'webhook_inbox_pending') continue;
      expect([table, doc.tables[table].length]).toEqual([table, counts[table]]);
    }
    expect(doc.tables.workout.map((w: { id: string }) => w.id).sort()).toEqual([...a.workouts.values()].sort());
    expect(doc.tables.athlete_consent).toEqual([expect.objectContaining({ kind: 'privacy_notice', granted: true })]);
    const text = JSON.stringify(doc.tables);
    expect(text).not.toContain(b.athleteId);
    const conn = await tdb.db.selectFrom('intervals_connection').select('credential_enc').where('athlete_id', '=', a.athleteId).executeTakeFirstOrThrow();
    const tok = await tdb.db.selectFrom('api_token').select('token_hash').where('athlete_id', '=', a.athleteId).executeTakeFirstOrThrow();
    for (const secret of ['credential_enc', 'token_hash', 'code_hash', conn.credential_enc, tok.token_hash, a.token]) expect(text).not.toContain(secret);
    expect(doc.omitted.intervals_connection).toEqual(['credential_enc']);
  });
});

describe('consent', () => {
  it('records the notice accepted at connect, keeps the LLM off until given, and changes it on request', async () => {
    const first = (await call('GET', '/me/consent', a.token)).json();
    expect(first).toMatchObject({ privacyNotice: { version: 'v-test' }, llm: { granted: false, at: null } });
    const on = await call('PATCH', '/me/consent', a.token, { llm: true });
    expect(on.statusCode).toBe(200);
    expect(on.json()).toMatchObject({ llm: { granted: true, at: expect.any(String) } });
    const off = (await call('PATCH', '/me/consent', a.token, { llm: false })).json();
    expect(off.llm.granted).toBe(false);
    expect(off.history.filter((h: { kind: string }) => h.kind === 'llm').map((h: { granted: boolean }) => h.granted)).toEqual([true, false]);
    expect((await call('PATCH', '/me/consent', a.token, {})).statusCode).toBe(400);
    expect((await call('PATCH', '/me/consent', a.token, { llm: 'yes' })).json()).toMatchObject({ error: { code: expect.any(String) } });
  });
});

describe('DELETE /me', () => {
  it('deletes every row the athlete owns, their queued jobs and tokens, says what stays on Intervals.icu, and leaves the other athlete alone', async () => {
    const workoutId = [...a.workouts.values()][0]!;
    await q.queues['sync-calendar'].add('sync-calendar', { athleteId: a.athleteId }, { jobId: `cal-${a.athleteId}`, delay: 60_000 });
    await q.queues.classify.add('classify', { workoutId, rev: 0 }, { jobId: `cls-${workoutId}-0`, delay: 60_000 });
    await q.queues['sync-calendar'].add('sync-calendar', { athleteId: b.athleteId }, { jobId: `cal-${b.athleteId}`, delay: 60_000 });
    const before = await countAthleteRows(tdb.db, b.athleteId);

    const res = await call('DELETE', '/me', a.token);
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ athleteId: a.athleteId, jobsRemoved: 2, intervalsAccess: 'api_key_stays_valid' });
    expect(body.deleted).toMatchObject({ athlete: 1, workout: 2, webhook_inbox: 2 });
    expect(body.staysOnIntervals.join(' ')).toMatch(/descriptions/);

    for (const table of Object.keys(ATHLETE_TABLES)) {
      const left = await sql<{ n: string }>`select count(*) as n from ${sql.table(table)} t where ${ATHLETE_TABLES[table]!.owner(a.athleteId, 'i7301')}`.execute(tdb.db);
      expect([table, Number(left.rows[0]!.n)]).toEqual([table, 0]);
    }
    // Inbox rows keep no athlete id that could point back, and workouts nothing of theirs either.
    expect(await countAthleteRows(tdb.db, b.athleteId)).toEqual(before);
    expect(await q.queues['sync-calendar'].getJob(`cal-${a.athleteId}`)).toBeUndefined();
    expect(await q.queues.classify.getJob(`cls-${workoutId}-0`)).toBeUndefined();
    expect(await q.queues['sync-calendar'].getJob(`cal-${b.athleteId}`)).toBeDefined();
    // The token died with the account.
    expect((await call('GET', '/me', a.token)).statusCode).toBe(401);
    expect((await call('GET', '/me', b.token)).statusCode).toBe(200);
  });
});

describe('/privacy', () => {
  it('serves the notice: what, why, where it goes, how long, export and delete', async () => {
    const res = await app.inject({ method: 'GET', url: '/privacy' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/text\/html/);
    for (const h of ['What Splits stores', 'Why', 'Where it goes', 'How long', 'Export and delete']) expect(res.body).toContain(h);
    expect(res.body).toMatch(/LLM provider/);
  });
});

/** One row (at least) in every athlete-owned table, through the repositories where they exist. */
async function fillEveryTable(db: Db, s: SeededAthlete): Promise<void> {
  const a = s.athleteId;
  const i = (await db.selectFrom('intervals_connection').select('intervals_athlete_id').where('athlete_id', '=', a).executeTakeFirstOrThrow()).intervals_athlete_id;
  const [w1] = [...s.workouts.values()];
  const act = (await db.selectFrom('workout').select('intervals_activity_id').where('id', '=', w1!).executeTakeFirstOrThrow()).intervals_activity_id;
  await recordConsent(db, { athleteId: a, kind: 'privacy_notice', granted: true, noticeVersion: 'v-test', source: 'connect' });
  await linkTelegram(db, a, `chat-${i}`);
  await createTelegramLinkCode(db, a);
  await createLoginCode(db, a, 60_000);
  await sql`insert into webhook_inbox (dedupe_key, type, intervals_athlete_id, athlete_id, activity_id, status, payload)
            values (${`d1-${i}`}, 'ACTIVITY_UPLOADED', ${i}, ${a}, ${act}, 'accepted', ${JSON.stringify({ athlete_id: i })}),
                   -- stored before the athlete was known: only the Intervals.icu id ties it to them
                   (${`d2-${i}`}, 'ACTIVITY_UPLOADED', ${i}, null, '999', 'unknown_athlete', '{}')`.execute(db);
  const inbox = (await db.selectFrom('webhook_inbox').select(['id', 'received_at']).where('dedupe_key', '=', `d1-${i}`).executeTakeFirstOrThrow());
  await sql`insert into webhook_inbox_pending (inbox_id, received_at) values (${inbox.id}, ${inbox.received_at}) on conflict do nothing`.execute(db);
  await sql`insert into job_outbox (queue, payload, athlete_id) values ('build-summary', ${JSON.stringify({ athleteId: a })}, ${a})`.execute(db);
  await sql`insert into activity_source (athlete_id, intervals_activity_id, activity) values (${a}, ${act}, '{}')`.execute(db);
  await sql`insert into workout_classification (workout_id, rev, session_type, fields) values (${w1}, 0, 'Easy', '{}')`.execute(db);
  await sql`insert into workout_best_effort (workout_id, athlete_id, source_fetched_at, version, efforts) values (${w1}, ${a}, now(), 1, '[]')`.execute(db);
  await sql`insert into workout_report (id, workout_id, athlete_id, revision, text, source) values (${`rep_${i}`}, ${w1}, ${a}, 1, 'felt good', 'telegram')`.execute(db);
  await sql`insert into llm_classification (workout_id, rev, session_type, confidence, reason, model) values (${w1}, 0, 'Easy', 0.9, 'easy', 'm')`.execute(db);
  await sql`insert into notification (workout_id, kind, status, chat_id) values (${w1}, 'new', 'sent', ${`chat-${i}`})`.execute(db);
  await sql`insert into telegram_prompt (chat_id, message_id, workout_id) values (${`chat-${i}`}, '1', ${w1})`.execute(db);
  await sql`insert into wellness_day (athlete_id, date, data) values (${a}, '2026-11-01', '{}')`.execute(db);
  await sql`insert into planned_event (athlete_id, intervals_event_id, category, local_date, start_date_local, data) values (${a}, '1', 'WORKOUT', '2026-11-05', '2026-11-05T00:00:00', '{}')`.execute(db);
  await sql`insert into sport_settings (athlete_id, settings_id, types, data) values (${a}, '1', '{Run}', '{}')`.execute(db);
  await sql`insert into athlete_profile (athlete_id, goals, rules, revision) values (${a}, '[]', '[]', 1)`.execute(db);
  await sql`insert into athlete_profile_history (athlete_id, revision, profile, source) values (${a}, 1, '{}', 'edit')`.execute(db);
  await sql`insert into athlete_summary (athlete_id, version, document) values (${a}, 1, '{}')`.execute(db);
  await sql`insert into reminder_setting (athlete_id) values (${a})`.execute(db);
  await sql`insert into oauth_client (client_id, info) values (${`cl-${i}`}, '{}') on conflict do nothing`.execute(db);
  await sql`insert into oauth_authorization (id, client_id, redirect_uri, code_challenge, scopes, resource, athlete_id, expires_at)
            values (${`az-${i}`}, ${`cl-${i}`}, 'https://x', 'c', 'read', 'r', ${a}, now() + interval '1 hour')`.execute(db);
  await sql`insert into oauth_token (id, token_hash, kind, family, athlete_id, client_id, resource, scopes, expires_at)
            values (${`ot-${i}`}, ${`h-${i}`}, 'access', 'f', ${a}, ${`cl-${i}`}, 'r', 'read', now() + interval '1 hour')`.execute(db);
  await sql`insert into pace_model (athlete_id, sport, fetched_on, curve) values (${a}, 'Run', '2026-11-05', '{}')`.execute(db);
  await sql`insert into web_session (id, token_hash, athlete_id, method, expires_at) values (${`ws-${i}`}, ${`wh-${i}`}, ${a}, 'code', now() + interval '1 day')`.execute(db);
}
