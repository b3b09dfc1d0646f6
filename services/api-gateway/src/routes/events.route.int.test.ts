import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { FastifyInstance } from 'fastify';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import type { PlannedEventsResponse, PlannedWriteResponse } from '@splits/contracts';
import { createLogger } from '@splits/telemetry';
import { createTestDatabase, generateAthlete, startFakeIntervals, TEST_ENCRYPTION_KEY, type FakeIntervals, type TestDatabase } from '@splits/testing';
import { buildApp } from '../app.js';
import { seedAthlete, type SeededAthlete } from '../test-harness.js';
import { addDays, todayUtc } from '../services/window.js';
import { openTestQueues } from '../test-harness.js';

const q = openTestQueues('gwev');

let tdb: TestDatabase;
let fake: FakeIntervals;
let app: FastifyInstance;
let a: SeededAthlete;
let b: SeededAthlete;
let aIcu: string;
let bIcu: string;

const D1 = addDays(todayUtc(), 3);
const D2 = addDays(todayUtc(), 5);
const D3 = addDays(todayUtc(), 9);
const THRESHOLD = '- Warmup 15m Z2 HR\n\nMain Set 4x\n- 8m 95-100% LTHR\n- 2m Z1 HR\n\n- Cooldown 10m Z1 HR';
const INTERVALS = '- 2km Z2 Pace\n\n6x\n- 400mtr 3:50/km Pace\n- 90s Z1 HR\n\n- 10m Z1 HR';
const plan = [
  { externalId: 'plan-w1-tue', date: D1, type: 'Run', name: 'Threshold 4x8', description: THRESHOLD, target: 'HR' as const },
  { externalId: 'plan-w1-thu', date: D2, time: '07:30', type: 'Run', name: '6x400', description: INTERVALS },
  { externalId: 'other-ride', date: D3, type: 'Ride', name: 'Endurance', description: '- 10m ramp 50-70%\n- 70m Z2\n- 10m 50%' },
];

beforeAll(async () => {
  tdb = await createTestDatabase('gwevents');
  fake = await startFakeIntervals();
  const now = new Date();
  const anna = generateAthlete({ seed: 61, now, weeks: 1 });
  const ben = generateAthlete({ seed: 62, now, weeks: 1 });
  fake.addAthlete(anna);
  fake.addAthlete(ben);
  aIcu = anna.athleteId;
  bIcu = ben.athleteId;
  a = await seedAthlete(tdb.db, aIcu, []);
  b = await seedAthlete(tdb.db, bIcu, []);
  app = await buildApp({
    queues: q.queues,
    db: tdb.db,
    log: createLogger('api-gateway', 'silent'),
    publicBaseUrl: 'http://127.0.0.1',
    encryptionKey: Buffer.from(TEST_ENCRYPTION_KEY, 'base64'),
    intervalsBaseUrl: fake.url,
  });
});

afterAll(async () => {
  await q.close();
  await app?.close();
  await fake?.close();
  await tdb?.drop();
});

const call = (method: 'GET' | 'POST' | 'DELETE', url: string, token: string, payload?: unknown) =>
  app.inject({ method, url, headers: { authorization: `Bearer ${token}` }, ...(payload ? { payload: payload as object } : {}) });
const calendarWrites = () => fake.writes.filter((w) => w.path.includes('/events'));

