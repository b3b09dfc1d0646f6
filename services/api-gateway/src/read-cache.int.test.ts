import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import {
  ChangeFeed,
  createApiToken,
  insertOAuthTokens,
  markWorkoutDeleted,
  replaceSportSettings,
  revokeApiToken,
  saveOAuthClient,
  saveWorkoutReport,
  storeAthleteSummary,
  upsertWorkout,
  type Db,
} from '@splits/db';
import { createLogger } from '@splits/telemetry';
import { createTestDatabase, type TestDatabase, waitFor } from '@splits/testing';
import { buildApp } from './app.js';
import { createSummaryCache, getSummaryBody } from './services/summary.service.js';
import { getTrainingsJson, TrainingsCache } from './services/trainings.service.js';
import type { TrainingsQuery, TrainingsResponse } from '@splits/contracts';
import { openTestQueues, runRecord, seedAthlete, type SeededAthlete } from './test-harness.js';

/**
 * The gateway's in-memory reads (accepted tokens, GET /summary answers, /trainings pages) with the change feed main.ts
 * gives it: served without a database read while nothing changed, dropped the moment a row under them
 * changes (any writer), and not trusted at all while the feed is down.
 */
const q = openTestQueues('gwcache');
let tdb: TestDatabase;
let feed: ChangeFeed;
let app: FastifyInstance;
let down: ChangeFeed;
let appNoFeed: FastifyInstance;
let a: SeededAthlete;
let b: SeededAthlete;
const log = createLogger('api-gateway', 'silent');
const FEED_APP = 'gw-cache-test';

const get = (target: FastifyInstance, url: string, token: string) => target.inject({ method: 'GET', url, headers: { authorization: `Bearer ${token}` } });

/** Polls until `cond` holds (the shared waitFor, at a short interval). */
const until = (cond: () => boolean | Promise<boolean>, ms = 5_000) => waitFor(cond, { timeoutMs: ms, intervalMs: 10 });

/** A write that sends no change notification (triggers off for this transaction): what only the cache can hide. */
async function silently(db: Db, fn: (trx: Db) => Promise<unknown>): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await sql`set local session_replication_role = replica`.execute(trx);
    await fn(trx as unknown as Db);
  });
}

const summaryDoc = (name: string) => ({ document: { athlete: { name } }, contentHash: `h-${name}`, sizeChars: 40, buildMs: 1, reason: 'test' });
const killFeedConnection = () =>
  sql`select pg_terminate_backend(pid) from pg_stat_activity where application_name = ${FEED_APP} and datname = current_database()`.execute(tdb.db);

beforeAll(async () => {
  tdb = await createTestDatabase('gwcache');
  a = await seedAthlete(tdb.db, 'i5101', [], { name: 'Anna' });
  b = await seedAthlete(tdb.db, 'i5102', [], { name: 'Ben' });
  await storeAthleteSummary(tdb.db, a.athleteId, summaryDoc('Anna v1'));
  await storeAthleteSummary(tdb.db, b.athleteId, summaryDoc('Ben v1'));
  feed = new ChangeFeed(tdb.url, { applicationName: FEED_APP, retryMs: 50 });
  await feed.start();
  app = await buildApp({ db: tdb.db, queues: q.queues, log, publicBaseUrl: 'http://127.0.0.1', changes: feed });
  // A feed that never gets to listen: the gateway must behave exactly as without caches.
  down = new ChangeFeed('postgres://postgres@127.0.0.1:1/none', { retryMs: 60_000 });
  await down.start();
  appNoFeed = await buildApp({ db: tdb.db, queues: q.queues, log, publicBaseUrl: 'http://127.0.0.1', changes: down });
});
afterAll(async () => {
  await app?.close();
  await appNoFeed?.close();
  await feed?.close();
  await down?.close();
  await tdb?.drop();
  await q.close();
});

