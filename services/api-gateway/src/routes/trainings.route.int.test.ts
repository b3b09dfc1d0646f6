import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { FastifyInstance } from 'fastify';
import type { TrainingResponse, TrainingsResponse } from '@splits/contracts';
import { createLogger } from '@splits/telemetry';
import { createDb } from '@splits/db';
import { createTestDatabase, type TestDatabase } from '@splits/testing';
import { buildApp } from '../app.js';
import { openTestQueues, seedAthlete, type SeededAthlete } from '../test-harness.js';

const q = openTestQueues('gwrest');

let tdb: TestDatabase;
let app: FastifyInstance;
let a: SeededAthlete;
let b: SeededAthlete;
let big: SeededAthlete;

// A: 35 runs on consecutive days in March 2026; B: 3 runs in the same window; big: runs with very many intervals.
const A_DATES = Array.from({ length: 35 }, (_, i) => new Date(Date.UTC(2026, 2, 1 + i)).toISOString().slice(0, 10));
const B_DATES = ['2026-03-10', '2026-03-11', '2026-03-12'];

beforeAll(async () => {
  tdb = await createTestDatabase('gwrest');
  a = await seedAthlete(tdb.db, 'i1001', A_DATES, { name: 'Anna' });
  b = await seedAthlete(tdb.db, 'i2002', B_DATES, { name: 'Ben' });
  big = await seedAthlete(tdb.db, 'i3003', ['2026-03-01', '2026-03-02', '2026-03-03', '2026-03-04'], { intervals: 3500 });
  app = await buildApp({ db: tdb.db, queues: q.queues, log: createLogger('api-gateway', 'silent'), publicBaseUrl: 'https://splits.example.com' });
});

afterAll(async () => {
  await app?.close();
  await tdb?.drop();
  await q.close();
});

const get = (url: string, token?: string) =>
  app.inject({ method: 'GET', url, headers: token ? { authorization: `Bearer ${token}` } : {} });

describe('auth', () => {
  it.each([
    ['no token', undefined],
    ['an unknown token', 'spl_not-a-real-token'],
  ])('answers 401 JSON with %s', async (_label, token) => {
    for (const url of ['/trainings', '/trainings/trn_x', '/me']) {
      const res = await get(url, token);
      expect(res.statusCode).toBe(401);
      expect(res.headers['content-type']).toMatch(/application\/json/);
      expect(res.headers['www-authenticate']).toMatch(/^Bearer resource_metadata="https:\/\/splits.example.com\/.well-known\/oauth-protected-resource"/);
      expect(res.json()).toEqual({ error: { code: 'unauthorized', message: expect.any(String) } });
    }
  });

  it('rejects a non-Bearer scheme', async () => {
    const res = await app.inject({ method: 'GET', url: '/trainings', headers: { authorization: `Basic ${a.token}` } });
    expect(res.statusCode).toBe(401);
  });

  it('checks auth before validating the query', async () => {
    expect((await get('/trainings?limit=0')).statusCode).toBe(401);
  });
});

