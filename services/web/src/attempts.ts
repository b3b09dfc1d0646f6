import type { Redis } from 'ioredis';

/** Counts attempts per key in one-minute windows; in Redis across replicas when given, else in this process. */
export interface AttemptLimiter {
  /** true while the key is within its limit (this attempt counted). */
  allow(key: string): Promise<boolean>;
}

export function createAttemptLimiter(o: { max: number; redis?: Redis; prefix: string }): AttemptLimiter {
  const local = new Map<string, { n: number; until: number }>();
  return {
    async allow(key) {
      const window = Math.floor(Date.now() / 60_000);
      if (o.redis) {
        const k = `${o.prefix}:${window}:${key}`;
        try {
          const n = await o.redis.incr(k);
          if (n === 1) await o.redis.expire(k, 120);
          return n <= o.max;
        } catch {
          // Redis away: count here rather than refuse every sign-in.
        }
      }
      const now = Date.now();
      const e = local.get(key);
      if (!e || e.until < now) {
        if (local.size > 10_000) local.clear();
        local.set(key, { n: 1, until: now + 60_000 });
        return true;
      }
      e.n += 1;
      return e.n <= o.max;
    },
  };
}
