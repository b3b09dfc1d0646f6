import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
export { freePort } from '@splits/config';

export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** Own BullMQ key prefix per test file, so files can share the machine's Redis. */
export function testQueuePrefix(label = 't'): string {
  return `test-${label.replace(/[^a-z0-9]/gi, '')}-${randomBytes(4).toString('hex')}`;
}

/** Polls `fn` until it returns a truthy value or the deadline passes (no fixed sleeps in tests). */
export async function waitFor<T>(
  fn: () => Promise<T> | T,
  { timeoutMs = 15_000, intervalMs = 50, what = 'condition' } = {},
): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v as NonNullable<T>;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${(last as Error).message}` : ''}`);
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

export const TEST_ENCRYPTION_KEY = Buffer.alloc(32, 7).toString('base64');

/** Removes every key under a test's queue prefix (tests and benchmarks leave Redis as they found it). */
export async function dropQueuePrefix(redisUrl: string, prefix: string): Promise<number> {
  const { Redis } = await import('ioredis');
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 1 });
  let removed = 0;
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length) removed += await redis.del(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
  return removed;
}

export const REPO_ROOT = fileURLToPath(new URL('../../..', import.meta.url));