describe('GET /trainings', () => {
  it("never returns another athlete's workouts", async () => {
    const resA = await get('/trainings?oldest=2026-03-10&newest=2026-03-12', a.token);
    const resB = await get('/trainings?oldest=2026-03-10&newest=2026-03-12', b.token);
    const idsA = (resA.json() as TrainingsResponse).trainings.map((t) => t.id);
    const idsB = (resB.json() as TrainingsResponse).trainings.map((t) => t.id);
    expect(idsA).toHaveLength(3);
    expect(idsB.sort()).toEqual([...b.workouts.values()].sort());
    expect(idsA.some((id) => idsB.includes(id))).toBe(false);
  });

  it("answers 404 for another athlete's workout id", async () => {
    const bId = b.workouts.get('2026-03-10')!;
    const res = await get(`/trainings/${bId}`, a.token);
    expect(res.statusCode).toBe(404);
    expect(res.json()).toEqual({ error: { code: 'not_found', message: expect.any(String) } });
    expect((await get(`/trainings/${bId}`, b.token)).statusCode).toBe(200);
  });

  it('is newest first with the default limit of 30 and pages with offset', async () => {
    const first = (await get('/trainings', a.token)).json() as TrainingsResponse;
    expect(first.count).toBe(30);
    expect(first.trainings).toHaveLength(30);
    expect(first.hasMore).toBe(true);
    expect(first.nextOffset).toBe(30);
    const dates = first.trainings.map((t) => t.localDate);
    expect(dates).toEqual([...A_DATES].reverse().slice(0, 30));

    const rest = (await get(`/trainings?offset=${first.nextOffset}`, a.token)).json() as TrainingsResponse;
    expect(rest.count).toBe(5);
    expect(rest.hasMore).toBe(false);
    expect(rest.nextOffset).toBeNull();
    expect(rest.trainings.map((t) => t.localDate)).toEqual(A_DATES.slice(0, 5).reverse());
  });

  it('honours limit and reports hasMore exactly at the boundary', async () => {
    const page = (await get('/trainings?limit=7&offset=21', a.token)).json() as TrainingsResponse;
    expect(page.count).toBe(7);
    expect(page.hasMore).toBe(true);
    expect(page.nextOffset).toBe(28);
    const last = (await get('/trainings?limit=7&offset=28', a.token)).json() as TrainingsResponse;
    expect(last.count).toBe(7);
    expect(last.hasMore).toBe(false);
    expect(last.nextOffset).toBeNull();
  });

  it('filters by local date, both ends inclusive', async () => {
    const res = (await get('/trainings?oldest=2026-03-05&newest=2026-03-08', a.token)).json() as TrainingsResponse;
    expect(res.trainings.map((t) => t.localDate)).toEqual(['2026-03-08', '2026-03-07', '2026-03-06', '2026-03-05']);
    const onlyNewest = (await get('/trainings?newest=2026-03-02', a.token)).json() as TrainingsResponse;
    expect(onlyNewest.trainings.map((t) => t.localDate)).toEqual(['2026-03-02', '2026-03-01']);
    const onlyOldest = (await get('/trainings?oldest=2026-04-04', a.token)).json() as TrainingsResponse;
    expect(onlyOldest.trainings.map((t) => t.localDate)).toEqual(['2026-04-04']);
  });

  it('omits intervals unless full=1', async () => {
    for (const q of ['', '&full=0', '&full=false']) {
      const res = (await get(`/trainings?limit=3${q}`, a.token)).json() as TrainingsResponse;
      expect(res.trainings).toHaveLength(3);
      for (const t of res.trainings) expect(t).not.toHaveProperty('intervals');
    }
    for (const q of ['&full=1', '&full=true']) {
      const res = (await get(`/trainings?limit=3${q}`, a.token)).json() as TrainingsResponse;
      for (const t of res.trainings) {
        // A table: column names once, one row per lap; columns nobody has (watts) left out, one role for all laps said once.
        expect(t.intervals).toMatchObject({ role: 'work', cols: ['secs', 'km', 'pace', 'hr', 'maxHr', 'cadence'] });
        expect(t.intervals!.rows).toHaveLength(4);
        expect(t.intervals!.rows[0]).toEqual([480, 1.65, '4:53', 161, 171, 178]);
      }
    }
  });

  it('returns the record fields of the brief', async () => {
    const res = (await get('/trainings?limit=1', a.token)).json() as TrainingsResponse;
    expect(res.trainings[0]).toMatchObject({
      id: expect.stringMatching(/^trn_/),
      workoutType: 'Run',
      sessionType: 'Threshold',
      distance: 12.4,
      movingTime: 3660,
      pace: 4.92,
      hrZoneTimes: [320, 1180, 1470, 610, 80],
      intervalSummary: { work: '4 x 8 min', recovery: '3 min jog' },
      sportMetrics: { gradedPace: 4.86, cadence: 176, verticalOscillation: 8.4 },
    });
  });

  it.each([
    ['limit=0', 'limit'],
    ['limit=51', 'limit'],
    ['limit=abc', 'limit'],
    ['oldest=bad', 'oldest'],
    ['newest=2026-3-1', 'newest'],
    ['offset=-1', 'offset'],
    ['full=maybe', 'full'],
  ])('answers 400 for %s', async (q, field) => {
    const res = await get(`/trainings?${q}`, a.token);
    expect(res.statusCode).toBe(400);
    const body = res.json() as { error: { code: string; message: string } };
    expect(body.error.code).toBe('bad_request');
    expect(body.error.message).toContain(`querystring.${field}`);
    expect(Object.keys(body)).toEqual(['error']);
  });

  it('answers 400 when oldest is after newest', async () => {
    const res = await get('/trainings?oldest=2026-03-09&newest=2026-03-08', a.token);
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({ error: { code: 'bad_request', message: expect.stringContaining('after newest') } });
  });

  it('answers 413 only for a single workout too large on its own, naming full=0', async () => {
    const res = await get('/trainings?full=1', big.token);
    expect(res.statusCode).toBe(413);
    const body = res.json() as { error: { code: string; message: string } };
    expect(body.error.code).toBe('too_large');
    expect(body.error.message).toMatch(/alone is \d+ characters/);
    expect(body.error.message).toMatch(/full=0/);
    // Following the advice works.
    const lean = await get('/trainings', big.token);
    expect(lean.statusCode).toBe(200);
    expect((lean.json() as TrainingsResponse).count).toBe(4);
    expect((await get(`/trainings/${big.workouts.get('2026-03-01')!}`, big.token)).statusCode).toBe(413);
  });
});

