import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { FastifyInstance } from 'fastify';
import { createApiToken, createAthlete, findAthleteIdByToken, getAthleteProfile, listWorkoutReports, storeAthleteSummary, upsertActivitySource, upsertWorkout } from '@splits/db';
import { createQueues, createRedis } from '@splits/queue';
import { createLogger } from '@splits/telemetry';
import { createTestDatabase, dropQueuePrefix, runRecord, TEST_ENCRYPTION_KEY, TEST_REDIS_URL, testQueuePrefix, type TestDatabase } from '@splits/testing';
import { buildApp } from './app.js';
import { PageClient } from './test-harness.js';
import { bindingOf } from './session.js';
import { createHash } from 'node:crypto';

const redis = createRedis(TEST_REDIS_URL);
const prefix = testQueuePrefix('web');
const queues = createQueues(redis, prefix);
let tdb: TestDatabase;
let app: FastifyInstance;
const ids = { anna: '', ben: '' };
const workouts = { anna: '', ben: '' };

async function seed(intervalsId: string, name: string): Promise<{ athleteId: string; workoutId: string }> {
  const { id: athleteId } = await createAthlete(tdb.db, Buffer.from(TEST_ENCRYPTION_KEY, 'base64'), { name, timezone: 'Europe/Berlin', intervalsAthleteId: intervalsId, authKind: 'api_key', credential: 'k' });
  const rec = runRecord(`${intervalsId}0001`, '2026-03-02', { intervals: 5, name: `${name}'s threshold run` });
  const { id: workoutId } = await upsertWorkout(tdb.db, athleteId, rec);
  const t = Array.from({ length: 3000 }, (_, i) => i);
  await upsertActivitySource(tdb.db, {
    athleteId,
    intervalsActivityId: rec.intervalsActivityId,
    activity: { id: rec.intervalsActivityId },
    intervals: { icu_intervals: rec.intervals!.map((_, i) => ({ start_time: i * 600, end_time: (i + 1) * 600 })) },
    streams: [{ type: 'time', data: t }, { type: 'velocity_smooth', data: t.map(() => 3.3) }, { type: 'heartrate', data: t.map((i) => 130 + (i % 20)) }],
    wellness: null,
  });
  return { athleteId, workoutId };
}

beforeAll(async () => {
  tdb = await createTestDatabase('web');
  ({ athleteId: ids.anna, workoutId: workouts.anna } = await seed('i5101', 'Anna'));
  ({ athleteId: ids.ben, workoutId: workouts.ben } = await seed('i5202', 'Ben'));
  await storeAthleteSummary(tdb.db, ids.anna, {
    document: { condition: { fitness: 51.2, fatigue: 60.4, form: -9.2, flags: [{ code: 'ramp_rate_steep', message: 'Fitness is rising fast.' }] }, running: { threshold: { pace: '4:05/km', settingsPace: '4:30/km', staleSettings: true } } },
    contentHash: 'a',
    sizeChars: 10,
    buildMs: 1,
    reason: 'test',
  });
  app = await buildApp({ db: tdb.db, queues, log: createLogger('web', 'silent'), webPublicUrl: 'http://web.test', gatewayUrl: 'http://gw.test' });
});
afterAll(async () => {
  await app?.close();
  await tdb?.drop();
  await queues.close();
  await redis.quit();
  await dropQueuePrefix(TEST_REDIS_URL, prefix);
});

