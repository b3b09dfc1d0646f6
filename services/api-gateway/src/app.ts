import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import swagger from '@fastify/swagger';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import type { Logger } from 'pino';
import type { Redis } from 'ioredis';
import { pingDatabase, type ChangeFeed, type Db, type EncryptionKeys } from '@splits/db';
import { TokenBucket, type RateLimiter } from '@splits/intervals';
import type { Queues } from '@splits/queue';
import { frameworkErrors, healthRoutes, metricsPlugin, useErrorHandler, useSecurityHeaders } from '@splits/http';
import { useBearerAuth } from './plugins/auth.js';
import { createIpLimiter, TRUSTED_PROXIES, useTokenRateLimit } from './plugins/rate-limit.js';
import { meRoutes } from './routes/me.route.js';
import { trainingsRoutes } from './routes/trainings.route.js';
import { summaryRoutes } from './routes/summary.route.js';
import { createSummaryCache } from './services/summary.service.js';
import { createAuthCache } from './services/auth.service.js';
import { TrainingsCache } from './services/trainings.service.js';
import { wellnessRoutes } from './routes/wellness.route.js';
import { eventsRoutes } from './routes/events.route.js';
import { reviewRoutes } from './routes/review.route.js';
import { mcpMethodNotAllowed, mcpRoutes } from './mcp/mcp.route.js';
import { oauthRoutes } from './oauth/oauth.route.js';
import { BrowserBinding } from './oauth/browser-binding.js';
import { AssistantSignIn } from './oauth/consent.js';
import type { CalendarDeps } from './services/calendar.service.js';
import { profileRoutes } from './routes/profile.route.js';
import { connectRoutes } from './routes/connect.js';
import { intervalsSignInUrl, type ConnectDeps } from './services/connect.service.js';
import { accountRoutes } from './routes/account.route.js';
import { privacyRoutes } from './routes/privacy.route.js';

export interface AppDeps {
  db: Db;
  log: Logger;
  /** Producers only (summary rebuild requests); main.ts opens them fail-fast. */
  queues: Queues;
  /** The address assistants reach the gateway at: OpenAPI server URL, OAuth issuer and resource. */
  publicBaseUrl: string;
  /**
   * The keyring (main.ts: TOKEN_ENCRYPTION_KEY + TOKEN_ENCRYPTION_KEYS_OLD): opens Intervals.icu credentials
   * (calendar writes) and OAuth client secrets, and seals new ones under the current key.
   */
  encryptionKey?: EncryptionKeys | null;
  /** Default https://intervals.icu. */
  intervalsBaseUrl?: string;
  /** Intervals.icu requests per second when no shared limiter is given (default 8). */
  intervalsMaxRps?: number;
  /** The Intervals.icu limit shared with every worker process (main.ts: kept in Redis). */
  intervalsLimiter?: RateLimiter;
  /**
   * Per-token rate limit (default 120 requests a minute), and per-IP limits on sign-in code attempts
   * (default 10 a minute) and on bad bearer tokens (default 20 a minute); counted in Redis when given.
   */
  rateLimit?: { max?: number; windowMs?: number; redis?: Redis; nameSpace?: string; loginMax?: number; authFailureMax?: number };
  /** Intervals.icu OAuth connect; null/absent = no OAuth app (the routes answer 501). */
  connect?: ConnectDeps | null;
  /**
   * Postgres change notifications (main.ts: a started ChangeFeed). With it, accepted tokens and
   * summary answers are served from memory until a change drops them; without it, every request
   * reads the database.
   */
  changes?: ChangeFeed | null;
  /** How long GET /summary waits for an athlete's first summary (default FIRST_SUMMARY_WAIT_MS). */
  firstSummaryWaitMs?: number;
}