describe('GET /summary from memory', () => {
  it('serves the stored build without reading it again while nothing changed', async () => {
    expect((await get(app, '/summary', a.token)).json().summary.athlete.name).toBe('Anna v1');
    // Changed behind the feed's back: only a request that skipped the database can still say v1.
    await silently(tdb.db, (trx) => trx.updateTable('athlete_summary').set({ document: JSON.stringify({ athlete: { name: 'hidden' } }) }).where('athlete_id', '=', a.athleteId).execute());
    for (let i = 0; i < 3; i++) expect((await get(app, '/summary', a.token)).json().summary.athlete.name).toBe('Anna v1');
  });

  it('serves a new build as soon as it is stored, and each athlete only their own', async () => {
    await storeAthleteSummary(tdb.db, a.athleteId, summaryDoc('Anna v2'));
    await until(async () => (await get(app, '/summary', a.token)).json().summary.athlete.name === 'Anna v2');
    const answer = (await get(app, '/summary', a.token)).json();
    const stored = await tdb.db.selectFrom('athlete_summary').select(['version', 'built_at']).where('athlete_id', '=', a.athleteId).executeTakeFirstOrThrow();
    expect(answer).toMatchObject({ version: stored.version, builtAt: stored.built_at.toISOString(), unchanged: false });
    expect((await get(app, '/summary', b.token)).json().summary.athlete.name).toBe('Ben v1');
    // "unchanged" for the version held, from the same entry.
    expect((await get(app, `/summary?version=${stored.version}`, a.token)).json()).toMatchObject({ version: stored.version, unchanged: true, summary: null });
    expect((await get(app, '/summary?part=2', a.token)).statusCode).toBe(400);
  });

  it('trusts nothing it cached once the feed loses its connection', async () => {
    await get(app, '/summary', b.token);
    await silently(tdb.db, (trx) =>
      trx.updateTable('athlete_summary').set({ document: JSON.stringify({ athlete: { name: 'Ben v2' } }), version: 7, built_at: new Date() }).where('athlete_id', '=', b.athleteId).execute(),
    );
    expect((await get(app, '/summary', b.token)).json().summary.athlete.name).toBe('Ben v1'); // still cached
    await killFeedConnection();
    await until(() => !feed.live);
    expect((await get(app, '/summary', b.token)).json()).toMatchObject({ version: 7, summary: { athlete: { name: 'Ben v2' } } });
    await until(() => feed.live);
  });

  it('without a live feed, checks version and builtAt on every request', async () => {
    expect((await get(appNoFeed, '/summary', b.token)).json().version).toBe(7);
    await silently(tdb.db, (trx) =>
      trx.updateTable('athlete_summary').set({ document: JSON.stringify({ athlete: { name: 'Ben v3' } }), version: 8, built_at: new Date() }).where('athlete_id', '=', b.athleteId).execute(),
    );
    expect((await get(appNoFeed, '/summary', b.token)).json()).toMatchObject({ version: 8, summary: { athlete: { name: 'Ben v3' } } });
  });
});

describe('summary answers reloaded when a rebuild is heard', () => {
  it('reloads the parts in use before anyone asks, and leaves athletes nobody read alone', async () => {
    const cache = createSummaryCache(feed, { db: tdb.db, log });
    const deps = { db: tdb.db, queues: q.queues, log, cache };
    const g = feed.generation;
    await storeAthleteSummary(tdb.db, a.athleteId, summaryDoc('Anna r1'));
    await until(() => feed.generation > g); // its notification is in: what is read from here on stays
    const cachedName = () => {
      const body = cache.get(a.athleteId)?.bodies.get(1);
      return body ? (JSON.parse(body.toString()) as { summary: { athlete: { name: string } } }).summary.athlete.name : null;
    };
    await until(async () => (await getSummaryBody(deps, a.athleteId, { part: 1 }), cachedName() === 'Anna r1'));
    const seen = cache.get(a.athleteId)!;
    await storeAthleteSummary(tdb.db, a.athleteId, summaryDoc('Anna r2'));
    await storeAthleteSummary(tdb.db, b.athleteId, summaryDoc('Ben r2'));
    await until(() => cachedName() === 'Anna r2');
    expect(cache.get(a.athleteId)).not.toBe(seen);
    const reloaded = cache.get(a.athleteId)!;
    const stored = await tdb.db.selectFrom('athlete_summary').select(['version', 'built_at']).where('athlete_id', '=', a.athleteId).executeTakeFirstOrThrow();
    expect(reloaded).toMatchObject({ version: stored.version, builtAt: stored.built_at, parts: 1 });
    expect(JSON.parse(reloaded.bodies.get(1)!.toString()).summary.athlete.name).toBe('Anna r2');
    expect(cache.get(b.athleteId)).toBeUndefined(); // never read here: not loaded
    // The next read is that entry, with no database read (a silent change cannot show).
    await silently(tdb.db, (trx) => trx.updateTable('athlete_summary').set({ document: JSON.stringify({ athlete: { name: 'hidden' } }) }).where('athlete_id', '=', a.athleteId).execute());
    expect(JSON.parse((await getSummaryBody(deps, a.athleteId, { part: 1 })).toString()).summary.athlete.name).toBe('Anna r2');
    await storeAthleteSummary(tdb.db, a.athleteId, summaryDoc('Anna r3')); // leave a real build behind
  });
});

