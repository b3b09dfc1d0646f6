import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { FastifyInstance } from 'fastify';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import type { PlannedWriteResponse } from '@splits/contracts';
import { ChangeFeed, saveAthleteProfile, storeAthleteSummary, upsertWellnessDay } from '@splits/db';
import { createLogger } from '@splits/telemetry';
import { createTestDatabase, generateAthlete, startFakeIntervals, TEST_ENCRYPTION_KEY, type FakeIntervals, type TestDatabase } from '@splits/testing';
import { buildApp } from './app.js';
import { seedAthlete, type SeededAthlete } from './test-harness.js';
import { addDays, todayUtc } from './services/window.js';
import { openTestQueues } from './test-harness.js';

const q = openTestQueues('gwcross');

/**
 * The walk: every REST operation of the OpenAPI document and every MCP tool, called with athlete
 * A's token but aimed at athlete B's ids, dates and external ids. Nothing of B's may come back,
 * and B's calendar at Intervals.icu must not change.
 */
let tdb: TestDatabase;
let fake: FakeIntervals;
let app: FastifyInstance;
let base: string;
let a: SeededAthlete;
let b: SeededAthlete;
let aIcu: string;
let bIcu: string;
let bEventIds: string[];
let feed: ChangeFeed;
const DATES = ['2026-04-01', '2026-04-02', '2026-04-03'];
const SOON = addDays(todayUtc(), 4);

/** Everything that identifies B: none of it may appear in an answer to A. (B's external id is not in it: A may use the same one for A's own calendar, which the walk does.) */
let bMarkers: string[];

beforeAll(async () => {
  tdb = await createTestDatabase('gwwalk');
  fake = await startFakeIntervals();
  const anna = generateAthlete({ seed: 71, now: new Date(), weeks: 1 });
  const ben = generateAthlete({ seed: 72, now: new Date(), weeks: 1 });
  fake.addAthlete(anna);
  fake.addAthlete(ben);
  aIcu = anna.athleteId;
  bIcu = ben.athleteId;
  a = await seedAthlete(tdb.db, anna.athleteId, DATES, { name: 'Anna' });
  b = await seedAthlete(tdb.db, bIcu, DATES, { name: 'Ben' });
  await storeAthleteSummary(tdb.db, a.athleteId, { document: { owner: 'summary-of-anna' }, contentHash: 'a', sizeChars: 40, buildMs: 0, reason: 'test' });
  await storeAthleteSummary(tdb.db, b.athleteId, { document: { owner: 'summary-of-ben' }, contentHash: 'b', sizeChars: 40, buildMs: 0, reason: 'test' });
  for (const d of DATES) {
    await upsertWellnessDay(tdb.db, a.athleteId, d, { id: d, ctl: 50, atl: 55, restingHR: 48 });
    await upsertWellnessDay(tdb.db, b.athleteId, d, { id: d, ctl: 87.65, atl: 91.23, restingHR: 39 });
  }
  // With the change feed, as main.ts runs it: tokens and summaries are also served from memory.
  feed = new ChangeFeed(tdb.url, { applicationName: 'gw-walk-feed' });
  await feed.start();
  app = await buildApp({
    changes: feed,
    queues: q.queues,
    db: tdb.db,
    log: createLogger('api-gateway', 'silent'),
    publicBaseUrl: 'http://127.0.0.1',
    encryptionKey: Buffer.from(TEST_ENCRYPTION_KEY, 'base64'),
    intervalsBaseUrl: fake.url,
  });
  base = await app.listen({ host: '127.0.0.1', port: 0 });
  const written = await app.inject({
    method: 'POST',
    url: '/events',
    headers: { authorization: `Bearer ${b.token}` },
    payload: { workouts: [{ externalId: 'ben-plan-1', date: SOON, type: 'Run', name: 'Ben secret session', description: '- 30m Z2 HR' }] },
  });
  bEventIds = (written.json() as PlannedWriteResponse).events.map((e) => e.id!);
  await saveAthleteProfile(tdb.db, b.athleteId, { about: 'Ben secret profile', goals: [{ name: 'Ben secret race', date: null, distance: null, target: null, priority: 'A', notes: null }], rules: ['Ben rule'], strategy: 'Ben strategy' }, { source: 'edit' });
  await saveAthleteProfile(tdb.db, b.athleteId, { about: 'Ben secret profile v2', goals: [], rules: ['Ben rule'], strategy: 'Ben strategy' }, { source: 'edit' });
  bMarkers = [b.athleteId, bIcu, 'Ben', 'summary-of-ben', 'Ben secret profile', 'Ben secret race', 'Ben strategy', '87.7', '"restingHr":39', 'Ben secret session', ...b.workouts.values(), ...bEventIds];
});

afterAll(async () => {
  await q.close();
  await app?.close();
  await feed?.close();
  await fake?.close();
  await tdb?.drop();
});

const bCalendar = () => JSON.stringify(fake.events(bIcu));
const bWorkoutId = () => [...b.workouts.values()][0]!;
const window = `oldest=${DATES[0]}&newest=${DATES[2]}`;

/** `asked` is what A sent: an id A named may be echoed back (e.g. "not found: <id>"); nothing else of B's may appear. */
function expectNothingOfB(label: string, body: string, asked: unknown) {
  const sent = JSON.stringify(asked);
  for (const m of bMarkers.filter((x) => !sent.includes(x))) expect({ label, leaked: body.includes(m) ? m : null }).toEqual({ label, leaked: null });
}