describe('GET /trainings/{id}', () => {
  it('returns one record with its intervals', async () => {
    const id = a.workouts.get('2026-03-15')!;
    const res = await get(`/trainings/${id}`, a.token);
    expect(res.statusCode).toBe(200);
    const { training: rec, athlete } = res.json() as TrainingResponse;
    expect(rec.id).toBe(id);
    expect(rec.localDate).toBe('2026-03-15');
    expect(rec.intervals!.rows).toHaveLength(4);
    expect(athlete).toEqual({ timezone: 'Europe/Berlin', sports: [] });
  });

  it('answers 404 for an unknown id', async () => {
    const res = await get('/trainings/trn_nope', a.token);
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ error: { code: 'not_found' } });
  });
});

describe('GET /me', () => {
  it('names the athlete and the connection, and nothing secret', async () => {
    const res = await get('/me', a.token);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      athleteId: a.athleteId,
      name: 'Anna',
      timezone: 'Europe/Berlin',
      intervalsAthleteId: 'i1001',
      connection: { kind: 'api_key', status: expect.any(String) },
    });
    expect(res.body).not.toContain('key-i1001');
  });
});

describe('errors, health and the OpenAPI document', () => {
  it('answers unknown routes with 404 JSON', async () => {
    const res = await get('/nope', a.token);
    expect(res.statusCode).toBe(404);
    expect(res.json()).toEqual({ error: { code: 'not_found', message: expect.any(String) } });
  });

  it('maps fastify\'s own 4xx (bad JSON, body too large) to the error body', async () => {
    const headers = { authorization: `Bearer ${a.token}`, 'content-type': 'application/json' };
    const bad = await app.inject({ method: 'POST', url: '/mcp', headers, payload: '{"jsonrpc":' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toEqual({ error: { code: 'bad_request', message: expect.any(String) } });
    const huge = await app.inject({ method: 'POST', url: '/mcp', headers, payload: JSON.stringify({ pad: 'x'.repeat(1_100_000) }) });
    expect(huge.statusCode).toBe(413);
    expect(huge.json()).toEqual({ error: { code: 'too_large', message: expect.any(String) } });
  });

  it('answers 5xx as a generic internal error, and /ready as 503, when Postgres is unreachable', async () => {
    const deadDb = createDb('postgres://postgres@127.0.0.1:5432/splits_no_such_database_x', { poolSize: 1 });
    const broken = await buildApp({ db: deadDb, queues: q.queues, log: createLogger('api-gateway', 'silent'), publicBaseUrl: 'http://x' });
    try {
      const res = await broken.inject({ method: 'GET', url: '/trainings', headers: { authorization: `Bearer ${a.token}` } });
      expect(res.statusCode).toBe(500);
      expect(res.json()).toEqual({ error: { code: 'internal', message: 'internal error' } });
      expect(res.body).not.toMatch(/splits_no_such_database_x|does not exist|at /);
      const ready = await broken.inject({ method: 'GET', url: '/ready' });
      expect(ready.statusCode).toBe(503);
      expect(ready.json()).toEqual({ status: 'not_ready', checks: { postgres: 'down' } });
    } finally {
      await broken.close();
      await deadDb.destroy();
    }
  });

  it('serves /health and /ready without auth', async () => {
    expect((await get('/health')).json()).toEqual({ status: 'ok' });
    const ready = await get('/ready');
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toEqual({ status: 'ready', checks: { postgres: 'ok' } });
  });
});
