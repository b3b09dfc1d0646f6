import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { FastifyInstance } from 'fastify';
import type { Redis } from 'ioredis';
import { UnrecoverableError, Worker } from 'bullmq';
import { createQueues, createRedis, queueNames, type Queues } from '@splits/queue';
import { createLogger } from '@splits/telemetry';
import { TEST_REDIS_URL, testQueuePrefix, waitFor } from '@splits/testing';
import { buildApp, BOARD_PATH } from './app.js';

const USER = 'ops';
const PASSWORD = 'correct horse battery';
const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

let redis: Redis;
let queues: Queues;
let app: FastifyInstance;
const prefix = testQueuePrefix('dash');

beforeAll(async () => {
  redis = createRedis(TEST_REDIS_URL);
  queues = createQueues(redis, prefix);
  app = await buildApp({ queues, redis, user: USER, password: PASSWORD, log: createLogger('dashboard', 'silent') });
});

afterAll(async () => {
  await app?.close();
  await queues?.close();
  // Nothing was added, but leave no keys of this prefix behind either way.
  const keys = await redis.keys(`${prefix}:*`);
  if (keys.length) await redis.del(...keys);
  await redis?.quit();
});

describe('dashboard', () => {
  it.each([
    ['no credentials', undefined],
    ['a wrong password', basic(USER, 'wrong password')],
    ['a wrong user', basic('root', PASSWORD)],
    ['a malformed header', 'Basic !!!'],
    ['a bearer token', 'Bearer abc'],
  ])('answers 401 with a Basic challenge for %s', async (_label, authorization) => {
    for (const url of [BOARD_PATH, `${BOARD_PATH}/api/queues`, '/', '/nope']) {
      const res = await app.inject({ method: 'GET', url, headers: authorization ? { authorization } : {} });
      expect(res.statusCode).toBe(401);
      expect(res.headers['www-authenticate']).toMatch(/^Basic realm=/);
      expect(res.json()).toEqual({ error: { code: 'unauthorized', message: expect.any(String) } });
    }
  });

  it('serves the board UI with the right credentials', async () => {
    const res = await app.inject({ method: 'GET', url: BOARD_PATH, headers: { authorization: basic(USER, PASSWORD) } });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/text\/html/);
    expect(res.body).toContain('Bull Dashboard');
  });

  it('cannot be framed, sniffed or leak a Referer: on the board and on its 401', async () => {
    for (const headers of [{}, { authorization: basic(USER, PASSWORD) }]) {
      const res = await app.inject({ method: 'GET', url: BOARD_PATH, headers });
      expect(res.statusCode).toBe('authorization' in headers ? 200 : 401);
      expect(res.headers['x-frame-options']).toBe('DENY');
      expect(res.headers['content-security-policy']).toContain("frame-ancestors 'none'");
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['referrer-policy']).toBe('no-referrer');
    }
  });

  it('lists every queue of the catalog in its JSON API', async () => {
    const res = await app.inject({ method: 'GET', url: `${BOARD_PATH}/api/queues`, headers: { authorization: basic(USER, PASSWORD) } });
    expect(res.statusCode).toBe(200);
    const body = res.json() as { queues: { name: string }[] };
    expect(body.queues.map((q) => q.name).sort()).toEqual([...queueNames].sort());
  });

  it('redirects / to the overview', async () => {
    const res = await app.inject({ method: 'GET', url: '/', headers: { authorization: basic(USER, PASSWORD) } });
    expect(res.statusCode).toBe(302);
    expect(res.headers.location).toBe('/overview');
  });

  it('the overview shows queue health with links into the board, and retries failed jobs one by one and per queue', async () => {
    const auth = { authorization: basic(USER, PASSWORD) };
    const worker = new Worker('poll-athlete', async () => {
      throw new UnrecoverableError('upstream said no');
    }, { connection: createRedis(TEST_REDIS_URL), prefix });
    for (const athleteId of ['a1', 'a2', 'a3']) await queues['poll-athlete'].add('poll-athlete', { athleteId }, { attempts: 1 });
    await waitFor(async () => (await queues['poll-athlete'].getFailedCount()) === 3, { what: 'three failed jobs' });
    await worker.close();

    const page = await app.inject({ method: 'GET', url: '/overview', headers: auth });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain(`href="${BOARD_PATH}/queue/poll-athlete"`);
    expect(page.body).toContain('retry all 3 failed');
    expect(page.body).toContain('upstream said no');
    expect(page.body).toMatch(/requests\/s \(5 min\)<\/dt><dd><span class="unknown">unknown/); // no Prometheus configured: not guessed
    expect((await app.inject({ method: 'GET', url: '/overview' })).statusCode).toBe(401);

    const [one] = await queues['poll-athlete'].getFailed(0, 0);
    const url = `/overview/queues/poll-athlete/jobs/${one!.id}/retry`;
    const form = { ...auth, 'content-type': 'application/x-www-form-urlencoded', host: 'dash.test' };
    expect((await app.inject({ method: 'POST', url, headers: { ...form, origin: 'https://evil.test' }, payload: '' })).statusCode).toBe(403);
    const retried = await app.inject({ method: 'POST', url, headers: { ...form, origin: 'http://dash.test' }, payload: '' });
    expect([retried.statusCode, retried.headers.location]).toEqual([303, '/overview']);
    expect(await queues['poll-athlete'].getFailedCount()).toBe(2);
    expect((await app.inject({ method: 'POST', url, headers: form, payload: '' })).statusCode).toBe(404); // no longer failed

    const bulk = await app.inject({ method: 'POST', url: '/overview/queues/poll-athlete/retry', headers: form, payload: '' });
    expect(bulk.statusCode).toBe(303);
    expect(await queues['poll-athlete'].getFailedCount()).toBe(0);
    expect(await queues['poll-athlete'].getWaitingCount()).toBe(3);
    expect((await app.inject({ method: 'POST', url: '/overview/queues/nope/retry', headers: form, payload: '' })).statusCode).toBe(404);
  });

  it('serves /health and /ready (Redis ping) without auth', async () => {
    const health = await app.inject({ method: 'GET', url: '/health' });
    expect(health.statusCode).toBe(200);
    const ready = await app.inject({ method: 'GET', url: '/ready' });
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toEqual({ status: 'ready', checks: { redis: 'ok' } });
  });
});
