import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { FastifyInstance } from 'fastify';
import type { Redis } from 'ioredis';
import { createRedis } from '@splits/queue';
import { createLogger } from '@splits/telemetry';
import { createTestDatabase, TEST_ENCRYPTION_KEY, TEST_REDIS_URL, testQueuePrefix, type TestDatabase } from '@splits/testing';
import { buildApp } from '../app.js';
import { seedAthlete, type SeededAthlete } from '../test-harness.js';
import { openTestQueues } from '../test-harness.js';

const q = openTestQueues('gwrl');

let tdb: TestDatabase;
let redis: Redis;
let app: FastifyInstance;
let a: SeededAthlete;
let b: SeededAthlete;
let c: SeededAthlete;
const nameSpace = `${testQueuePrefix('gwrl')}-`;

beforeAll(async () => {
  tdb = await createTestDatabase('gwrl');
  // As main.ts: the counters' own connection, auto-pipelined.
  redis = createRedis(TEST_REDIS_URL, { failFast: true, autoPipelining: true });
  a = await seedAthlete(tdb.db, 'i8008', ['2026-05-01']);
  b = await seedAthlete(tdb.db, 'i9009', ['2026-05-02']);
  c = await seedAthlete(tdb.db, 'i9010', ['2026-05-03']);
  app = await buildApp({
    queues: q.queues,
    db: tdb.db,
    log: createLogger('api-gateway', 'silent'),
    publicBaseUrl: 'https://splits.example.com',
    rateLimit: { max: 3, windowMs: 60_000, redis, nameSpace },
  });
});

afterAll(async () => {
  await q.close();
  await app?.close();
  const keys = await redis.keys(`${nameSpace}*`);
  if (keys.length) await redis.del(...keys);
  await redis.quit();
  await tdb?.drop();
});

const get = (token: string) => app.inject({ method: 'GET', url: '/trainings', headers: { authorization: `Bearer ${token}` } });

describe('per-token rate limit', () => {
  it('answers 429 with Retry-After once a token used its budget; other tokens are unaffected', async () => {
    for (let i = 0; i < 3; i++) expect((await get(a.token)).statusCode).toBe(200);
    const limited = await get(a.token);
    expect(limited.statusCode).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(limited.json()).toEqual({ error: { code: 'rate_limited', message: expect.stringMatching(/3 requests per 1 minute/) } });
    expect((await get(b.token)).statusCode).toBe(200);
    // Counted in Redis (shared by replicas), keyed by the token's hash, never the token.
    const keys = await redis.keys(`${nameSpace}*`);
    expect(keys).toHaveLength(2);
    for (const k of keys) expect(k).not.toContain(a.token);
  });

  it('counts a burst sent at once exactly: the commands of one turn share a write, not a count', async () => {
    const statuses = (await Promise.all(Array.from({ length: 12 }, () => get(c.token)))).map((r) => r.statusCode);
    expect(statuses.filter((s) => s === 200)).toHaveLength(3);
    expect(statuses.filter((s) => s === 429)).toHaveLength(9);
  });
});

describe('per-IP limits on sign-in codes and on bad bearer tokens', () => {
  let ipApp: FastifyInstance;
  const ipSpace = `${testQueuePrefix('gwrlip')}-`;

  beforeAll(async () => {
    ipApp = await buildApp({
      queues: q.queues,
      db: tdb.db,
      log: createLogger('api-gateway', 'silent'),
      publicBaseUrl: 'https://splits.example.com',
      encryptionKey: Buffer.from(TEST_ENCRYPTION_KEY, 'base64'),
      rateLimit: { loginMax: 3, authFailureMax: 3, redis, nameSpace: ipSpace },
    });
  });

  afterAll(async () => {
    await ipApp?.close();
    const keys = await redis.keys(`${ipSpace}*`);
    if (keys.length) await redis.del(...keys);
  });

  const login = (ip: string, headers: Record<string, string> = {}) =>
    ipApp.inject({
      method: 'POST',
      url: '/oauth/login',
      remoteAddress: ip,
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
      payload: 'request_id=az_unknown&csrf=x&code=AAAAA-BBBBB',
    });

  it('answers 429 with Retry-After once an address used its sign-in attempts; another address is not limited', async () => {
    for (let i = 0; i < 3; i++) expect((await login('203.0.113.10')).statusCode).toBe(400);
    const limited = await login('203.0.113.10');
    expect(limited.statusCode).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(limited.json()).toEqual({ error: { code: 'rate_limited', message: expect.stringMatching(/too many sign-in attempts/) } });
    expect((await login('203.0.113.11')).statusCode).toBe(400);
    // A client cannot step around it with its own X-Forwarded-For; only a trusted proxy's (loopback here) counts.
    expect((await login('203.0.113.10', { 'x-forwarded-for': '198.51.100.7' })).statusCode).toBe(429);
    expect((await login('127.0.0.1', { 'x-forwarded-for': '203.0.113.10' })).statusCode).toBe(429);
    expect((await login('127.0.0.1', { 'x-forwarded-for': '203.0.113.12' })).statusCode).toBe(400);
    // Counted in Redis (shared by replicas), one counter per address.
    expect((await redis.keys(`${ipSpace}login-*`)).sort()).toEqual([`${ipSpace}login-203.0.113.10`, `${ipSpace}login-203.0.113.11`, `${ipSpace}login-203.0.113.12`]);
  });

  it('refuses an address that sent too many bad bearer tokens, even its good ones; other addresses and calls without a token are not limited', async () => {
    const me = (ip: string, token?: string) =>
      ipApp.inject({ method: 'GET', url: '/me', remoteAddress: ip, headers: token ? { authorization: `Bearer ${token}` } : {} });
    for (let i = 0; i < 3; i++) expect((await me('203.0.113.20', `spa_guess${i}`)).statusCode).toBe(401);
    const limited = await me('203.0.113.20', 'spa_guess3');
    expect(limited.statusCode).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(limited.json()).toEqual({ error: { code: 'rate_limited', message: expect.stringMatching(/too many invalid bearer tokens/) } });
    // Past the budget no token from that address is even looked up, so a lucky guess would not tell.
    expect((await me('203.0.113.20', a.token)).statusCode).toBe(429);
    expect((await me('203.0.113.21', 'spa_guess')).statusCode).toBe(401);
    expect((await me('203.0.113.21', a.token)).statusCode).toBe(200);
    // A call without a token (how OAuth discovery starts) is no failed guess.
    for (let i = 0; i < 5; i++) expect((await me('203.0.113.22')).statusCode).toBe(401);
    expect((await me('203.0.113.22', a.token)).statusCode).toBe(200);
    expect(await redis.keys(`${ipSpace}authfail-*`)).toHaveLength(2);
  });
});
