import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { FastifyInstance } from 'fastify';
import { storeAthleteSummary } from '@splits/db';
import { createLogger } from '@splits/telemetry';
import { createTestDatabase, type TestDatabase, waitFor } from '@splits/testing';
import { buildApp } from '../app.js';
import { SummaryResponseSchema } from '@splits/contracts';
import { openTestQueues, seedAthlete, type SeededAthlete } from '../test-harness.js';

const q = openTestQueues('gwsum');
let tdb: TestDatabase;
let app: FastifyInstance;
let a: SeededAthlete;
let b: SeededAthlete;
const summaryDoc = (name: string) => ({ document: { schema: 1, athlete: { name } }, contentHash: `h-${name}`, sizeChars: 40, buildMs: 1, reason: 'test' });
const recent = (daysAgo: number) => new Date(Date.now() - daysAgo * 86_400_000).toISOString().slice(0, 10);

beforeAll(async () => {
  tdb = await createTestDatabase('gwsum');
  a = await seedAthlete(tdb.db, 'i7007', [recent(1), recent(3), recent(5), recent(9)], { name: 'Anna' });
  b = await seedAthlete(tdb.db, 'i8008', [recent(2)], { name: 'Ben' });
  app = await buildApp({ db: tdb.db, queues: q.queues, log: createLogger('api-gateway', 'silent'), publicBaseUrl: 'http://127.0.0.1', firstSummaryWaitMs: 3_000 });
});
afterAll(async () => {
  await app?.close();
  await tdb?.drop();
  await q.close();
});

const get = (url: string, token?: string) => app.inject({ method: 'GET', url, headers: token ? { authorization: `Bearer ${token}` } : {} });
const pendingBuilds = async () => (await q.queues['build-summary'].getJobs(['delayed', 'waiting', 'active'])).map((j) => j.data as { athleteId: string; reason?: string });

describe('GET /summary', () => {
  it("asks the summary-worker for a missing summary, at once, and serves it as soon as it is stored", async () => {
    const answer = get('/summary', a.token);
    // The gateway never builds: it asks the one builder (no debounce wait for a first summary) ...
    const job = await waitFor(async () => (await q.queues['build-summary'].getJobs(['waiting', 'delayed'])).find((j) => j.data.athleteId === a.athleteId));
    expect([job.data.reason, await job.getState()]).toEqual(['missing', 'waiting']);
    // ... and answers from what is stored once the build lands (stored here as the worker would).
    await storeAthleteSummary(tdb.db, a.athleteId, summaryDoc('Anna'));
    const res = await answer;
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(SummaryResponseSchema.parse(body)).toEqual(body);
    expect(body).toMatchObject({ version: 1, part: 1, parts: 1, unchanged: false, summary: { athlete: { name: 'Anna' } } });
    expect(Date.now() - Date.parse(body.builtAt)).toBeLessThan(60_000);
    await q.queues['build-summary'].obliterate({ force: true });
    expect(await pendingBuilds()).toEqual([]); // fresh: nothing to rebuild
  });

  it('answers 503 with Retry-After when the first summary is not stored in time', async () => {
    const res = await get('/summary', b.token);
    expect([res.statusCode, res.headers['retry-after'], res.json().error.code]).toEqual([503, '5', 'unavailable']);
    await q.queues['build-summary'].obliterate({ force: true });
    await storeAthleteSummary(tdb.db, b.athleteId, summaryDoc('Ben'));
  });

  it('answers unchanged without the document when the caller holds the current version', async () => {
    const res = await get('/summary?version=1', a.token);
    expect(res.json()).toMatchObject({ version: 1, unchanged: true, summary: null });
  });

  it('serves a summary older than 10 minutes and asks for a rebuild of that athlete only', async () => {
    await tdb.db.updateTable('athlete_summary').set({ built_at: new Date(Date.now() - 11 * 60_000) }).where('athlete_id', '=', a.athleteId).execute();
    const res = await get('/summary', a.token);
    expect(res.statusCode).toBe(200);
    expect(res.json().summary.athlete.name).toBe('Anna');
    expect(await pendingBuilds()).toEqual([{ athleteId: a.athleteId, reason: 'stale' }]);
  });

  it("never shows another athlete's summary", async () => {
    expect((await get('/summary', b.token)).json().summary.athlete.name).toBe('Ben');
    expect((await get('/summary')).statusCode).toBe(401);
  });

  it('splits a large summary into parts under 90,000 characters that add back up', async () => {
    const big = { schema: 1, recentTrainings: Array.from({ length: 2500 }, (_, i) => ({ id: `trn_${i}`, note: 'n'.repeat(100) })), wellness: { hrv: 1 } };
    const json = JSON.stringify(big);
    await storeAthleteSummary(tdb.db, b.athleteId, { document: big, contentHash: 'big', sizeChars: json.length, buildMs: 1, reason: 'manual' });
    const first = (await get('/summary', b.token)).json();
    expect(first.parts).toBeGreaterThan(2);
    const all: unknown[] = [];
    for (let p = 1; p <= first.parts; p++) {
      const res = await get(`/summary?part=${p}`, b.token);
      expect(res.statusCode).toBe(200);
      expect(JSON.stringify(res.json().summary).length).toBeLessThan(90_000);
      expect(res.body.length).toBeLessThan(100_000);
      all.push(...((res.json().summary.recentTrainings as unknown[]) ?? []));
    }
    expect(all).toEqual(big.recentTrainings);
    const beyond = await get(`/summary?part=${first.parts + 1}`, b.token);
    expect(beyond.statusCode).toBe(400);
    expect(beyond.json()).toEqual({ error: { code: 'bad_request', message: expect.stringMatching(/has \d+ part/) } });
    expect((await get('/summary?part=0', b.token)).statusCode).toBe(400);
  });
});