describe('sign-in', () => {
  it('sends a browser without a session to the sign-in page', async () => {
    const res = await new PageClient(app).get('/history');
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/signin');
  });

  it('signs in with a one-time code once, and sets a 30-day HttpOnly SameSite=Lax cookie', async () => {
    const c = new PageClient(app);
    const { createLoginCode } = await import('@splits/db');
    const { code } = await createLoginCode(tdb.db, ids.anna, 60_000);
    await c.get('/signin');
    expect((await c.post('/signin', { code }, { csrf: 'forged' })).statusCode).toBe(403);
    expect((await c.post('/signin', { code: 'AAAAA-BBBBB' })).statusCode).toBe(400);
    const ok = await c.post('/signin', { code: code.toLowerCase() });
    expect(ok.statusCode).toBe(303);
    const cookie = ([] as string[]).concat(ok.headers['set-cookie'] as string[]).find((s) => s.startsWith('splits-session='))!;
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
    expect(cookie).toMatch(/Max-Age=2592000/);
    expect((await c.get('/')).statusCode).toBe(200);
    // The code is spent.
    const other = new PageClient(app);
    await other.get('/signin');
    expect((await other.post('/signin', { code })).statusCode).toBe(400);
  });

  it('rotates the session on sign-in and ends it on sign-out', async () => {
    const c = new PageClient(app);
    await c.signIn(tdb.db, ids.anna);
    const first = c.cookies.get('splits-session')!;
    await c.signIn(tdb.db, ids.anna);
    expect(c.cookies.get('splits-session')).not.toBe(first);
    const stale = new PageClient(app);
    stale.cookies.set('splits-session', first);
    expect((await stale.get('/')).statusCode).toBe(303);
    await c.get('/');
    expect((await c.post('/signout')).headers.location).toBe('/signin');
    expect((await c.get('/')).statusCode).toBe(303);
  });

  it('refuses form posts from another origin', async () => {
    const c = new PageClient(app);
    await c.signIn(tdb.db, ids.anna);
    const res = await c.post('/goals', { about: 'x' }, { headers: { origin: 'http://evil.test' } });
    expect(res.statusCode).toBe(403);
  });
});

describe('sign-in with Intervals.icu (the gateway\'s connect does the OAuth; test/web.browser.e2e runs the whole round trip)', () => {
  let withIntervals: FastifyInstance;
  beforeAll(async () => {
    withIntervals = await buildApp({ db: tdb.db, queues, log: createLogger('web', 'silent'), webPublicUrl: 'http://web.test', gatewayUrl: 'http://gw.test/', intervalsSignIn: true });
  });
  afterAll(async () => {
    await withIntervals?.close();
  });
  /** What the gateway sends back after connecting: a one-time code and the binding it carried. */
  const returned = async (binding: string) => {
    const { createLoginCode } = await import('@splits/db');
    const { code } = await createLoginCode(tdb.db, ids.anna, 60_000);
    return { code, url: `/signin/intervals/done?code=${code}&binding=${encodeURIComponent(binding)}` };
  };

  it('is offered only where the deployment has an Intervals.icu OAuth app', async () => {
    expect((await new PageClient(app).get('/signin')).body).not.toContain('href="/signin/intervals"');
    expect((await new PageClient(app).get('/signin/intervals')).statusCode).toBe(404);
    expect((await new PageClient(withIntervals).get('/signin')).body).toContain('href="/signin/intervals"');
  });

  it('goes to the gateway\'s connect with the hash of a nonce this browser keeps, and signs in only that browser', async () => {
    const mine = new PageClient(withIntervals);
    const start = await mine.get('/signin/intervals');
    expect(start.statusCode).toBe(303);
    const to = new URL(start.headers.location as string);
    expect(`${to.origin}${to.pathname}`).toBe('http://gw.test/connect/intervals');
    const binding = to.searchParams.get('web')!;
    const nonce = mine.cookies.get('splits-iv')!;
    expect(nonce).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(binding).toBe(createHash('sha256').update(nonce).digest('base64url'));
    const set = ([] as string[]).concat(start.headers['set-cookie'] as string[]).find((c) => c.startsWith('splits-iv='))!;
    for (const attr of [/HttpOnly/, /SameSite=Lax/, /Max-Age=900\b/]) expect(set).toMatch(attr);

    // The same return link opened in another browser (someone else's link: login CSRF) signs nobody in and spends nothing.
    const { code, url } = await returned(binding);
    const other = new PageClient(withIntervals);
    const refused = await other.get(url);
    expect(refused.statusCode).toBe(400);
    expect(refused.body).toContain('another browser');
    expect(other.cookies.has('splits-session')).toBe(false);
    // Nor does a binding that is not this browser's nonce's.
    expect((await mine.get(`/signin/intervals/done?code=${code}&binding=${'A'.repeat(43)}`)).statusCode).toBe(400);

    const done = await mine.get(url);
    expect([done.statusCode, done.headers.location]).toEqual([303, '/']);
    expect(mine.cookies.has('splits-session')).toBe(true);
    expect(mine.cookies.has('splits-iv')).toBe(false);
    expect((await mine.get('/')).body).toContain('Anna');
    const sessions = await tdb.db.selectFrom('web_session').select('method').where('athlete_id', '=', ids.anna).where('revoked_at', 'is', null).execute();
    expect(sessions.map((r) => r.method)).toContain('intervals');
    // The code is spent.
    const again = new PageClient(withIntervals);
    await again.get('/signin/intervals');
    expect((await again.get(`/signin/intervals/done?code=${code}&binding=${bindingOf(again.cookies.get('splits-iv')!)}`)).statusCode).toBe(400);
  });
});