/** The gateway as a fastify instance; never listens and never reads the environment (main.ts does both). */
export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const app = Fastify({ loggerInstance: deps.log as FastifyBaseLogger, bodyLimit: 1024 * 1024, trustProxy: TRUSTED_PROXIES, frameworkErrors });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  useErrorHandler(app);
  // Every answer, the HTML pages (authorize, sign-in, consent, connect) above all: never framed
  // (clickjacking an Allow button), never sniffed, never leaking its URL (request ids, codes) as a Referer.
  useSecurityHeaders(app, {
    contentSecurityPolicy: {
      useDefaults: false,
      // No scripts anywhere; the pages use inline styles only. No form-action: after Allow the browser
      // is redirected to the client, which form-action would block.
      directives: { defaultSrc: ["'none'"], styleSrc: ["'unsafe-inline'"], baseUri: ["'none'"], frameAncestors: ["'none'"] },
    },
    frameguard: { action: 'deny' },
    referrerPolicy: { policy: 'no-referrer' },
  });
  const limits = { redis: deps.rateLimit?.redis, nameSpace: deps.rateLimit?.nameSpace ?? 'splits-gw-rl-', windowMs: 60_000 };

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Splits',
        version: '1.0.0',
        description: "Prepared training data from the athlete's Intervals.icu workouts, and planned workouts written back to the calendar.",
      },
      servers: [{ url: deps.publicBaseUrl.replace(/\/$/, '') }],
      components: { securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer' } } },
      security: [{ bearerAuth: [] }],
    },
    transform: jsonSchemaTransform,
  });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  const calendar: CalendarDeps = {
    db: deps.db,
    log: deps.log,
    encryptionKey: deps.encryptionKey ?? null,
    intervalsBaseUrl: deps.intervalsBaseUrl ?? 'https://intervals.icu',
    limiter: deps.intervalsLimiter ?? new TokenBucket(deps.intervalsMaxRps ?? 8, 1),
  };

  await app.register(healthRoutes({ checks: { postgres: () => pingDatabase(deps.db) } }));
  await app.register(metricsPlugin);
  await app.register(mcpMethodNotAllowed);
  let signIn: AssistantSignIn | null = null;
  if (deps.encryptionKey && oauthIssuerAllowed(deps.publicBaseUrl)) {
    const connect = deps.connect ?? null;
    const browser = BrowserBinding.fromEncryptionKey(deps.encryptionKey, deps.publicBaseUrl);
    signIn = new AssistantSignIn({ db: deps.db, browser });
    await app.register(oauthRoutes, {
      db: deps.db,
      log: deps.log,
      encryptionKey: deps.encryptionKey,
      publicBaseUrl: deps.publicBaseUrl,
      browser,
      signIn,
      loginLimit: await createIpLimiter(app, { ...limits, max: deps.rateLimit?.loginMax ?? 10, nameSpace: `${limits.nameSpace}login-`, what: 'sign-in attempts' }),
      // With an Intervals.icu OAuth app, the authorize page also offers "Sign in with Intervals.icu".
      intervalsSignInUrl: connect ? (requestId: string) => intervalsSignInUrl(connect, requestId) : undefined,
    });
  } else {
    deps.log.warn('OAuth disabled: it needs TOKEN_ENCRYPTION_KEY and an https PUBLIC_BASE_URL (or localhost); API tokens still work');
  }
  await app.register(connectRoutes, { connect: deps.connect ?? null, signIn });
  await app.register(privacyRoutes);
  const authFailures = await createIpLimiter(app, {
    ...limits,
    max: deps.rateLimit?.authFailureMax ?? 20,
    nameSpace: `${limits.nameSpace}authfail-`,
    what: 'invalid bearer tokens',
  });
  const records = new TrainingsCache(deps.changes);
  const summaries = createSummaryCache(deps.changes, { db: deps.db, log: deps.log });
  // Everything below needs a valid bearer token, is rate-limited per token and sees only its own athlete's data.
  await app.register(async (scope) => {
    useBearerAuth(scope, deps.db, deps.publicBaseUrl, { cache: deps.changes ? createAuthCache(deps.changes) : undefined, failures: authFailures });
    await useTokenRateLimit(scope, {
      max: deps.rateLimit?.max ?? 120,
      windowMs: deps.rateLimit?.windowMs ?? 60_000,
      redis: deps.rateLimit?.redis,
      nameSpace: limits.nameSpace,
    });
    await scope.register(meRoutes, { db: deps.db });
    await scope.register(accountRoutes, {
      db: deps.db,
      queues: deps.queues,
      log: deps.log,
      encryptionKey: deps.encryptionKey ?? null,
      intervalsBaseUrl: calendar.intervalsBaseUrl,
      limiter: calendar.limiter,
    });
    await scope.register(summaryRoutes, { db: deps.db, queues: deps.queues, log: deps.log, cache: summaries, firstSummaryWaitMs: deps.firstSummaryWaitMs });
    await scope.register(trainingsRoutes, { db: deps.db, records });
    await scope.register(wellnessRoutes, { db: deps.db });
    await scope.register(profileRoutes, { db: deps.db, queues: deps.queues, log: deps.log });
    await scope.register(eventsRoutes, calendar);
    await scope.register(reviewRoutes, { db: deps.db });
    await scope.register(mcpRoutes, { ...calendar, queues: deps.queues, records, summaries, firstSummaryWaitMs: deps.firstSummaryWaitMs });
  });
  return app;
}

/** RFC 8414 issuers are https; plain http only on a loopback host (development, tests). */
function oauthIssuerAllowed(publicBaseUrl: string): boolean {
  const u = new URL(publicBaseUrl);
  return !u.search && !u.hash && (u.protocol === 'https:' || ['localhost', '127.0.0.1'].includes(u.hostname));
}
