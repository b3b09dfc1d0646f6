import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import rateLimit from '@fastify/rate-limit';
import type { Redis } from 'ioredis';
import { RateLimitedError } from '../errors.js';

/**
 * Proxies whose X-Forwarded-For is believed when telling a client's address (per-IP limits): a
 * reverse proxy on a private network. Anyone else's header is ignored, so it cannot dodge a limit.
 */
export const TRUSTED_PROXIES = 'loopback, linklocal, uniquelocal';

export interface TokenRateLimit {
  /** Requests per token per window. */
  max: number;
  windowMs: number;
  /** Shared counters across gateway replicas; without it each process counts on its own. */
  redis?: Redis;
  /** Redis key prefix (several deployments or test files can share one Redis). */
  nameSpace?: string;
}

/**
 * Per-token rate limit for every route in `scope`; keyed by the token's hash, so it runs after
 * bearer auth (preValidation). With Redis down, requests pass rather than fail (skipOnError).
 */
export async function useTokenRateLimit(scope: FastifyInstance, opts: TokenRateLimit): Promise<void> {
  await scope.register(rateLimit, {
    global: true,
    hook: 'preValidation',
    max: opts.max,
    timeWindow: opts.windowMs,
    keyGenerator: (req) => req.tokenKey,
    redis: opts.redis,
    nameSpace: opts.nameSpace ?? 'splits-gw-rl-',
    skipOnError: true,
    errorResponseBuilder: (_req, ctx) =>
      new RateLimitedError(`rate limit of ${ctx.max} requests per ${ctx.after} for this token reached; retry in ${Math.ceil(ctx.ttl / 1000)} s`),
  });
}

export interface IpRateLimit {
  /** Attempts per IP per window. */
  max: number;
  windowMs: number;
  /** Shared counters across gateway replicas (the same Redis as the per-token limit). */
  redis?: Redis;
  /** Redis key prefix of this limit; the IP follows it. */
  nameSpace: string;
  /** What is counted, for the 429's message ("sign-in attempts"). */
  what: string;
}

/**
 * A per-IP budget of attempts: `hit` counts one (in Redis), `check` only reads (what this process last
 * heard for that address). Either answers 429 (Retry-After) past the budget.
 */
export interface IpLimiter {
  hit(req: FastifyRequest, reply: FastifyReply): Promise<void>;
  check(req: FastifyRequest, reply: FastifyReply): Promise<void>;
}

/**
 * Per-IP counters in Redis from the same plugin and store as the per-token limit (IPv6 counted per
 * /64). The caller decides what counts as an attempt, so a limit can count only failures (bearer
 * tokens) or every try (sign-in codes). Like the token limit, it lets requests pass while Redis is down.
 */
export async function createIpLimiter(app: FastifyInstance, opts: IpRateLimit): Promise<IpLimiter> {
  let limit!: ReturnType<FastifyInstance['createRateLimit']>;
  // Its own encapsulated scope: the plugin decorates the instance it is registered on.
  await app.register(async (scope) => {
    await scope.register(rateLimit, { global: false, max: opts.max, timeWindow: opts.windowMs, redis: opts.redis, nameSpace: opts.nameSpace, skipOnError: true });
    limit = scope.createRateLimit();
  });
  const refuse = (reply: FastifyReply, retryAfterS: number) => {
    reply.header('retry-after', String(Math.max(1, retryAfterS)));
    return new RateLimitedError(`too many ${opts.what} from this address; retry in ${Math.max(1, retryAfterS)} s`);
  };
  // Addresses whose budget is spent, as this process last heard from Redis (until their window ends).
  // `check` reads only this, so a request that presents a good token costs no Redis round trip; every
  // counted attempt still goes to Redis, so the budget is shared by all replicas.
  const spentUntil = new Map<string, number>();
  return {
    async hit(req, reply) {
      const r = await limit(req);
      if (r.isAllowed) return; // an allow-listed address: not counted
      if (r.remaining === 0) {
        const now = Date.now();
        // Bounded: addresses whose window has ended are dropped once the map grows.
        if (spentUntil.size >= 10_000) for (const [ip, until] of spentUntil) if (until <= now) spentUntil.delete(ip);
        spentUntil.set(req.ip, now + r.ttlInSeconds * 1000);
      }
      if (r.isExceeded) throw refuse(reply, r.ttlInSeconds);
    },
    async check(req, reply) {
      const until = spentUntil.get(req.ip);
      if (until === undefined) return;
      const leftMs = until - Date.now();
      if (leftMs > 0) throw refuse(reply, Math.ceil(leftMs / 1000));
      spentUntil.delete(req.ip);
    },
  };
}