describe('pages', () => {
  let anna: PageClient;
  beforeAll(async () => {
    anna = new PageClient(app);
    await anna.signIn(tdb.db, ids.anna);
  });

  it('Today shows fitness, the flags and the stale-threshold warning', async () => {
    const res = await anna.get('/');
    expect(res.body).toContain('51.2');
    expect(res.body).toContain('data-flag="threshold_settings_stale"');
    expect(res.body).toContain('4:30/km');
    expect(res.body).toContain('Fitness is rising fast.');
    expect(res.body).toContain("Anna&#39;s threshold run");
  });

  it('History lists workouts and filters by type', async () => {
    expect((await anna.get('/history')).body).toContain(`/workouts/${workouts.anna}`);
    expect((await anna.get('/history?type=Swim')).body).not.toContain(`/workouts/${workouts.anna}`);
    expect((await anna.get('/history?from=2026-13-01')).statusCode).toBe(400);
  });

  it('the workout page, its chart data with laps, trends, goals, connections, privacy', async () => {
    const page = await anna.get(`/workouts/${workouts.anna}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('data-series');
    const series = (await anna.get(`/workouts/${workouts.anna}/series.json`, { accept: 'application/json' })).json();
    expect(series.t.length).toBeLessThanOrEqual(1200);
    expect(series.pace[0]).toBeCloseTo(1000 / 3.3 / 60, 1);
    expect(series.laps).toHaveLength(5);
    for (const p of ['/trends', '/goals', '/connections', '/privacy']) expect((await anna.get(p)).statusCode).toBe(200);
  });

  it('switches language and remembers it', async () => {
    const res = await anna.get('/lang/ru?next=/history');
    expect(res.headers.location).toBe('/history');
    expect((await anna.get('/history')).body).toContain('<html lang="ru">');
    await anna.get('/lang/en?next=//evil.test');
    expect((await anna.get('/')).body).toContain('<html lang="en">');
    expect((await new PageClient(app, { 'accept-language': 'ru-RU,ru;q=0.9' }).get('/signin')).body).toContain('Вход в Splits');
  });

  it('saves a report as a new revision through the write-report path; restore makes another', async () => {
    await anna.get(`/workouts/${workouts.anna}`);
    expect((await anna.post(`/workouts/${workouts.anna}/report`, { text: 'Felt strong' }, { csrf: '' })).statusCode).toBe(403);
    const res = await anna.post(`/workouts/${workouts.anna}/report`, { text: 'Felt strong' });
    expect(res.statusCode).toBe(303);
    await anna.post(`/workouts/${workouts.anna}/report`, { text: 'Felt strong, legs heavy at the end' });
    await anna.post(`/workouts/${workouts.anna}/report/restore`, { revision: '1' });
    const revs = await listWorkoutReports(tdb.db, ids.anna, workouts.anna);
    expect(revs.map((r) => [r.revision, r.text, r.source])).toEqual([
      [3, 'Felt strong', 'web'],
      [2, 'Felt strong, legs heavy at the end', 'web'],
      [1, 'Felt strong', 'web'],
    ]);
    const jobs = await queues['write-report'].getJobs(['waiting', 'delayed', 'prioritized']);
    expect(jobs.map((j) => j.data.reportId).sort()).toEqual(revs.map((r) => r.id).sort());
    const state = (await anna.get(`/workouts/${workouts.anna}/report/state`, { accept: 'application/json' })).json();
    expect(state).toMatchObject({ revision: 3, status: 'pending' });
  });

  it('goals: saves into the profile store, refuses a stale revision', async () => {
    await anna.get('/goals');
    const rev = /name="revision" value="(\d+)"/.exec((await anna.get('/goals')).body)![1]!;
    const ok = await anna.post('/goals', { revision: rev, about: 'Runner', goal_name_0: 'Berlin Marathon', goal_date_0: '2026-09-27', goal_priority_0: 'A', rules: 'No two hard days\nLong run Sunday' });
    expect(ok.statusCode).toBe(303);
    expect(await getAthleteProfile(tdb.db, ids.anna)).toMatchObject({ about: 'Runner', rules: ['No two hard days', 'Long run Sunday'], goals: [{ name: 'Berlin Marathon', date: '2026-09-27', priority: 'A' }] });
    expect((await anna.post('/goals', { revision: rev, about: 'Stale' })).statusCode).toBe(409);
    expect((await anna.post('/goals', { revision: String(Number(rev) + 1), goal_name_0: 'x', goal_date_0: '2026-02-30' })).statusCode).toBe(400);
  });

  it('tokens: created and shown once, listed, revoked', async () => {
    await anna.get('/connections');
    const res = await anna.post('/connections/tokens', { label: 'ChatGPT' });
    const token = /id="new-token">([^<]+)</.exec(res.body)![1]!;
    expect(await findAthleteIdByToken(tdb.db, token)).toBe(ids.anna);
    const page = (await anna.get('/connections')).body;
    expect(page).not.toContain(token);
    const id = /data-token-id="([^"]+)"/.exec(page)![1]!;
    expect((await anna.post('/connections/tokens/revoke', { id })).statusCode).toBe(303);
    expect(await findAthleteIdByToken(tdb.db, token)).toBeNull();
  });
});

describe('privacy', () => {
  it('exports only the athlete\'s own data, records the LLM consent, deletes the account', async () => {
    const { athleteId, workoutId } = await seed('i5303', 'Cleo');
    const cleo = new PageClient(app);
    await cleo.signIn(tdb.db, athleteId);
    const exported = await cleo.get('/privacy/export', { accept: 'application/json' });
    expect(exported.headers['content-disposition']).toMatch(/attachment/);
    expect(exported.body).toContain(workoutId);
    expect(exported.body).not.toContain(workouts.anna);
    expect(exported.body.includes(cleo.cookies.get('splits-session')!)).toBe(false);
    await cleo.get('/privacy');
    await cleo.post('/privacy/consent', { llm: 'on', acceptNotice: 'on' });
    expect((await cleo.get('/privacy')).body).toMatch(/id="llm" name="llm" checked/);
    expect((await cleo.post('/privacy/delete', { confirm: 'delete' })).statusCode).toBe(400);
    const gone = await cleo.post('/privacy/delete', { confirm: 'DELETE' });
    expect(gone.statusCode).toBe(200);
    expect(await tdb.db.selectFrom('athlete').select('id').where('id', '=', athleteId).executeTakeFirst()).toBeUndefined();
    expect((await cleo.get('/')).statusCode).toBe(303);
  });
});

describe('cross-athlete walk: a session reads and changes nothing of another athlete', () => {
  it('every page and form', async () => {
    const ben = new PageClient(app);
    await ben.signIn(tdb.db, ids.ben);
    const annaToken = await createApiToken(tdb.db, ids.anna, 'anna-only');
    const before = await listWorkoutReports(tdb.db, ids.anna, workouts.anna);
    for (const url of [`/workouts/${workouts.anna}`, `/workouts/${workouts.anna}/series.json`, `/workouts/${workouts.anna}/report/state`]) {
      expect((await ben.get(url)).statusCode).toBe(404);
    }
    await ben.get('/');
    expect((await ben.post(`/workouts/${workouts.anna}/report`, { text: 'not mine' })).statusCode).toBe(404);
    expect((await ben.post(`/workouts/${workouts.anna}/report/restore`, { revision: '1' })).statusCode).toBe(404);
    expect((await ben.post('/connections/tokens/revoke', { id: annaToken.id })).statusCode).toBe(404);
    expect(await listWorkoutReports(tdb.db, ids.anna, workouts.anna)).toEqual(before);
    expect(await findAthleteIdByToken(tdb.db, annaToken.token)).toBe(ids.anna);
    // Ben's own pages show none of Anna's things.
    for (const url of ['/', '/history', '/trends', '/goals', '/connections', '/privacy', '/privacy/export']) {
      const body = (await ben.get(url)).body;
      expect(body).not.toContain(workouts.anna);
      expect(body).not.toContain('Anna');
      expect(body).not.toContain('Berlin Marathon');
      expect(body).not.toContain('anna-only');
    }
    // A goal restore names a revision of Ben's own profile only.
    expect((await ben.post('/goals/restore', { revision: '1' })).statusCode).toBe(404);
  });
});