describe('POST /events (upsertPlannedWorkouts)', () => {
  it('previews with dry_run and writes nothing', async () => {
    const res = await call('POST', '/events', a.token, { workouts: plan, dry_run: true });
    expect(res.statusCode).toBe(200);
    const body = res.json() as PlannedWriteResponse;
    expect(body).toMatchObject({ dryRun: true, count: 3, notFound: [] });
    expect(body.events.map((e) => [e.id, e.externalId, e.action, e.start])).toEqual([
      [null, 'plan-w1-tue', 'create', `${D1}T00:00:00`],
      [null, 'plan-w1-thu', 'create', `${D2}T07:30:00`],
      [null, 'other-ride', 'create', `${D3}T00:00:00`],
    ]);
    expect(calendarWrites()).toEqual([]);
    expect(fake.events(aIcu)).toEqual([]);
  });

  it('writes with events/bulk?upsert=true and external_id, stores the events, and a repeat changes nothing', async () => {
    const first = (await call('POST', '/events', a.token, { workouts: plan })).json() as PlannedWriteResponse;
    expect(first.dryRun).toBe(false);
    expect(first.events.map((e) => e.action)).toEqual(['create', 'create', 'create']);
    const atFake = fake.events(aIcu);
    expect(atFake.map((e) => [e.external_id, e.category, e.type, e.description])).toEqual([
      ['plan-w1-tue', 'WORKOUT', 'Run', THRESHOLD],
      ['plan-w1-thu', 'WORKOUT', 'Run', INTERVALS],
      ['other-ride', 'WORKOUT', 'Ride', plan[2]!.description],
    ]);
    const bulk = fake.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/events/bulk'));
    expect(bulk).toHaveLength(1);
    expect(bulk[0]!.query).toEqual({ upsert: 'true' });
    expect(bulk[0]!.auth).toBe('basic');

    const second = (await call('POST', '/events', a.token, { workouts: plan })).json() as PlannedWriteResponse;
    expect(second.events.map((e) => e.action)).toEqual(['update', 'update', 'update']);
    expect(second.events.map((e) => e.id)).toEqual(first.events.map((e) => e.id));
    const strip = (e: Record<string, unknown>) => ({ ...e, updated: undefined });
    expect(fake.events(aIcu).map(strip)).toEqual(atFake.map(strip));
    expect(calendarWrites()).toHaveLength(2);
    expect(calendarWrites()[1]!.body).toEqual(calendarWrites()[0]!.body);

    const listed = (await call('GET', `/events?oldest=${D1}&newest=${D3}`, a.token)).json() as PlannedEventsResponse;
    expect(listed.events.map((e) => [e.id, e.externalId, e.date, e.name])).toEqual(
      first.events.map((e) => [e.id, e.externalId, e.date, e.name]),
    );
    expect(fake.events(bIcu)).toEqual([]);
  });

  it('rejects text that would not parse with a clear 400 and writes nothing', async () => {
    const before = calendarWrites().length;
    const bad = [{ ...plan[0]!, externalId: 'bad-1', description: '- Warmup 10m Z2 HR\n- 200m 3:45/km' }];
    const res = await call('POST', '/events', a.token, { workouts: bad });
    expect(res.statusCode).toBe(400);
    const { error } = res.json() as { error: { code: string; message: string } };
    expect(error.code).toBe('bad_request');
    expect(error.message).toContain('workouts[0] (bad-1)');
    expect(error.message).toContain("line 2 '- 200m 3:45/km'");
    expect(error.message).toMatch(/200mtr/);
    expect(error.message).toMatch(/word Pace/);
    expect(calendarWrites()).toHaveLength(before);
  });

  it.each([
    [{ workouts: [] }],
    [{ workouts: [{ ...plan[0]!, externalId: 'has space' }] }],
    [{ workouts: [{ ...plan[0]!, date: 'tomorrow' }] }],
    [{ workouts: [plan[0]!, plan[0]!] }],
  ])('answers 400 to a malformed body %#', async (payload) => {
    const res = await call('POST', '/events', a.token, payload);
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ error: { code: 'bad_request' } });
  });

  it('maps Intervals.icu failures to clear errors', async () => {
    fake.failNext('/events/bulk', 403);
    const denied = await call('POST', '/events', a.token, { workouts: [plan[0]!] });
    expect(denied.statusCode).toBe(409);
    expect(denied.json()).toMatchObject({ error: { code: 'intervals_auth' } });
    fake.failNext('/events/bulk', 500, { times: 2 });
    const down = await call('POST', '/events', a.token, { workouts: [plan[0]!] });
    expect(down.statusCode).toBe(503);
    expect(down.json()).toMatchObject({ error: { code: 'intervals_unavailable' } });
    expect(down.body).not.toContain(`key-${aIcu}`);
  });
});

