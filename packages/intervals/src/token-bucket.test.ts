import { describe, expect, it } from '@jest/globals';
import { TokenBucket } from './token-bucket.js';
import { backoffDelay, parseRetryAfter } from './retry.js';

/** A clock whose sleep advances time, so throughput is measured without real waiting. */
function fakeClock() {
  const c = { t: 0, now: () => c.t, sleep: async (ms: number) => void (c.t += ms) };
  return c;
}

describe('TokenBucket', () => {
  it('lets a burst through, then holds to the rate', async () => {
    const clock = fakeClock();
    const bucket = new TokenBucket(10, 5, clock);
    for (let i = 0; i < 5; i++) await bucket.take();
    expect(clock.t).toBe(0);
    for (let i = 0; i < 20; i++) await bucket.take();
    expect(clock.t).toBeGreaterThanOrEqual(2000); // 20 more at 10/s
    expect(clock.t).toBeLessThanOrEqual(2010);
  });

  it('serves concurrent callers in order, each waiting its own debt', () => {
    const bucket = new TokenBucket(4, 1, fakeClock());
    expect([bucket.reserve(), bucket.reserve(), bucket.reserve()]).toEqual([0, 250, 500]);
  });

  it('limits real throughput', async () => {
    const bucket = new TokenBucket(50, 1);
    const t0 = Date.now();
    await Promise.all(Array.from({ length: 6 }, () => bucket.take()));
    expect(Date.now() - t0).toBeGreaterThanOrEqual(95); // 5 × 20 ms after the first token
  });
});

describe('retry helpers', () => {
  it('parses Retry-After as seconds or an HTTP date', () => {
    expect(parseRetryAfter('120')).toBe(120_000);
    expect(parseRetryAfter(null)).toBeNull();
    expect(parseRetryAfter('soon')).toBeNull();
    expect(parseRetryAfter('Thu, 16 Apr 2026 07:00:10 GMT', Date.parse('2026-04-16T07:00:00Z'))).toBe(10_000);
    expect(parseRetryAfter('Thu, 16 Apr 2026 07:00:10 GMT', Date.parse('2026-04-16T08:00:00Z'))).toBe(0);
  });

  it('caps full-jitter backoff at maxMs', () => {
    expect(backoffDelay(1, 500, 10_000, () => 1)).toBe(500);
    expect(backoffDelay(3, 500, 10_000, () => 1)).toBe(2000);
    expect(backoffDelay(10, 500, 10_000, () => 1)).toBe(10_000);
    expect(backoffDelay(3, 500, 10_000, () => 0)).toBe(0);
  });
});
