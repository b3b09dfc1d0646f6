import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { createIntervalsClient, IntervalsHttpError, IntervalsParseError, TokenBucket, type IntervalsClientOptions } from './index.js';

interface Seen {
  method: string;
  url: string;
  authorization: string | undefined;
  userAgent: string | undefined;
  body: string;
}
type Reply = { status: number; body?: unknown; headers?: Record<string, string> };

/** A tiny stand-in for Intervals.icu: answers queued replies in order and records each request. */
let server: Server;
let baseUrl: string;
let seen: Seen[] = [];
let replies: Reply[] = [];

beforeAll(async () => {
  server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      seen.push({ method: req.method ?? '', url: req.url ?? '', authorization: req.headers.authorization, userAgent: req.headers['user-agent'], body });
      const r = replies.shift() ?? { status: 200, body: {} };
      res.writeHead(r.status, { 'content-type': 'application/json', ...r.headers });
      res.end(r.body === undefined ? '' : typeof r.body === 'string' ? r.body : JSON.stringify(r.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});
beforeEach(() => {
  seen = [];
  replies = [];
});

const KEY = 'k3y-s3cr3t-abcdef';
const sleeps: number[] = [];
function client(extra: Partial<IntervalsClientOptions> = {}) {
  sleeps.length = 0;
  return createIntervalsClient({
    baseUrl,
    auth: { kind: 'api_key', secret: KEY },
    maxRps: 1000,
    sleep: async (ms) => void sleeps.push(ms),
    random: () => 0.5,
    ...extra,
  });
}
const activity = { id: 'i1', type: 'Run', start_date_local: '2026-04-16T09:02:09' };

describe('auth and paths', () => {
  it('sends Basic API_KEY:<key> for personal keys, with a descriptive User-Agent', async () => {
    replies.push({ status: 200, body: activity });
    await client().getActivity('i1', { intervals: true });
    expect(seen[0]?.authorization).toBe(`Basic ${Buffer.from(`API_KEY:${KEY}`).toString('base64')}`);
    expect(seen[0]?.url).toBe('/api/v1/activity/i1?intervals=true');
    expect(seen[0]?.userAgent).toMatch(/^Splits\//);
  });

  it('sends Bearer <token> for OAuth', async () => {
    replies.push({ status: 200, body: activity });
    await client({ auth: { kind: 'oauth', secret: 'tok-123456' } }).getActivity('i1');
    expect(seen[0]?.authorization).toBe('Bearer tok-123456');
    expect(seen[0]?.url).toBe('/api/v1/activity/i1');
  });

  it('asks for streams at /streams.json with the types', async () => {
    replies.push({ status: 200, body: [{ type: 'time', data: [0, 1] }, { type: 'heartrate', data: [120, null] }] });
    const streams = await client().getStreams('i1', ['time', 'heartrate']);
    expect(seen[0]?.url).toBe('/api/v1/activity/i1/streams.json?types=time%2Cheartrate');
    expect(streams.map((s) => s.type)).toEqual(['time', 'heartrate']);
  });

  it('writes events with bulk upsert and deletes with bulk-delete', async () => {
    replies.push({ status: 200, body: [{ id: 7, category: 'WORKOUT', external_id: 'plan-1' }] });
    replies.push({ status: 200, body: { eventsDeleted: 1 } });
    const c = client();
    const saved = await c.upsertEvents('0', [{ category: 'WORKOUT', type: 'Run', start_date_local: '2026-05-20T00:00:00', external_id: 'plan-1' }]);
    const del = await c.deleteEvents('0', [{ external_id: 'plan-1' }]);
    expect(saved[0]?.id).toBe(7);
    expect(del).toEqual({ eventsDeleted: 1 });
    expect(seen.map((s) => `${s.method} ${s.url}`)).toEqual(['POST /api/v1/athlete/0/events/bulk?upsert=true', 'PUT /api/v1/athlete/0/events/bulk-delete']);
    expect(JSON.parse(seen[1]?.body ?? '')).toEqual([{ external_id: 'plan-1' }]);
  });

  it('lists activities and events with their query', async () => {
    replies.push({ status: 200, body: [activity] }, { status: 200, body: [] });
    const c = client();
    await c.listActivities('i9', { oldest: '2026-04-01', limit: 5 });
    await c.listEvents('i9', { oldest: '2026-04-01', newest: '2026-04-07', category: ['WORKOUT', 'NOTE'] });
    expect(seen[0]?.url).toBe('/api/v1/athlete/i9/activities?oldest=2026-04-01&limit=5');
    expect(seen[1]?.url).toBe('/api/v1/athlete/i9/events?oldest=2026-04-01&newest=2026-04-07&category=WORKOUT%2CNOTE');
  });
});

describe('parsing', () => {
  it('accepts explicit nulls everywhere Intervals.icu sends them', async () => {
    replies.push({ status: 200, body: { ...activity, icu_ctl: null, icu_atl: null, distance: null, icu_intervals: null, unknown_field: 3 } });
    const a = await client().getActivity('i1');
    expect(a.icu_ctl).toBeNull();
    expect(a.distance).toBeNull();
    expect((a as Record<string, unknown>).unknown_field).toBe(3);
  });

  it('throws a permanent IntervalsParseError on a body that does not match, without retrying', async () => {
    replies.push({ status: 200, body: { type: 'Run' } });
    const err = await client().getActivity('i1').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(IntervalsParseError);
    expect((err as IntervalsParseError).permanent).toBe(true);
    expect((err as Error).message).toContain('id');
    expect(seen).toHaveLength(1);
  });

  it('returns null for a missing wellness day and [] for missing streams', async () => {
    replies.push({ status: 404, body: { status: 404, error: 'Not found' } }, { status: 404, body: '' });
    const c = client();
    expect(await c.getWellness('0', '2026-04-16')).toBeNull();
    expect(await c.getStreams('i1')).toEqual([]);
    expect(seen[0]?.url).toBe('/api/v1/athlete/0/wellness/2026-04-16');
  });
});

describe('retries', () => {
  it('waits at least Retry-After (seconds) on 429, then succeeds', async () => {
    replies.push({ status: 429, headers: { 'retry-after': '7' }, body: { error: 'slow down' } }, { status: 200, body: activity });
    const a = await client().getActivity('i1');
    expect(a.id).toBe('i1');
    expect(seen).toHaveLength(2);
    expect(sleeps).toHaveLength(1);
    expect(sleeps[0]).toBeGreaterThanOrEqual(7000);
  });

  it('honours Retry-After given as an HTTP date', async () => {
    const at = new Date(Date.now() + 5000).toUTCString();
    replies.push({ status: 429, headers: { 'retry-after': at } }, { status: 200, body: activity });
    await client().getActivity('i1');
    expect(sleeps[0]).toBeGreaterThanOrEqual(Date.parse(at) - Date.now() - 50);
    expect(sleeps[0]).toBeGreaterThan(3000);
  });

  it('throws instead of sleeping when Retry-After exceeds maxRetryAfterMs, carrying the wait', async () => {
    replies.push({ status: 429, headers: { 'retry-after': '600' } });
    const err = (await client().getActivity('i1').catch((e: unknown) => e)) as IntervalsHttpError;
    expect(err).toBeInstanceOf(IntervalsHttpError);
    expect(err.retryAfterMs).toBe(600_000);
    expect(err.permanent).toBe(false);
    expect(sleeps).toEqual([]);
  });

  it('retries a 500 with exponential backoff and full jitter', async () => {
    replies.push({ status: 500 }, { status: 502 }, { status: 200, body: activity });
    await client({ baseDelayMs: 100 }).getActivity('i1');
    expect(seen).toHaveLength(3);
    expect(sleeps).toEqual([50, 100]); // random 0.5 × 100·2^(n−1)
  });

  it('gives up after maxAttempts with a retryable error', async () => {
    replies.push({ status: 503 }, { status: 503 }, { status: 503 });
    const err = (await client({ maxAttempts: 3 }).getActivity('i1').catch((e: unknown) => e)) as IntervalsHttpError;
    expect(err.status).toBe(503);
    expect(err.permanent).toBe(false);
    expect(seen).toHaveLength(3);
  });

  it('does not retry a 404, which is permanent', async () => {
    replies.push({ status: 404, body: { status: 404, error: 'Activity not found: i1' } });
    const err = (await client().getActivity('i1').catch((e: unknown) => e)) as IntervalsHttpError;
    expect(err).toBeInstanceOf(IntervalsHttpError);
    expect(err.status).toBe(404);
    expect(err.permanent).toBe(true);
    expect(err.path).toBe('/activity/i1');
    expect(seen).toHaveLength(1);
    expect(sleeps).toEqual([]);
  });

  it('retries network errors', async () => {
    const dead = createServer();
    await new Promise<void>((r) => dead.listen(0, '127.0.0.1', r));
    const port = (dead.address() as AddressInfo).port;
    await new Promise<void>((r) => dead.close(() => r()));
    const err = (await client({ baseUrl: `http://127.0.0.1:${port}`, maxAttempts: 2 })
      .getActivity('i1')
      .catch((e: unknown) => e)) as IntervalsHttpError;
    expect(err.status).toBe(0);
    expect(err.permanent).toBe(false);
    expect(sleeps).toHaveLength(1);
  });
});

describe('credentials', () => {
  it('never puts the key into error messages, even when the server echoes it', async () => {
    const basic = Buffer.from(`API_KEY:${KEY}`).toString('base64');
    replies.push({ status: 403, body: { error: `Access denied for ${KEY} (Basic ${basic})` } });
    const logged: string[] = [];
    const log = { warn: (o: unknown, m: string) => void logged.push(JSON.stringify(o) + m) } as never;
    const err = (await client({ log }).getActivity('i1').catch((e: unknown) => e)) as Error;
    expect(err.message).toContain('403');
    expect(err.message).not.toContain(KEY);
    expect(err.message).not.toContain(basic);
    expect(JSON.stringify(err)).not.toContain(KEY);

    replies.push({ status: 500, body: `oops ${KEY}` }, { status: 200, body: activity });
    await client({ log }).getActivity('i1');
    expect(logged).toHaveLength(1);
    expect(logged.join('')).not.toContain(KEY);
  });
});

describe('rate limiting', () => {
  it('shares one bucket across clients: requests beyond the burst wait their turn', async () => {
    let now = 0;
    const waits: number[] = [];
    const bucket = new TokenBucket(10, 2, { now: () => now, sleep: async (ms) => void waits.push(ms) });
    const a = client({ limiter: bucket });
    const b = client({ limiter: bucket });
    for (let i = 0; i < 4; i++) replies.push({ status: 200, body: activity });
    await Promise.all([a.getActivity('i1'), b.getActivity('i1'), a.getActivity('i1'), b.getActivity('i1')]);
    expect(waits).toEqual([100, 200]);
    now = 1000; // a second later the bucket is full again (burst 2)
    replies.push({ status: 200, body: activity }, { status: 200, body: activity });
    await Promise.all([a.getActivity('i1'), b.getActivity('i1')]);
    expect(waits).toEqual([100, 200]);
  });
});