describe('DELETE /events (deletePlannedWorkouts)', () => {
  it('needs a selector', async () => {
    const res = await call('DELETE', '/events', a.token);
    expect(res.statusCode).toBe(400);
  });

  it('previews a prefix with dry_run, then deletes by prefix', async () => {
    const preview = (await call('DELETE', '/events?prefix=plan-w1-&dry_run=1', a.token)).json() as PlannedWriteResponse;
    expect(preview).toMatchObject({ dryRun: true, count: 2 });
    expect(preview.events.map((e) => [e.externalId, e.action])).toEqual([
      ['plan-w1-tue', 'delete'],
      ['plan-w1-thu', 'delete'],
    ]);
    expect(fake.events(aIcu)).toHaveLength(3);

    const done = (await call('DELETE', '/events?prefix=plan-w1-', a.token)).json() as PlannedWriteResponse;
    expect(done).toMatchObject({ dryRun: false, count: 2 });
    expect(fake.events(aIcu).map((e) => e.external_id)).toEqual(['other-ride']);
    const del = fake.writes.filter((w) => w.path.endsWith('/events/bulk-delete'));
    expect(del.at(-1)!.body).toEqual(done.events.map((e) => ({ id: Number(e.id) })));
    const listed = (await call('GET', `/events?oldest=${D1}&newest=${D3}`, a.token)).json() as PlannedEventsResponse;
    expect(listed.events.map((e) => e.externalId)).toEqual(['other-ride']);
  });

  it('deletes by external id and by id, reporting what matched nothing', async () => {
    await call('POST', '/events', a.token, { workouts: plan.slice(0, 2) });
    const byExt = (await call('DELETE', '/events?external_ids=plan-w1-tue,nope', a.token)).json() as PlannedWriteResponse;
    expect(byExt.events.map((e) => e.externalId)).toEqual(['plan-w1-tue']);
    expect(byExt.notFound).toEqual(['nope']);
    const thu = fake.events(aIcu).find((e) => e.external_id === 'plan-w1-thu')!;
    const byId = (await call('DELETE', `/events?ids=${thu.id}`, a.token)).json() as PlannedWriteResponse;
    expect(byId.events.map((e) => e.id)).toEqual([String(thu.id)]);
    expect(fake.events(aIcu).map((e) => e.external_id)).toEqual(['other-ride']);
  });

  it('deletes a date window of workouts only, never notes', async () => {
    const note = await fetch(`${fake.url}/api/v1/athlete/0/events`, {
      method: 'POST',
      headers: { authorization: `Basic ${Buffer.from(`API_KEY:key-${aIcu}`).toString('base64')}`, 'content-type': 'application/json' },
      body: JSON.stringify({ category: 'NOTE', start_date_local: `${D3}T00:00:00`, name: 'Travel' }),
    });
    expect(note.status).toBe(200);
    const res = (await call('DELETE', `/events?oldest=${D3}&newest=${D3}`, a.token)).json() as PlannedWriteResponse;
    expect(res.events.map((e) => e.externalId)).toEqual(['other-ride']);
    expect(fake.events(aIcu).map((e) => e.category)).toEqual(['NOTE']);
  });
});

describe('MCP calendar tools', () => {
  it('upsert_planned_workouts is idempotent and delete_planned_workouts removes, through the same services', async () => {
    const addr = await app.listen({ host: '127.0.0.1', port: 0 });
    const client = new Client({ name: 't', version: '1' }, { versionNegotiation: { mode: { pin: '2026-07-28' } } });
    await client.connect(new StreamableHTTPClientTransport(new URL('/mcp', addr), { requestInit: { headers: { authorization: `Bearer ${b.token}` } } }));
    try {
      const args = { workouts: [{ externalId: 'mcp-1', date: D2, type: 'Run', name: 'Easy', description: '- 40m Z2 HR' }] };
      const one = await client.callTool({ name: 'upsert_planned_workouts', arguments: args });
      const two = await client.callTool({ name: 'upsert_planned_workouts', arguments: args });
      expect(one.isError).toBeFalsy();
      expect((two.structuredContent as PlannedWriteResponse).events[0]!.action).toBe('update');
      expect(fake.events(bIcu).map((e) => e.external_id)).toEqual(['mcp-1']);
      const bad = await client.callTool({ name: 'upsert_planned_workouts', arguments: { workouts: [{ ...args.workouts[0]!, description: '- 10m Z2' }] } });
      expect(bad.isError).toBe(true);
      expect((bad.content as { text: string }[])[0]!.text).toMatch(/Z2 HR/);
      const del = await client.callTool({ name: 'delete_planned_workouts', arguments: { external_ids: ['mcp-1'] } });
      expect((del.structuredContent as PlannedWriteResponse).count).toBe(1);
      expect(fake.events(bIcu)).toEqual([]);
    } finally {
      await client.close();
    }
  });
});
