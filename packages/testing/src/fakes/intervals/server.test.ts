import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { createServer, type Server } from 'node:http';
import { IntervalsActivitySchema, IntervalsStreamsSchema, IntervalsWebhookBodySchema } from '@splits/contracts';
import { waitFor } from '../../util.js';
import { generateAthlete, makeNewActivity, type FakeAthlete } from './generator.js';
import { maxPerSecond, startFakeIntervals, type FakeIntervals } from './server.js';

const now = new Date('2026-05-01T12:00:00Z');
let fake: FakeIntervals;
let anna: FakeAthlete;
let ben: FakeAthlete;
const basic = (key: string) => `Basic ${Buffer.from(`API_KEY:${key}`).toString('base64')}`;
const ANNA = basic('anna-key');

async function get(path: string, authorization: string | null = ANNA) {
  const res = await fetch(`${fake.url}${path}`, { headers: authorization ? { authorization } : {} });
  return { status: res.status, body: (await res.json()) as any, headers: res.headers };
}
async function send(method: string, path: string, body: unknown, authorization = ANNA) {
  const res = await fetch(`${fake.url}${path}`, { method, headers: { authorization, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as any };
}

beforeAll(async () => {
  fake = await startFakeIntervals();
  anna = generateAthlete({ seed: 21, now, weeks: 8 });
  ben = generateAthlete({ seed: 22, now, weeks: 4 });
  fake.addAthlete(anna, { apiKey: 'anna-key', bearer: 'anna-oauth' });
  fake.addAthlete(ben, { apiKey: 'ben-key' });
});
afterAll(() => fake.close());
beforeEach(() => fake.reset());

describe('fake Intervals.icu: auth', () => {
  it('accepts Basic API_KEY and Bearer tokens, rejects missing, wrong or misused credentials', async () => {
    expect((await get('/api/v1/athlete/0')).body.id).toBe(anna.athleteId);
    expect((await get('/api/v1/athlete/0', 'Bearer anna-oauth')).body.id).toBe(anna.athleteId);
    expect((await get('/api/v1/athlete/0', null)).status).toBe(401);
    expect((await get('/api/v1/athlete/0', basic('nope'))).status).toBe(401);
    expect((await get('/api/v1/athlete/0', `Basic ${Buffer.from('admin:anna-key').toString('base64')}`)).status).toBe(401);
    const misuse = await get('/api/v1/athlete/0', 'Bearer anna-key');
    expect(misuse.status).toBe(403);
    expect(misuse.body.error).toBe('Access denied');
  });

  it("never lets one athlete read another's data", async () => {
    expect((await get(`/api/v1/athlete/${ben.athleteId}/activities?oldest=2020-01-01`)).status).toBe(403);
    expect((await get(`/api/v1/activity/${ben.activities[0]!.id}`)).status).toBe(403);
    expect((await get(`/api/v1/athlete/${anna.athleteId}/activities?oldest=2020-01-01`)).status).toBe(200);
    expect((await get('/api/v1/activity/i999999999')).status).toBe(404);
  });

  it('records requests with the auth kind but never the credential', async () => {
    await get('/api/v1/athlete/0');
    await get('/api/v1/athlete/0', 'Bearer anna-key');
    expect(fake.requests.map((r) => [r.method, r.path, r.auth, r.status])).toEqual([
      ['GET', '/api/v1/athlete/0', 'basic', 200],
      ['GET', '/api/v1/athlete/0', 'bearer', 403],
    ]);
    expect(JSON.stringify(fake.requests)).not.toContain('anna-key');
  });
});

describe('fake Intervals.icu: reads', () => {
  it('lists activities newest first, requires oldest, and omits intervals', async () => {
    expect((await get('/api/v1/athlete/0/activities')).status).toBe(422);
    const { body } = await get('/api/v1/athlete/0/activities?oldest=2026-04-01&newest=2026-04-30&limit=5');
    expect(body).toHaveLength(5);
    const dates = body.map((a: any) => a.start_date_local);
    expect([...dates].sort().reverse()).toEqual(dates);
    expect(dates.every((d: string) => d >= '2026-04-01' && d <= '2026-04-30T23:59:59')).toBe(true);
    expect(body[0].icu_intervals).toBeUndefined();
    IntervalsActivitySchema.parse(body[0]);
  });

  it('serves an activity with and without intervals, and the intervals DTO', async () => {
    const thr = anna.activities.find((a) => a.plan.kind === 'threshold')!;
    const plain = await get(`/api/v1/activity/${thr.id}`);
    expect(plain.body.icu_intervals).toBeUndefined();
    expect(plain.body.icu_ctl).toBe(thr.activity.icu_ctl);
    const full = await get(`/api/v1/activity/${thr.id}?intervals=true`);
    expect(full.body.icu_intervals.filter((i: any) => i.type === 'WORK').length).toBeGreaterThanOrEqual(3);
    const dto = await get(`/api/v1/activity/${thr.id}/intervals`);
    expect(dto.body).toEqual({ id: thr.id, analyzed: thr.activity.analyzed, icu_intervals: full.body.icu_intervals, icu_groups: full.body.icu_groups });
  });

  it('serves streams only on a path with an extension, filtered by types', async () => {
    const thr = anna.activities.find((a) => a.plan.kind === 'threshold')!;
    expect((await get(`/api/v1/activity/${thr.id}/streams`)).status).toBe(404);
    const { status, body } = await get(`/api/v1/activity/${thr.id}/streams.json?types=heartrate,time,watts`);
    expect(status).toBe(200);
    IntervalsStreamsSchema.parse(body);
    expect(body.map((s: any) => s.type).sort()).toEqual(['heartrate', 'time']); // a run has no watts
    expect(body[0].data).toHaveLength(thr.activity.moving_time as number);
    const all = await get(`/api/v1/activity/${thr.id}/streams.x`);
    expect(all.body.map((s: any) => s.type)).toEqual(expect.arrayContaining(['distance', 'velocity_smooth', 'cadence', 'altitude', 'latlng']));
  });

  it('serves wellness oldest first and single days', async () => {
    const { body } = await get('/api/v1/athlete/0/wellness?oldest=2026-04-20&newest=2026-04-26');
    expect(body.map((w: any) => w.id)).toEqual(['2026-04-20', '2026-04-21', '2026-04-22', '2026-04-23', '2026-04-24', '2026-04-25', '2026-04-26']);
    const one = await get('/api/v1/athlete/0/wellness/2026-04-22');
    expect(one.body).toEqual(body[2]);
  });
});

describe('fake Intervals.icu: the CTL/ATL quirk and webhooks', () => {
  it('serves a new activity without icu_ctl/icu_atl until it was fetched N times', async () => {
    const fresh = makeNewActivity(anna, { kind: 'threshold', at: new Date('2026-05-01T14:00:00Z') });
    fake.addActivity(anna.athleteId, fresh, { analysedAfterFetches: 2 });
    const first = await get(`/api/v1/activity/${fresh.id}?intervals=true`);
    expect('icu_ctl' in first.body || 'icu_atl' in first.body).toBe(false);
    expect(first.body.icu_training_load).toBe(fresh.activity.icu_training_load);
    const listed = await get('/api/v1/athlete/0/activities?oldest=2026-05-01');
    expect(listed.body[0].id).toBe(fresh.id);
    expect('icu_ctl' in listed.body[0]).toBe(false);
    expect('icu_ctl' in (await get(`/api/v1/activity/${fresh.id}`)).body).toBe(false);
    const third = await get(`/api/v1/activity/${fresh.id}`);
    expect(third.body.icu_ctl).toBe(fresh.activity.icu_ctl);
    expect(third.body.icu_atl).toBe(fresh.activity.icu_atl);
    expect(fake.fetchCount(fresh.id)).toBe(3);
  });

  it('can hold analysis for a time instead', async () => {
    const fresh = makeNewActivity(anna, { kind: 'easy', at: new Date('2026-05-01T15:00:00Z') });
    const started = Date.now();
    fake.addActivity(anna.athleteId, fresh, { analysedAfterMs: 400 });
    expect('icu_ctl' in (await get(`/api/v1/activity/${fresh.id}`)).body).toBe(false);
    await waitFor(async () => 'icu_ctl' in (await get(`/api/v1/activity/${fresh.id}`)).body, { timeoutMs: 5000, what: 'analysis' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(400);
  });

  it('builds and sends the ACTIVITY_UPLOADED envelope like the real sender', async () => {
    const fresh = makeNewActivity(anna, { kind: 'intervals', at: new Date('2026-05-01T16:00:00Z') });
    const body = fake.uploadedWebhook('s3cret', anna.athleteId, fresh);
    const parsed = IntervalsWebhookBodySchema.parse(body);
    expect(parsed.events[0]!.activity!.id).toBe(fresh.id);
    expect(Object.keys(body.events[0]!.activity as object)).not.toEqual(expect.arrayContaining(['icu_ctl']));
    expect('icu_atl' in (body.events[0]!.activity as object) || 'icu_intervals' in (body.events[0]!.activity as object)).toBe(false);

    let seen: { headers: Record<string, unknown>; body: string } | undefined;
    const receiver: Server = createServer((req, res) => {
      let data = '';
      req.on('data', (c) => (data += c));
      req.on('end', () => {
        seen = { headers: req.headers, body: data };
        res.writeHead(202, { 'content-type': 'application/json' }).end('{"ok":true}');
      });
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
    const port = (receiver.address() as { port: number }).port;
    const res = await fake.sendWebhook(`http://127.0.0.1:${port}/webhooks/intervals`, body);
    await new Promise((r) => receiver.close(r));
    expect(res).toEqual({ status: 202, body: { ok: true } });
    expect(seen!.headers['user-agent']).toBe('Java-http-client/17.0.14');
    expect(seen!.headers['content-type']).toBe('application/json');
    expect(JSON.parse(seen!.body)).toEqual(body);
  });
});

describe('fake Intervals.icu: writes, failures, rate', () => {
  it('upserts events by external_id idempotently and deletes them', async () => {
    const plan = [
      { category: 'WORKOUT', type: 'Run', start_date_local: '2026-05-03T00:00:00', name: 'Threshold 4x8', external_id: 'plan-1', description: '- 8m 95% LTHR' },
      { category: 'WORKOUT', type: 'Run', start_date_local: '2026-05-04T00:00:00', name: 'Easy', external_id: 'plan-2' },
    ];
    const first = await send('POST', '/api/v1/athlete/0/events/bulk?upsert=true', plan);
    expect(first.status).toBe(200);
    expect(first.body.map((e: any) => typeof e.id)).toEqual(['number', 'number']);
    const again = await send('POST', '/api/v1/athlete/0/events/bulk?upsert=true', [{ ...plan[0], name: 'Threshold 4x9' }, plan[1]]);
    expect(again.body.map((e: any) => e.id)).toEqual(first.body.map((e: any) => e.id));
    expect(fake.events(anna.athleteId)).toHaveLength(2);
    expect(fake.events(anna.athleteId)[0]!.name).toBe('Threshold 4x9');
    const listed = await get('/api/v1/athlete/0/events?oldest=2026-05-01&newest=2026-05-07&category=WORKOUT');
    expect(listed.body.map((e: any) => e.external_id)).toEqual(['plan-1', 'plan-2']);
    expect((await send('POST', '/api/v1/athlete/0/events/bulk', [plan[0]])).body[0].id).not.toBe(first.body[0].id);
    const del = await send('PUT', '/api/v1/athlete/0/events/bulk-delete', [{ external_id: 'plan-1' }, { id: first.body[1].id }]);
    expect(del.body).toEqual({ eventsDeleted: 3 });
    expect(fake.events(anna.athleteId)).toHaveLength(0);
    expect(fake.writes.map((w) => `${w.method} ${w.path}`)).toEqual([
      'POST /api/v1/athlete/0/events/bulk',
      'POST /api/v1/athlete/0/events/bulk',
      'POST /api/v1/athlete/0/events/bulk',
      'PUT /api/v1/athlete/0/events/bulk-delete',
    ]);
  });

  it('updates an activity description and records the write', async () => {
    const id = anna.activities[3]!.id;
    const res = await send('PUT', `/api/v1/activity/${id}`, { description: 'Felt strong' });
    expect(res.body.description).toBe('Felt strong');
    expect((await get(`/api/v1/activity/${id}`)).body.description).toBe('Felt strong');
    expect(fake.writes).toEqual([expect.objectContaining({ method: 'PUT', path: `/api/v1/activity/${id}`, athleteId: anna.athleteId, body: { description: 'Felt strong' } })]);
    expect((await send('PUT', `/api/v1/activity/${ben.activities[0]!.id}`, { description: 'x' })).status).toBe(403);
  });

  it('injects 429 with Retry-After, then recovers', async () => {
    fake.failNext(/\/activity\//, 429, { retryAfterSec: 3 });
    const id = anna.activities[0]!.id;
    const limited = await get(`/api/v1/activity/${id}`);
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('3');
    expect((await get(`/api/v1/activity/${id}`)).status).toBe(200);
    expect(fake.requests.map((r) => r.status)).toEqual([429, 200]);
  });

  it('measures the busiest second', async () => {
    await Promise.all(Array.from({ length: 12 }, () => get('/api/v1/athlete/0')));
    const rate = fake.requestsPerSecond();
    expect(rate.maxPerSecond).toBe(12);
    expect(rate.bySecond.reduce((a, b) => a + b.count, 0)).toBe(12);
    expect(maxPerSecond([0, 100, 999, 1000, 1500, 2600])).toBe(3);
  });
});

describe('fake Intervals.icu: control endpoints for out-of-process use', () => {
  it('creates a new activity via POST /__fake/new-activity without recording it as API traffic', async () => {
    const res = await fetch(`${fake.url}/__fake/new-activity`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ athleteId: anna.athleteId, kind: 'repetitions', at: '2026-05-01T17:00:00Z', analysedAfterFetches: 1 }),
    });
    const created = (await res.json()) as { activityId: string };
    expect(res.status).toBe(200);
    expect(fake.requests).toHaveLength(0);
    const first = await get(`/api/v1/activity/${created.activityId}`);
    expect(first.body.start_date).toBe('2026-05-01T17:00:00Z');
    expect('icu_ctl' in first.body).toBe(false);
    expect('icu_ctl' in (await get(`/api/v1/activity/${created.activityId}`)).body).toBe(true);
  });
});
