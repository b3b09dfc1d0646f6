import Fastify, { LogController, type FastifyInstance } from 'fastify';
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { inboxCounts, inboxPendingCount, pingDatabase, type Db } from '@splits/db';
import { healthRoutes, metricsPlugin, useErrorHandler } from '@splits/http';
import type { Redis } from 'ioredis';
import type { Queues } from '@splits/queue';
import { addMetricsCollector, metrics, type Logger } from '@splits/telemetry';
import { createWorkEnqueuer, type WorkEnqueuer } from './work-enqueuer.js';
import { createInboxBatcher, type InboxBatcher } from './inbox-batcher.js';
import { webhookRoutes } from './routes/webhook.route.js';
import { secretDigest } from './webhook.service.js';
import { useJsonBodyParser } from './json-body.js';
import { ipRateLimit } from './ip-rate-limit.js';

/** Intervals.icu's documents nest about 7 levels (envelope, events, activity, intervals, …). */
export const MAX_JSON_DEPTH = 64;

export interface AppDeps {
  db: Db;
  queues: Queues;
  /** The connection the queues use; /ready pings it. */
  redis: Redis;
  log: Logger;
  /** INTERVALS_WEBHOOK_SECRET. */
  secret: string;
  fetchDelayMs: number;
  wellnessDebounceMs?: number;
  calendarDebounceMs?: number;
  /** Shares INSERTs between concurrent deliveries; built here (and closed with the app) when absent. */
  batcher?: InboxBatcher;
  /** Off-path hand-over to the fetch-activity queue; built here (and closed with the app) when absent. */
  enqueuer?: WorkEnqueuer;
  /**
   * Per-IP request budget on the webhook route (see ip-rate-limit.ts); absent or perSec 0 = none.
   * Uses `redis` unless given its own connection.
   */
  rateLimit?: { perSec: number; burst: number; prefix: string; redis?: Redis; timeoutMs?: number };
  /** Proxy hops in front of the ingress whose X-Forwarded-For is trusted for the client IP (0 = none). */
  trustProxyHops?: number;
}

/**
 * The ingress as a fastify instance: routes, the one error handler, and the batchers, which are
 * flushed when the app closes. It never listens and never reads the environment; main.ts does.
 */
export function buildApp(deps: AppDeps): FastifyInstance {
  const hops = deps.trustProxyHops ?? 0;
  const app = Fastify({
    loggerInstance: deps.log,
    // req.ip: the socket's address, or the client named by the `hops` nearest X-Forwarded-For entries.
    trustProxy: hops > 0 ? (_address: string, hop: number) => hop < hops : false,
    // Thousands of deliveries per second: a log line each would cost more than storing them.
    logController: new LogController({ disableRequestLogging: true }),
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  useErrorHandler(app as unknown as FastifyInstance);
  useJsonBodyParser(app as unknown as FastifyInstance, { maxDepth: MAX_JSON_DEPTH });

  const inbox = deps.batcher ?? createInboxBatcher(deps.db);
  const enqueuer = deps.enqueuer ?? createWorkEnqueuer({ db: deps.db, queues: deps.queues, log: deps.log });
  // Runs after the server stopped taking requests and the in-flight ones finished.
  app.addHook('onClose', async () => {
    if (!deps.batcher) await inbox.close();
    if (!deps.enqueuer) await enqueuer.close();
  });

  app.register(healthRoutes({ checks: { postgres: () => pingDatabase(deps.db), redis: () => deps.redis.ping() }, timeoutMs: 1_000 }));
  app.register(metricsPlugin);
  addMetricsCollector('inbox', inboxRowsCollector(deps.db));
  const rateLimit = deps.rateLimit ? ipRateLimit({ ...deps.rateLimit, redis: deps.rateLimit.redis ?? deps.redis, log: deps.log }) : null;
  app.register(
    webhookRoutes({
      secretDigest: secretDigest(deps.secret),
      inbox,
      enqueuer,
      rateLimit,
      routing: { fetchDelayMs: deps.fetchDelayMs, wellnessDebounceMs: deps.wellnessDebounceMs, calendarDebounceMs: deps.calendarDebounceMs },
    }),
  );
  return app as unknown as FastifyInstance;
}

/** How often the whole inbox is counted by status (a scan of up to RETENTION_INBOX_DAYS of rows). */
const FULL_COUNT_EVERY_MS = 5 * 60_000;

/**
 * Scrape time: inbox rows by status. `pending` (the backlog not yet handed to the queue, a small
 * table) on every scrape; the counts of the whole table at most every five minutes.
 */
function inboxRowsCollector(db: Db): () => Promise<void> {
  let countedAt = -Infinity;
  return async () => {
    const gauge = metrics().inboxBacklog;
    if (Date.now() - countedAt < FULL_COUNT_EVERY_MS) {
      gauge.set({ status: 'pending' }, await inboxPendingCount(db));
      return;
    }
    for (const [status, n] of Object.entries(await inboxCounts(db))) gauge.set({ status }, n);
    countedAt = Date.now();
  };
}
