import { afterAll, describe, expect, it } from '@jest/globals';
import { Redis } from 'ioredis';
import { TEST_REDIS_URL, testQueuePrefix, waitFor } from '@splits/testing';
import { SharedRateLimiter } from './rate-limit.js';

const redis = new Redis(TEST_REDIS_URL);
const prefix = testQueuePrefix('ratelimit');

afterAll(async () => {
  const keys = await redis.keys(`${prefix}*`);
  if (keys.length) await redis.del(...keys);
  await redis.quit();
});

describe('SharedRateLimiter (Redis GCRA)', () => {
  it('paces callers of two separate connections to the shared rate', async () => {
    const other = new Redis(TEST_REDIS_URL);
    try {
      const key = `${prefix}:a`;
      const a = new SharedRateLimiter(redis, { key, ratePerSec: 20 });
      const b = new SharedRateLimiter(other, { key, ratePerSec: 20 });
      const started = Date.now();
      const times: number[] = [];
      await Promise.all(
        Array.from({ length: 30 }, (_, i) => (i % 2 ? a : b).take().then(() => times.push(Date.now() - started))),
      );
      times.sort((x, y) => x - y);
      // 30 requests at 20/s, strictly paced: the last may go at ~1450 ms, never much earlier.
      expect(times[29]).toBeGreaterThanOrEqual(1400);
      // No 1 s window holds more than 20 (+1 for the window edge).
      for (let i = 0; i < times.length; i++) {
        const inWindow = times.filter((t) => t >= times[i]! && t < times[i]! + 1000).length;
        expect(inWindow).toBeLessThanOrEqual(21);
      }
    } finally {
      await other.quit();
    }
  });

  it('lets a burst through at once, then paces', async () => {
    const l = new SharedRateLimiter(redis, { key: `${prefix}:b`, ratePerSec: 10, burst: 5 });
    // Seven reservations sent together reach Redis within microseconds of each other, so each wait is
    // its slot's distance from one instant. (Awaited one by one, a loaded machine let ~100 ms pass
    // between them and the later waits shrank by that much: the test measured the machine.)
    const waits = await Promise.all(Array.from({ length: 7 }, () => l.reserve()));
    expect(waits.slice(0, 5).every((w) => w <= 5)).toBe(true);
    expect(waits[5]).toBeGreaterThan(50);
    expect(waits[6]).toBeGreaterThan(waits[5]! + 50);
  });

  it('admit() refuses without reserving, per subkey, and admits again once a slot is free', async () => {
    const l = new SharedRateLimiter(redis, { key: `${prefix}:c`, ratePerSec: 10, burst: 3 });
    // Sent together, so they reach Redis within microseconds: the waits are GCRA's, not the machine's.
    const [a, b, c, refused, ...knocks] = await Promise.all(Array.from({ length: 24 }, () => l.admit('10.0.0.1')));
    expect([a, b, c]).toEqual([0, 0, 0]);
    expect(refused).toBeGreaterThan(50);
    expect(refused).toBeLessThanOrEqual(100);
    // Refusals reserve nothing: however often a client knocks, its wait does not grow.
    for (const k of knocks) expect(k).toBeLessThanOrEqual(refused!);
    // Another subkey has its own budget.
    expect(await l.admit('10.0.0.2')).toBe(0);
    await waitFor(async () => (await l.admit('10.0.0.1')) === 0, { intervalMs: 10, timeoutMs: 2_000, what: 'a free slot' });
  });
});