describe('bearer tokens from memory', () => {
  it('accepts a cached token without a read, and refuses it once its revocation is heard', async () => {
    const extra = await createApiToken(tdb.db, a.athleteId, 'extra');
    expect((await get(app, '/me', extra.token)).statusCode).toBe(200);
    // Revoked behind the feed's back: still accepted, so the cache answered.
    await silently(tdb.db, (trx) => trx.updateTable('api_token').set({ revoked_at: new Date() }).where('id', '=', extra.id).execute());
    expect((await get(app, '/me', extra.token)).statusCode).toBe(200);
    // The feed's loss drops every cached token: the silent revocation now counts.
    await killFeedConnection();
    await until(() => !feed.live);
    expect((await get(app, '/me', extra.token)).statusCode).toBe(401);
    await until(() => feed.live);

    const other = await createApiToken(tdb.db, a.athleteId, 'other');
    expect((await get(app, '/me', other.token)).statusCode).toBe(200);
    expect(await revokeApiToken(tdb.db, a.athleteId, other.id)).toBe(true);
    await until(async () => (await get(app, '/me', other.token)).statusCode === 401, 2_000);
  });

  it('refuses a cached OAuth access token once it expires', async () => {
    await saveOAuthClient(tdb.db, { clientId: 'gwc1', secretEnc: null, info: { client_name: 'test', redirect_uris: ['http://127.0.0.1/cb'] } });
    const expiresAt = new Date(Math.ceil((Date.now() + 2_000) / 1000) * 1000);
    await insertOAuthTokens(tdb.db, [
      { token: 'spa_cachetest', kind: 'access', family: 'gwf1', athleteId: b.athleteId, clientId: 'gwc1', resource: 'http://127.0.0.1', scopes: '', expiresAt },
    ]);
    expect((await get(app, '/me', 'spa_cachetest')).statusCode).toBe(200);
    await new Promise((r) => setTimeout(r, expiresAt.getTime() - Date.now() + 50));
    expect((await get(app, '/me', 'spa_cachetest')).statusCode).toBe(401);
  });

  it('refuses an unknown token, and each athlete\'s token reads only their own cached summary', async () => {
    expect((await get(app, '/me', 'spl_unknown')).statusCode).toBe(401);
    expect((await get(app, '/summary', a.token)).json().summary.athlete.name).toMatch(/^Anna/);
    expect((await get(app, '/summary', b.token)).json().summary.athlete.name).toMatch(/^Ben/);
  });
});

