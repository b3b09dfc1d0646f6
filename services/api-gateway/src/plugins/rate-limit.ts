import type { FastifyInstance } from 'fastify';
import rateLimit from '@fastify/rate-limit';
import type { Redis } from 'ioredis';
import { RateLimitedError } from '../errors.js';

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
