import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import type { FastifyInstance } from 'fastify';
import { pino } from 'pino';
import { createLogger } from '@splits/telemetry';
import { createHash } from 'node:crypto';
import { consumeLoginCode, getIntervalsCredential, parseKeyring } from '@splits/db';
import { createIntervalsClient, deriveStateKey, signState } from '@splits/intervals';
import { createQueues, createRedis, relayOutbox, type Queues } from '@splits/queue';
import {
  closedQueues,
  createTestDatabase,
  dropQueuePrefix,
  generateAthlete,
  startFakeIntervals,
  TEST_ENCRYPTION_KEY,
  TEST_REDIS_URL,
  testQueuePrefix,
  type FakeAthlete,
  type FakeIntervals,
  type TestDatabase,
} from '@splits/testing';
import type { Redis } from 'ioredis';
import { buildApp } from '../app.js';
import type { ConnectDeps } from '../services/connect.service.js';
import { PAGE_SECURITY_HEADERS, pageSecurityHeaders } from '../test-harness.js';

const PUBLIC = 'https://splits.example.com';
const CLIENT_SECRET = 'app-secret-do-not-log';
let tdb: TestDatabase;
let fake: FakeIntervals;
let app: FastifyInstance;
let bare: FastifyInstance;
let redis: Redis;
let queues: Queues;
let deps: ConnectDeps;
let anna: FakeAthlete;
let ben: FakeAthlete;
let cara: FakeAthlete;
const prefix = testQueuePrefix('gwconnect');
const logLines: string[] = [];
const keys = parseKeyring(TEST_ENCRYPTION_KEY);

beforeAll(async () => {
  tdb = await createTestDatabase('gwconnect');
  fake = await startFakeIntervals({ oauth: { clientId: '31337', clientSecret: CLIENT_SECRET } });
  anna = generateAthlete({ seed: 41, weeks: 2 });
  ben = generateAthlete({ seed: 42, weeks: 2 });
  fake.addAthlete(anna, { apiKey: 'anna-key' });
  fake.addAthlete(ben, { apiKey: 'ben-key' });
  cara = generateAthlete({ seed: 43, weeks: 2 });
  fake.addAthlete(cara, { apiKey: 'cara-key' });
  redis = createRedis(TEST_REDIS_URL);
  queues = createQueues(redis, prefix);
  const log = pino({ level: 'debug' }, { write: (line: string) => void logLines.push(line) });
  deps = {
    db: tdb.db,
    queues,
    log,
    keys,
    stateKey: deriveStateKey(Buffer.from(TEST_ENCRYPTION_KEY, 'base64')),
    intervalsBaseUrl: fake.url,
    clientId: '31337',
    clientSecret: CLIENT_SECRET,
    redirectUri: `${PUBLIC}/connect/intervals/callback`,
    backfillWeeks: 26,
  };
  app = await buildApp({ db: tdb.db, queues, log, publicBaseUrl: PUBLIC, connect: deps });
  bare = await buildApp({ db: tdb.db, queues, log: createLogger('api-gateway', 'silent'), publicBaseUrl: PUBLIC });
});

afterAll(async () => {
  await app?.close();
  await bare?.close();
  await queues?.close();
  redis?.disconnect();
  await dropQueuePrefix(TEST_REDIS_URL, prefix);
  await fake?.close();
  await tdb?.drop();
});

beforeEach(() => fake.oauth.setConsent({}));

/** The browser's trip: Splits → Intervals.icu consent (auto-approved by the fake) → back to Splits' callback URL. */
async function toCallback(start = '/connect/intervals', gateway = app): Promise<string> {
  const res = await gateway.inject({ method: 'GET', url: start });
  expect(res.statusCode).toBe(302);
  const authorize = new URL(res.headers.location as string);
  expect(authorize.origin + authorize.pathname).toBe(`${fake.url}/oauth/authorize`);
  const back = await fetch(authorize, { redirect: 'manual' });
  expect(back.status).toBe(302);
  const callback = new URL(back.headers.get('location')!);
  expect(callback.origin + callback.pathname).toBe(`${PUBLIC}/connect/intervals/callback`);
  return callback.pathname + callback.search;
}

const html = { accept: 'text/html,application/xhtml+xml' };
const daysAgo = (d: number) => new Date(Date.now() - d * 86_400_000).toISOString().slice(0, 10);