describe("A's token against B's data", () => {
  it('walks every REST operation', async () => {
    const requests: Record<string, { method: 'GET' | 'POST' | 'DELETE' | 'PATCH'; url: string; payload?: object }[]> = {
      getProfile: [{ method: 'GET', url: '/profile' }],
      updateProfile: [{ method: 'PATCH', url: '/profile', payload: { about: 'Anna writes her own profile' } }],
      getProfileHistory: [{ method: 'GET', url: '/profile/history' }],
      // B's profile has revisions 1 and 2; A's has only what A wrote. Restoring "revision 1" restores A's own.
      restoreProfile: [{ method: 'POST', url: '/profile/restore', payload: { revision: 1 } }],
      getMe: [{ method: 'GET', url: '/me' }],
      getAthleteSummary: [{ method: 'GET', url: '/summary' }, { method: 'GET', url: '/summary?version=1' }],
      getTrainings: [{ method: 'GET', url: `/trainings?${window}&full=1` }, { method: 'GET', url: '/trainings?limit=50&offset=0' }],
      getTraining: [{ method: 'GET', url: `/trainings/${bWorkoutId()}` }],
      getWellness: [{ method: 'GET', url: `/wellness?${window}` }],
      getPlannedEvents: [{ method: 'GET', url: `/events?oldest=${SOON}&newest=${SOON}` }],
      getReview: [{ method: 'GET', url: `/review?${window}` }, { method: 'GET', url: `/review?oldest=${SOON}&newest=${SOON}` }, { method: 'GET', url: '/review?oldest=-30d&newest=+7d' }],
      upsertPlannedWorkouts: [
        { method: 'POST', url: '/events', payload: { workouts: [{ externalId: 'ben-plan-1', date: SOON, type: 'Run', name: 'Anna own', description: '- 20m Z1 HR' }] } },
      ],
      deletePlannedWorkouts: [
        { method: 'DELETE', url: `/events?ids=${bEventIds.join(',')}` },
        { method: 'DELETE', url: '/events?prefix=ben-&dry_run=1' },
        { method: 'DELETE', url: `/events?oldest=${SOON}&newest=${SOON}&dry_run=1` },
      ],
    };
    const doc = (await app.inject({ method: 'GET', url: '/openapi.json' })).json() as { paths: Record<string, Record<string, { operationId: string }>> };
    const ops = Object.values(doc.paths).flatMap((m) => Object.values(m).map((o) => o.operationId));
    expect(Object.keys(requests).sort()).toEqual(ops.sort());

    const calendarBefore = bCalendar();
    for (const [op, reqs] of Object.entries(requests)) {
      for (const r of reqs) {
        const res = await app.inject({ ...r, headers: { authorization: `Bearer ${a.token}` } });
        expect({ op, status: res.statusCode }).toEqual({ op, status: op === 'getTraining' ? 404 : 200 });
        expectNothingOfB(`${op} ${r.url}`, res.body, r);
      }
    }
    expect(bCalendar()).toBe(calendarBefore);
    // A's write with B's external id landed in A's calendar, not B's.
    expect(fake.events(aIcu).map((e) => e.name)).toEqual(['Anna own']);
  });

  it('walks every MCP tool', async () => {
    const client = new Client({ name: 'walk', version: '1' }, { versionNegotiation: { mode: { pin: '2026-07-28' } } });
    await client.connect(new StreamableHTTPClientTransport(new URL('/mcp', base), { requestInit: { headers: { authorization: `Bearer ${a.token}` } } }));
    try {
      const calls: Record<string, Record<string, unknown>[]> = {
        whoami: [{}],
        get_athlete_summary: [{}],
        get_trainings: [{ oldest: DATES[0], newest: DATES[2], full: true }],
        get_training: [{ id: bWorkoutId() }],
        get_wellness: [{ oldest: DATES[0], newest: DATES[2] }],
        get_planned_events: [{ oldest: SOON, newest: SOON }],
        get_review: [{ oldest: DATES[0], newest: DATES[2] }, { oldest: 'today', newest: '+7d' }],
        get_profile: [{}],
        update_profile: [{ rules: ['Anna rule'] }],
        upsert_planned_workouts: [{ workouts: [{ externalId: 'ben-plan-1', date: SOON, type: 'Run', name: 'Anna own', description: '- 20m Z1 HR' }], dry_run: true }],
        delete_planned_workouts: [{ ids: bEventIds }, { external_ids: ['ben-plan-1'], dry_run: true }, { prefix: 'ben-', dry_run: true }],
      };
      const { tools } = await client.listTools();
      expect(Object.keys(calls).sort()).toEqual(tools.map((t) => t.name).sort());
      const calendarBefore = bCalendar();
      for (const [name, argsList] of Object.entries(calls)) {
        for (const args of argsList) {
          const res = await client.callTool({ name, arguments: args });
          expect({ name, isError: Boolean(res.isError) }).toEqual({ name, isError: name === 'get_training' });
          expectNothingOfB(name, JSON.stringify(res), args);
        }
      }
      expect(bCalendar()).toBe(calendarBefore);
    } finally {
      await client.close();
    }
  });

  it("B still sees B's own data (the walk could have found it)", async () => {
    const res = await app.inject({ method: 'GET', url: `/trainings/${bWorkoutId()}`, headers: { authorization: `Bearer ${b.token}` } });
    expect(res.statusCode).toBe(200);
    const ev = await app.inject({ method: 'GET', url: `/events?oldest=${SOON}&newest=${SOON}`, headers: { authorization: `Bearer ${b.token}` } });
    expect(ev.body).toContain('ben-plan-1');
    const w = await app.inject({ method: 'GET', url: `/wellness?${window}`, headers: { authorization: `Bearer ${b.token}` } });
    expect(w.body).toContain('87.7');
  });
});