describe('GET /trainings from memory: whole pages, and each record validated once per change', () => {
  const names = async (url: string) => ((await get(app, url, a.token)).json() as { trainings: { activityName: string; userReport?: string | null }[] }).trainings;

  it('serves a record from memory until the record changes, by any writer', async () => {
    const first = await upsertWorkout(tdb.db, a.athleteId, runRecord('a5101', '2026-06-01', { name: 'Tempo', intervals: 3 }));
    await upsertWorkout(tdb.db, a.athleteId, runRecord('a5102', '2026-06-02', { name: 'Easy' }));
    expect((await names('/trainings?full=1')).map((r) => r.activityName)).toEqual(['Easy', 'Tempo']);
    // Changed with its triggers off (record_rev stays): only a cached record can still say Tempo.
    await silently(tdb.db, (trx) => sql`update workout set record = record || '{"activityName":"hidden"}'::jsonb where id = ${first.id}`.execute(trx));
    expect((await names('/trainings?full=1')).map((r) => r.activityName)).toEqual(['Easy', 'Tempo']);
    // Any real change moves record_rev: a report written, then a re-fetch.
    // The page follows within a notification's delivery.
    await tdb.db.transaction().execute((trx) => saveWorkoutReport(trx, { workoutId: first.id, text: 'legs heavy', source: 'telegram', sourceRef: 'c1' }));
    await until(async () => (await names('/trainings?full=1'))[1]?.userReport === 'legs heavy');
    expect((await names('/trainings?full=1'))[1]).toMatchObject({ activityName: 'hidden', userReport: 'legs heavy' });
    await upsertWorkout(tdb.db, a.athleteId, runRecord('a5101', '2026-06-01', { name: 'Tempo 2', intervals: 3 }));
    await until(async () => (await names('/trainings?full=1'))[1]?.activityName === 'Tempo 2');
    expect((await names('/trainings?full=1'))[1]).toMatchObject({ activityName: 'Tempo 2', userReport: 'legs heavy' });
  });

  it('keeps with and without intervals apart, and leaves out a workout deleted meanwhile', async () => {
    const full = (await get(app, '/trainings?full=1', a.token)).json() as { trainings: { intervals?: { rows: unknown[] } }[] };
    const lean = (await get(app, '/trainings', a.token)).json() as { trainings: { intervals?: unknown }[]; count: number; hasMore: boolean; nextOffset: number | null };
    expect(full.trainings[1]!.intervals!.rows).toHaveLength(3);
    expect(lean.trainings.every((r) => r.intervals === undefined)).toBe(true);
    expect(lean).toMatchObject({ count: 2, hasMore: false, nextOffset: null });
    const paged = (await get(app, '/trainings?limit=1', a.token)).json();
    expect(paged).toMatchObject({ count: 1, hasMore: true, nextOffset: 1 });
    await markWorkoutDeleted(tdb.db, a.athleteId, 'a5102');
    await until(async () => (await names('/trainings')).length === 1);
    expect((await names('/trainings')).map((r) => r.activityName)).toEqual(['Tempo 2']);
    expect((await get(app, '/trainings?limit=1', a.token)).json()).toMatchObject({ count: 1, hasMore: false, nextOffset: null });
  });

  it('never serves one athlete\'s cached record to another', async () => {
    await upsertWorkout(tdb.db, b.athleteId, runRecord('b5101', '2026-06-01', { name: 'Ben run' }));
    // The same query, another athlete: each has their own page.
    await get(app, '/trainings', a.token);
    const ben = (await get(app, '/trainings', b.token)).json() as { trainings: { activityName: string }[] };
    expect(ben.trainings.map((r) => r.activityName)).toEqual(['Ben run']);
    expect((await names('/trainings')).map((r) => r.activityName)).toEqual(['Tempo 2']);
  });

  it('serves the whole page from memory until the athlete\'s workouts or settings change; without a live feed, reads every time', async () => {
    const page = async (target = app) => (await get(target, '/trainings?full=1&oldest=2026-01-01', a.token)).json() as { athlete: { sports: { thresholdPace?: string }[] }; trainings: { activityName: string }[] };
    expect((await page()).trainings.map((r) => r.activityName)).toEqual(['Tempo 2']);
    // Changed behind the feed's back *and* record_rev moved: the record cache would miss; only a kept page still says Tempo 2.
    await silently(tdb.db, (trx) => sql`update workout set record = record || '{"activityName":"silent"}'::jsonb, record_rev = record_rev + 1 where athlete_id = ${a.athleteId} and deleted_at is null`.execute(trx));
    for (let i = 0; i < 3; i++) expect((await page()).trainings[0]!.activityName).toBe('Tempo 2');
    // Without a live feed nothing is kept: the change shows at once.
    expect((await page(appNoFeed)).trainings[0]!.activityName).toBe('silent');
    // A sport's settings are part of the page (the athlete context): a change drops the athlete's pages.
    await replaceSportSettings(tdb.db, a.athleteId, [{ id: 1, types: ['Run'], threshold_pace: 1000 / 250, lthr: 170 }]);
    await until(async () => (await page()).athlete.sports[0]?.thresholdPace === '4:10/km');
    expect((await page()).trainings[0]!.activityName).toBe('silent');
    // A lost feed connection drops every kept page.
    await silently(tdb.db, (trx) => sql`update workout set record = record || '{"activityName":"after reset"}'::jsonb, record_rev = record_rev + 1 where athlete_id = ${a.athleteId} and deleted_at is null`.execute(trx));
    expect((await page()).trainings[0]!.activityName).toBe('silent');
    await killFeedConnection();
    await until(async () => (await page()).trainings[0]!.activityName === 'after reset');
    await until(() => feed.live);
  });

  it('keeps a page per budget and per resolved window: the MCP budget never gets the REST page, and "-7d" moves with the day', async () => {
    const c = await seedAthlete(tdb.db, 'i5103', ['2026-06-01', '2026-06-03', '2026-06-05', '2026-06-07', '2026-06-09', '2026-06-11'], { intervals: 15 });
    const cache = new TrainingsCache(feed);
    const page = async (q: Partial<TrainingsQuery>, o: { budget?: number; now?: Date } = {}) =>
      JSON.parse((await getTrainingsJson(tdb.db, c.athleteId, { limit: 30, offset: 0, full: true, ...q }, { cache, ...o })).toString()) as TrainingsResponse;
    const whole = await page({});
    expect(whole).toMatchObject({ count: 6, hasMore: false });
    const tight = await page({}, { budget: JSON.stringify(whole).length - 500 });
    expect(tight).toMatchObject({ count: 5, hasMore: true, nextOffset: 5, note: expect.stringContaining('5 of 6 workouts') });
    // Asked again, each from its own entry.
    expect(await page({})).toEqual(whole);
    expect(await page({}, { budget: JSON.stringify(whole).length - 500 })).toEqual(tight);
    // A relative window is resolved before the page is looked up: a day later it is another page.
    const june8 = await page({ oldest: '-7d', newest: 'today' }, { now: new Date('2026-06-08T10:00:00Z') });
    const june12 = await page({ oldest: '-7d', newest: 'today' }, { now: new Date('2026-06-12T10:00:00Z') });
    expect([june8.window.oldest, june8.count]).toEqual(['2026-06-01', 4]);
    expect([june12.window.oldest, june12.count]).toEqual(['2026-06-05', 4]);
  });

  it('counts the budget in characters, not bytes: Cyrillic names take two bytes a letter', async () => {
    const d = await seedAthlete(tdb.db, 'i5104', []);
    for (const [i, date] of ['2026-06-01', '2026-06-02', '2026-06-03'].entries()) {
      await upsertWorkout(tdb.db, d.athleteId, runRecord(`d510${i}`, date, { name: `Пороговая тренировка ${'и'.repeat(300)}`, intervals: 5 }));
    }
    const cache = new TrainingsCache(feed);
    const body = async (budget?: number) => getTrainingsJson(tdb.db, d.athleteId, { limit: 30, offset: 0, full: true }, { cache, budget });
    const whole = await body();
    const chars = whole.toString().length;
    expect(whole.length).toBeGreaterThan(chars + 900); // bytes
    // Just enough characters: the whole page, though its bytes are far more.
    expect(JSON.parse((await body(chars + 1)).toString())).toMatchObject({ count: 3, hasMore: false });
    // One character short: trimmed to the workouts that fit, and what is sent is valid JSON of at most the budget.
    const trimmed = (await body(chars)).toString();
    expect(JSON.parse(trimmed)).toMatchObject({ count: 2, hasMore: true, nextOffset: 2 });
    expect(trimmed.length).toBeLessThan(chars);
  });
});