describe('GET /connect/intervals', () => {
  it('redirects to the authorize URL with the app, the callback, the scopes and a signed state', async () => {
    const res = await app.inject({ method: 'GET', url: '/connect/intervals' });
    expect(res.statusCode).toBe(302);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(pageSecurityHeaders(res.headers)).toEqual(PAGE_SECURITY_HEADERS);
    const q = new URL(res.headers.location as string).searchParams;
    expect(q.get('client_id')).toBe('31337');
    expect(q.get('redirect_uri')).toBe(`${PUBLIC}/connect/intervals/callback`);
    expect(q.get('scope')).toBe('ACTIVITY:WRITE,WELLNESS:READ,CALENDAR:WRITE,SETTINGS:READ');
    expect(q.get('state')).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$/);
    expect(res.headers.location).not.toContain(CLIENT_SECRET);
  });

  it('answers 501 JSON on both routes when no OAuth app is configured', async () => {
    for (const url of ['/connect/intervals', '/connect/intervals/callback?code=x&state=y']) {
      const res = await bare.inject({ method: 'GET', url });
      expect(res.statusCode).toBe(501);
      expect(res.json()).toEqual({ error: { code: 'not_configured', message: expect.stringContaining('INTERVALS_CLIENT_ID') } });
    }
  });
});

