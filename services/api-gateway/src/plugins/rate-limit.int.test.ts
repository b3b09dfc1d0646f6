import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { FastifyInstance } from 'fastify';
import type { Redis } from 'ioredis';
import { createRedis } from '@splits/queue';
import { createLogger } from '@splits/telemetry';
import { createTestDatabase, TEST_REDIS_URL, testQueuePrefix, type TestDatabase } from '@splits/testing';
import { buildApp } from '../app.js';
import { seedAthlete, type SeededAthlete } from '../test-support.js';
import { openTestQueues } from '../test-support.js';

const q = openTestQueues('gwrl');

let tdb: TestDatabase;
let redis: Redis;
let app: FastifyInstance;
let a: SeededAthlete;
let b: SeededAthlete;
const nameSpace = `${testQueuePrefix('gwrl')}-`;

beforeAll(async () => {
  tdb = await createTestDatabase('gwrl');
  redis = createRedis(TEST_REDIS_URL, { failFast: true });
  a = await seedAthlete(tdb.db, 'i8008', ['2026-05-01']);
  b = await seedAthlete(tdb.db, 'i9009', ['2026-05-02']);
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
});
