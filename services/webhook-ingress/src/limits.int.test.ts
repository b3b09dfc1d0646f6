import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { sql } from 'kysely';
import type { FastifyInstance } from 'fastify';
import { createRedis } from '@splits/queue';
import { startRedisServer, testQueuePrefix, waitFor } from '@splits/testing';
import { INTERVALS_ATHLETE_ID, SECRET, startHarness, uploadedBody, type Harness } from './test-harness.js';
import { WEBHOOK_BODY_LIMIT } from './routes/webhook.route.js';

/** What an unauthenticated or careless sender can cost the ingress, and how each is refused. */
let h: Harness;
beforeAll(async () => {
  h = await startHarness('limits');
});
afterAll(async () => {
  await h?.close();
});

const post = (body: unknown, opts: { app?: FastifyInstance; ip?: string } = {}) =>
  (opts.app ?? h.app).inject({
    method: 'POST',
    url: '/webhooks/intervals',
    headers: { 'content-type': 'application/json' },
    payload: typeof body === 'string' ? body : JSON.stringify(body),
    ...(opts.ip ? { remoteAddress: opts.ip } : {}),
  });
const inboxCount = async () => Number((await h.db.selectFrom('webhook_inbox').select(sql<string>`count(*)`.as('n')).executeTakeFirstOrThrow()).n);
const expectRefusal = (res: Awaited<ReturnType<typeof post>>, status: number) => {
  expect(res.statusCode).toBe(status);
  expect(res.json()).toEqual({ error: { code: expect.any(String), message: expect.any(String) } });
  expect(res.body).not.toContain(SECRET);
};
const nested = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;

describe('the secret is checked before the events are validated', () => {
  it('answers 401, not 400, to a wrong secret with an invalid events array', async () => {
    for (const events of ['not-an-array', [{ type: 'ACTIVITY_UPLOADED' }], Array.from({ length: 5_000 }, () => ({}))]) {
      const res = await post({ secret: 'not-the-secret', events });
      expectRefusal(res, 401);
      expect(res.json().error.code).toBe('unauthorized');
    }
    // A missing or non-string secret is just as wrong.
    expectRefusal(await post({ events: [{ type: 'ACTIVITY_UPLOADED' }] }), 401);
    expectRefusal(await post({ secret: { $ne: null }, events: [] }), 401);
    // With the right secret, the same events are validated.
    expectRefusal(await post({ secret: SECRET, events: 'not-an-array' }), 400);
    expectRefusal(await post({ secret: SECRET, events: Array.from({ length: 1_001 }, () => ({})) }), 400);
  });

  it('refuses a wrong secret with a huge events array at the cost of a parse (401)', async () => {
    const events = Array.from({ length: 50_000 }, (_, i) => ({ athlete_id: INTERVALS_ATHLETE_ID, type: 'ACTIVITY_UPLOADED', activity: { id: i } }));
    const body = JSON.stringify({ secret: `${SECRET}x`, events });
    expect(body.length).toBeLessThan(WEBHOOK_BODY_LIMIT);
    const before = await inboxCount();
    expectRefusal(await post(body), 401);
    expect(await inboxCount()).toBe(before);
  });
});

describe('bodies that are too deep, too large or not JSON get a 4xx, never a 5xx', () => {
  const inActivity = (depth: number, withTimestamp: boolean) =>
    `{"secret":"${SECRET}","events":[{"athlete_id":"${INTERVALS_ATHLETE_ID}","type":"ACTIVITY_UPLOADED",${withTimestamp ? '"timestamp":"2026-04-16T07:40:42Z",' : ''}"activity":{"id":"i700001","deep":${nested(depth)}}}]}`;

  it.each([
    ['a 10,000-deep array as the body', nested(10_000), 400],
    ['10,000 levels inside an activity (Postgres would run out of stack)', inActivity(10_000, true), 400],
    ['10,000 levels inside an activity without a timestamp (hashing it would overflow)', inActivity(10_000, false), 400],
    ['10,000 levels behind a wrong secret', `{"secret":"wrong","events":${nested(10_000)}}`, 400],
    ['a body over the 5 MB limit', `{"secret":"${SECRET}","events":[],"pad":"${'x'.repeat(WEBHOOK_BODY_LIMIT)}"}`, 413],
    ['malformed JSON', `{"secret":"${SECRET}","events":[{"athlete_id":`, 400],
  ])('%s', async (_what, body, status) => {
    const before = await inboxCount();
    expectRefusal(await post(body), status);
    expect(await inboxCount()).toBe(before);
  });

  it('still takes real payloads, nested as Intervals.icu nests them', async () => {
    const body = uploadedBody('i700002');
    const activity = body.events[0]!.activity as Record<string, unknown>;
    activity.icu_intervals = [{ id: 1, zones: [[{ secs: [1, 2] }]] }];
    const res = await post(body);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ ok: true, received: 1, stored: 1 });
    const withCharset = await h.app.inject({
      method: 'POST',
      url: '/webhooks/intervals',
      headers: { 'content-type': 'application/json; charset=utf-8' },
      payload: JSON.stringify(uploadedBody('i700003')),
    });
    expect(withCharset.json()).toEqual({ ok: true, received: 1, stored: 1 });
  });
});