describe('the OAuth connect flow end to end against the fake Intervals.icu', () => {
  it('creates the athlete with an encrypted OAuth connection, queues the backfill and says so', async () => {
    const res = await app.inject({ method: 'GET', url: await toCallback(), headers: html });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(pageSecurityHeaders(res.headers)).toEqual(PAGE_SECURITY_HEADERS);
    expect(res.body).toContain('is connected to Splits');
    expect(res.body).toContain(anna.athleteId);

    const conn = await tdb.db.selectFrom('intervals_connection').selectAll().where('intervals_athlete_id', '=', anna.athleteId).executeTakeFirstOrThrow();
    expect(conn).toMatchObject({ auth_kind: 'oauth', status: 'active', status_reason: null, scopes: 'ACTIVITY:WRITE,WELLNESS:READ,CALENDAR:WRITE,SETTINGS:READ', key_id: keys.current.kid });
    const athlete = await tdb.db.selectFrom('athlete').selectAll().where('id', '=', conn.athlete_id).executeTakeFirstOrThrow();
    expect(athlete.name).toBe(anna.profile.name);

    // The stored token is the one the fake issued: it opens the athlete's data, and nowhere is it plaintext.
    const cred = await getIntervalsCredential(tdb.db, keys, conn.athlete_id);
    expect(cred).toMatchObject({ authKind: 'oauth', intervalsAthleteId: anna.athleteId });
    expect(cred!.secret).toMatch(/^fake-oauth-/);
    const client = createIntervalsClient({ baseUrl: fake.url, auth: { kind: 'oauth', secret: cred!.secret }, maxAttempts: 1 });
    expect((await client.listActivities('0', { oldest: daysAgo(20) })).length).toBeGreaterThan(0);
    expect(JSON.stringify(conn)).not.toContain(cred!.secret);
    expect(JSON.stringify(athlete)).not.toContain(cred!.secret);
    expect(conn.credential_enc).toMatch(/^v2\./);

    const job = await queues['backfill-athlete'].getJob(`bf-${conn.athlete_id}`);
    expect(job?.data).toEqual({ athleteId: conn.athlete_id, oldest: daysAgo(26 * 7) });
    expect(JSON.stringify(job?.data)).not.toContain(cred!.secret);

    const logged = logLines.join('');
    expect(logged).toContain('athlete connected through OAuth');
    expect(logged).not.toContain(cred!.secret);
    expect(logged).not.toContain(CLIENT_SECRET);
  });

  it('updates the same athlete on a second connect, replacing the token', async () => {
    const before = await tdb.db.selectFrom('intervals_connection').select(['athlete_id', 'credential_enc']).where('intervals_athlete_id', '=', anna.athleteId).executeTakeFirstOrThrow();
    const oldToken = (await getIntervalsCredential(tdb.db, keys, before.athlete_id))!.secret;
    await tdb.db.updateTable('intervals_connection').set({ status: 'revoked', status_reason: 'deauthorized' }).where('athlete_id', '=', before.athlete_id).execute();

    const res = await app.inject({ method: 'GET', url: await toCallback() });
    expect(res.statusCode).toBe(200);
    const rows = await tdb.db.selectFrom('intervals_connection').selectAll().where('intervals_athlete_id', '=', anna.athleteId).execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ athlete_id: before.athlete_id, status: 'active', status_reason: null });
    const newToken = (await getIntervalsCredential(tdb.db, keys, before.athlete_id))!.secret;
    expect(newToken).not.toBe(oldToken);
    const stale = createIntervalsClient({ baseUrl: fake.url, auth: { kind: 'oauth', secret: oldToken }, maxAttempts: 1 });
    await expect(stale.listActivities('0', { oldest: daysAgo(5) })).rejects.toMatchObject({ status: 401 });
  });

  it('links the Telegram chat carried by a signed connect context', async () => {
    fake.oauth.setConsent({ athleteId: ben.athleteId });
    const ctx = signState(deps.stateKey, { purpose: 'connect-context', ttlMs: 60_000, ctx: { telegramChatId: '-100777' } });
    const res = await app.inject({ method: 'GET', url: await toCallback(`/connect/intervals?ctx=${ctx}`) });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('Telegram');
    const row = await tdb.db
      .selectFrom('intervals_connection as c')
      .innerJoin('telegram_link as t', 't.athlete_id', 'c.athlete_id')
      .select('t.chat_id')
      .where('c.intervals_athlete_id', '=', ben.athleteId)
      .executeTakeFirst();
    expect(row?.chat_id).toBe('-100777');
  });

  it('connects while Redis refuses the backfill: the import is staged with the connection and the outbox relay queues it', async () => {
    const closed = await closedQueues();
    const offline = await buildApp({ db: tdb.db, queues: closed, log: deps.log, publicBaseUrl: PUBLIC, connect: { ...deps, queues: closed } });
    try {
      fake.oauth.setConsent({ athleteId: cara.athleteId });
      const res = await offline.inject({ method: 'GET', url: await toCallback(), headers: html });
      expect(res.statusCode).toBe(200);
      expect(res.body).toContain('is connected to Splits');
    } finally {
      await offline.close();
      await closed.close();
    }
    const conn = await tdb.db.selectFrom('intervals_connection').select('athlete_id').where('intervals_athlete_id', '=', cara.athleteId).executeTakeFirstOrThrow();
    const staged = await tdb.db.selectFrom('job_outbox').select(['queue', 'payload']).where('athlete_id', '=', conn.athlete_id).execute();
    expect(staged).toEqual([{ queue: 'backfill-athlete', payload: { athleteId: conn.athlete_id, oldest: daysAgo(26 * 7) } }]);
    // A worker's outbox relay, once Redis answers.
    expect(await relayOutbox({ db: tdb.db, queues, log: deps.log, minAgeMs: 0 })).toBe(1);
    expect((await queues['backfill-athlete'].getJob(`bf-${conn.athlete_id}`))?.data).toEqual({ athleteId: conn.athlete_id, oldest: daysAgo(26 * 7) });
  });

  it('refuses a connect context that is not signed by Splits', async () => {
    const forged = Buffer.from(JSON.stringify({ p: 'connect-context', n: 'x', exp: Date.now() + 60_000, ctx: { telegramChatId: '1' } })).toString('base64url');
    const res = await app.inject({ method: 'GET', url: `/connect/intervals?ctx=${forged}.AAAA` });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('bad_state');
  });
});

