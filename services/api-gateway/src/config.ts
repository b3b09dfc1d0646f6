import { z } from 'zod';
import { env } from '@splits/config';

export const GatewayConfigSchema = z
  .object({
    ...env.base,
    ...env.database,
    ...env.redis,
    ...env.intervals,
    ...env.ports.gateway,
    ...env.host,
    ...env.publicBaseUrl,
    /** The athletes' web pages: where "Sign in with Intervals.icu" started there returns to. Unset: that sign-in is refused. */
    ...env.webPublicUrl,
    // Intervals.icu OAuth connect (optional): the app's credentials; the key that seals tokens.
    ...env.intervalsOAuth,
    /** Optional here: without it the gateway serves reads with API tokens, but no calendar writes, no OAuth, no connect. */
    TOKEN_ENCRYPTION_KEY: env.encryption.TOKEN_ENCRYPTION_KEY.optional(),
    TOKEN_ENCRYPTION_KEYS_OLD: env.encryption.TOKEN_ENCRYPTION_KEYS_OLD,
    INTERVALS_MAX_RPS: env.fetching.INTERVALS_MAX_RPS,
    /** Requests per minute per token (API or OAuth), counted in Redis across replicas. */
    GATEWAY_RATE_LIMIT_PER_MIN: z.coerce.number().int().positive().default(120),
    /** Sign-in code attempts (POST /oauth/login) per minute per client IP, counted in Redis. */
    GATEWAY_LOGIN_LIMIT_PER_MIN: z.coerce.number().int().positive().default(10),
    /** Invalid bearer tokens per minute per client IP; past it the IP gets 429 before any token is checked. */
    GATEWAY_AUTH_FAILURE_LIMIT_PER_MIN: z.coerce.number().int().positive().default(20),
    /**
     * Where the change feed LISTENs (the in-memory token and summary caches), when DATABASE_URL goes
     * through a transaction-mode pooler that cannot carry LISTEN: a direct connection to the same
     * database. Unset: DATABASE_URL.
     */
    CHANGE_FEED_DATABASE_URL: z.string().url().optional(),
    /** How much history a new connection imports. */
    BACKFILL_WEEKS: z.coerce.number().int().min(1).max(520).default(26),
  })
  .superRefine((c, ctx) => {
    if (Boolean(c.INTERVALS_CLIENT_ID) !== Boolean(c.INTERVALS_CLIENT_SECRET)) {
      ctx.addIssue({
        code: 'custom',
        path: [c.INTERVALS_CLIENT_ID ? 'INTERVALS_CLIENT_SECRET' : 'INTERVALS_CLIENT_ID'],
        message: 'set both INTERVALS_CLIENT_ID and INTERVALS_CLIENT_SECRET, or neither',
      });
    }
    if (c.INTERVALS_CLIENT_ID && !c.TOKEN_ENCRYPTION_KEY) {
      ctx.addIssue({ code: 'custom', path: ['TOKEN_ENCRYPTION_KEY'], message: "required for OAuth connect (it seals the athletes' tokens)" });
    }
  });
export type GatewayConfig = z.infer<typeof GatewayConfigSchema>;