describe('per-IP rate limit', () => {
  it('answers 429 {error} with Retry-After beyond the budget, per IP, before reading the body', async () => {
    const app = await h.build({ rateLimit: { perSec: 0.5, burst: 2, prefix: testQueuePrefix('rl') } });
    const ip = '203.0.113.7';
    expect((await post(uploadedBody('i700010'), { app, ip })).statusCode).toBe(200);
    expect((await post(uploadedBody('i700011'), { app, ip })).statusCode).toBe(200);
    const before = await inboxCount();
    const limited = await post(uploadedBody('i700012'), { app, ip });
    expectRefusal(limited, 429);
    expect(limited.json().error.code).toBe('rate_limited');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(Number(limited.headers['retry-after'])).toBeLessThanOrEqual(2);
    // Refused before the body was read: not even a wrong secret or bad JSON gets further.
    expectRefusal(await post('{not json', { app, ip }), 429);
    expect(await inboxCount()).toBe(before);
    // Another address has its own budget; health checks have none.
    expect((await post(uploadedBody('i700013'), { app, ip: '203.0.113.8' })).statusCode).toBe(200);
    expect((await app.inject({ method: 'GET', url: '/health', remoteAddress: ip })).statusCode).toBe(200);
  });

  it('behind a trusted proxy, counts the client named by X-Forwarded-For, not the proxy', async () => {
    const viaProxy = (app: FastifyInstance, client: string, id: string) =>
      app.inject({ method: 'POST', url: '/webhooks/intervals', remoteAddress: '10.0.0.2', headers: { 'x-forwarded-for': client }, payload: uploadedBody(id) });
    const trusting = await h.build({ trustProxyHops: 1, rateLimit: { perSec: 0.5, burst: 1, prefix: testQueuePrefix('rlproxy') } });
    expect((await viaProxy(trusting, '192.0.2.1', 'i700030')).statusCode).toBe(200);
    expect((await viaProxy(trusting, '192.0.2.2', 'i700031')).statusCode).toBe(200);
    expect((await viaProxy(trusting, '192.0.2.1', 'i700032')).statusCode).toBe(429);
    // Not trusted (the default): a forged header buys nothing, the socket's address is what counts.
    const plain = await h.build({ rateLimit: { perSec: 0.5, burst: 1, prefix: testQueuePrefix('rlplain') } });
    expect((await viaProxy(plain, '192.0.2.1', 'i700033')).statusCode).toBe(200);
    expect((await viaProxy(plain, '192.0.2.3', 'i700034')).statusCode).toBe(429);
  });

  it('fails open: with its Redis down or stalled, deliveries are still stored and acknowledged', async () => {
    const redisServer = await startRedisServer();
    const limiterRedis = createRedis(redisServer.url, { failFast: true });
    try {
      const app = await h.build({ rateLimit: { perSec: 0.1, burst: 1, prefix: testQueuePrefix('rlopen'), redis: limiterRedis, timeoutMs: 200 } });
      const ip = '198.51.100.1';
      await waitFor(() => limiterRedis.status === 'ready', { what: 'the limiter connection' });
      expect((await post(uploadedBody('i700020'), { app, ip })).statusCode).toBe(200);
      expect((await post(uploadedBody('i700021'), { app, ip })).statusCode).toBe(429); // the limit is live

      await redisServer.stop();
      await waitFor(() => limiterRedis.status !== 'ready', { what: 'the client to notice' });
      const down = await post(uploadedBody('i700022'), { app, ip });
      expect(down.statusCode).toBe(200);
      expect(down.json()).toEqual({ ok: true, received: 1, stored: 1 });
      expect(h.logLines.some((l) => l.includes('ingress rate limit unavailable'))).toBe(true);

      // A Redis that accepts the command but does not answer holds nobody up for long.
      await redisServer.start();
      await waitFor(() => limiterRedis.status === 'ready', { timeoutMs: 20_000, what: 'the client to reconnect' });
      const admin = createRedis(redisServer.url);
      try {
        await admin.call('CLIENT', 'PAUSE', '3000', 'ALL');
        const started = Date.now();
        const stalled = await post(uploadedBody('i700023'), { app, ip: '198.51.100.2' });
        expect(stalled.statusCode).toBe(200);
        expect(Date.now() - started).toBeLessThan(2_000);
      } finally {
        admin.disconnect();
      }
      const stored = await h.db.selectFrom('webhook_inbox').select('activity_id').where('activity_id', 'in', ['i700022', 'i700023']).execute();
      expect(stored).toHaveLength(2);
    } finally {
      limiterRedis.disconnect();
      await redisServer.destroy();
    }
  }, 60_000);
});