describe('sign-in to the web pages through the connect', () => {
  const WEB = 'https://web.example.com';
  const binding = createHash('sha256').update('the nonce in that browser').digest('base64url');
  let webApp: FastifyInstance;
  beforeAll(async () => {
    webApp = await buildApp({ db: tdb.db, queues, log: createLogger('api-gateway', 'silent'), publicBaseUrl: PUBLIC, connect: { ...deps, webPublicUrl: WEB } });
  });
  afterAll(async () => {
    await webApp?.close();
  });

  it('connects the athlete and sends the browser back to the web pages with a one-time code and the binding it started with', async () => {
    fake.oauth.setConsent({ athleteId: cara.athleteId });
    const res = await webApp.inject({ method: 'GET', url: await toCallback(`/connect/intervals?web=${binding}`, webApp), headers: html });
    expect(res.statusCode).toBe(303);
    expect(res.headers['cache-control']).toBe('no-store');
    const back = new URL(res.headers.location as string);
    expect(back.origin + back.pathname).toBe(`${WEB}/signin/intervals/done`);
    expect(back.searchParams.get('binding')).toBe(binding);
    const conn = await tdb.db.selectFrom('intervals_connection').select('athlete_id').where('intervals_athlete_id', '=', cara.athleteId).executeTakeFirstOrThrow();
    // The code signs in that athlete, once.
    expect(await consumeLoginCode(tdb.db, back.searchParams.get('code')!)).toBe(conn.athlete_id);
    expect(await consumeLoginCode(tdb.db, back.searchParams.get('code')!)).toBeNull();
  });

  it('is refused where the gateway does not know the web pages, and with a context besides', async () => {
    const res = await app.inject({ method: 'GET', url: `/connect/intervals?web=${binding}` });
    expect([res.statusCode, res.json().error.code]).toEqual([501, 'not_configured']);
    expect(res.json().error.message).toContain('WEB_PUBLIC_URL');
    const ctx = signState(deps.stateKey, { purpose: 'connect-context', ttlMs: 60_000, ctx: { telegramChatId: '42' } });
    expect((await webApp.inject({ method: 'GET', url: `/connect/intervals?web=${binding}&ctx=${encodeURIComponent(ctx)}` })).statusCode).toBe(400);
    expect((await webApp.inject({ method: 'GET', url: '/connect/intervals?web=short' })).statusCode).toBe(400);
  });
});

describe('callback failures', () => {
  const athletes = () => tdb.db.selectFrom('athlete').select('id').execute();

  it('rejects a tampered state with 400 JSON and does not spend the code', async () => {
    const url = new URL(await toCallback(), PUBLIC);
    const state = url.searchParams.get('state')!;
    url.searchParams.set('state', `${state.slice(0, 5)}${state[5] === 'A' ? 'B' : 'A'}${state.slice(6)}`);
    const n = (await athletes()).length;
    const exchanges = () => fake.requests.filter((r) => r.path === '/api/oauth/token').length;
    const before = exchanges();
    const res = await app.inject({ method: 'GET', url: url.pathname + url.search });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({ error: { code: 'bad_state', message: expect.any(String) } });
    expect((await athletes()).length).toBe(n);
    expect(exchanges()).toBe(before);
  });

  it('rejects an expired or missing state with 400', async () => {
    const expired = signState(deps.stateKey, { purpose: 'oauth-state', ttlMs: 1_000, now: Date.now() - 60_000 });
    const res = await app.inject({ method: 'GET', url: `/connect/intervals/callback?code=abc&state=${expired}` });
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toEqual({ code: 'bad_state', message: expect.stringContaining('expired') });
    expect((await app.inject({ method: 'GET', url: '/connect/intervals/callback?code=abc' })).statusCode).toBe(400);
  });

  it('answers a clear 4xx when the code has expired or was already used', async () => {
    const path = await toCallback();
    fake.oauth.expireCodes();
    const res = await app.inject({ method: 'GET', url: path });
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toEqual({ code: 'code_rejected', message: expect.stringContaining('two minutes') });

    const used = await toCallback();
    expect((await app.inject({ method: 'GET', url: used })).statusCode).toBe(200);
    const again = await app.inject({ method: 'GET', url: used, headers: html });
    expect(again.statusCode).toBe(400);
    expect(again.headers['content-type']).toMatch(/^text\/html/);
    expect(again.body).toContain('Not connected');
    expect(again.body).toContain('two minutes');
  });

  it('shows a 403 page when the athlete declines, and connects nothing', async () => {
    fake.oauth.setConsent({ decline: true });
    const n = (await athletes()).length;
    const path = await toCallback();
    expect(new URL(path, PUBLIC).searchParams.get('error')).toBe('access_denied');
    const res = await app.inject({ method: 'GET', url: path, headers: html });
    expect(res.statusCode).toBe(403);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(pageSecurityHeaders(res.headers)).toEqual(PAGE_SECURITY_HEADERS);
    expect(res.body).toContain('You declined access on Intervals.icu');
    expect((await app.inject({ method: 'GET', url: path })).json().error.code).toBe('access_denied');
    expect((await athletes()).length).toBe(n);
  });

  it('answers 502 (not 500) when Intervals.icu fails the exchange', async () => {
    const path = await toCallback();
    fake.failNext('/api/oauth/token', 503);
    const res = await app.inject({ method: 'GET', url: path });
    expect(res.statusCode).toBe(502);
    expect(res.json().error.code).toBe('upstream_unavailable');
  });
});
