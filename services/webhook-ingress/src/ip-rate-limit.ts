import type { FastifyRequest } from 'fastify';
import { SharedRateLimiter } from '@splits/queue';
import type { Redis } from 'ioredis';
import type { Logger } from '@splits/telemetry';
import { RateLimitedError } from './errors.js';

export interface IpRateLimitOptions {
  redis: Redis;
  /** Redis key prefix (QUEUE_PREFIX): deployments and test files sharing a Redis keep apart. */
  prefix: string;
  /** Sustained requests per second per client IP; 0 turns the limit off. */
  perSec: number;
  /** Requests one IP may send at once after a quiet period. */
  burst: number;
  /** Redis slower than this does not hold a delivery up: it is let through. */
  timeoutMs?: number;
  log: Logger;
}

/**
 * A per-IP request budget in Redis (GCRA, shared by every ingress replica), checked before the body is
 * read. It fails open: Redis away, slow or erroring lets the delivery through, because Redis must never
 * decide whether a webhook is stored (Intervals.icu may disable a webhook that keeps failing). Returns
 * an onRequest hook, or null when the limit is off.
 */
export function ipRateLimit(opts: IpRateLimitOptions): ((req: FastifyRequest) => Promise<void>) | null {
  if (!(opts.perSec > 0)) return null;
  const limiter = new SharedRateLimiter(opts.redis, { key: `${opts.prefix}:ratelimit:ingress`, ratePerSec: opts.perSec, burst: opts.burst });
  const timeoutMs = opts.timeoutMs ?? 250;
  let lastWarn = 0;
  const failOpen = (err: unknown) => {
    // One line per 10 s at most: during an outage every delivery comes through here.
    if (Date.now() - lastWarn < 10_000) return;
    lastWarn = Date.now();
    opts.log.warn({ err: (err as Error).message }, 'ingress rate limit unavailable (Redis); letting deliveries through');
  };
  return async (req) => {
    let timer: NodeJS.Timeout | undefined;
    let wait: number;
    try {
      wait = await Promise.race([
        limiter.admit(req.ip),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
        }),
      ]);
    } catch (err) {
      failOpen(err);
      return;
    } finally {
      clearTimeout(timer);
    }
    if (wait > 0) throw new RateLimitedError(Math.max(1, Math.ceil(wait / 1000)));
  };
}
