import Fastify, { LogController, type FastifyInstance } from 'fastify';
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Db } from '@splits/db';
import type { Redis } from 'ioredis';
import type { Queues } from '@splits/queue';
import type { Logger } from '@splits/telemetry';
import { errorHandler, notFoundHandler } from './error-handler.js';
import { createWorkEnqueuer, type WorkEnqueuer } from './work-enqueuer.js';
import { createInboxBatcher, type InboxBatcher } from './inbox-batcher.js';
import { healthRoutes } from './routes/health.route.js';
import { webhookRoutes } from './routes/webhook.route.js';
import { secretDigest } from './webhook.service.js';

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
}

/**
 * The ingress as a fastify instance: routes, the one error handler, and the batchers, which are
 * flushed when the app closes. It never listens and never reads the environment; main.ts does.
 */
export function buildApp(deps: AppDeps): FastifyInstance {
  const app = Fastify({
    loggerInstance: deps.log,
    // Thousands of deliveries per second: a log line each would cost more than storing them.
    logController: new LogController({ disableRequestLogging: true }),
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.setErrorHandler(errorHandler());
  app.setNotFoundHandler(notFoundHandler);

  const inbox = deps.batcher ?? createInboxBatcher(deps.db);
  const enqueuer = deps.enqueuer ?? createWorkEnqueuer({ db: deps.db, queues: deps.queues, log: deps.log });
  // Runs after the server stopped taking requests and the in-flight ones finished.
  app.addHook('onClose', async () => {
    if (!deps.batcher) await inbox.close();
    if (!deps.enqueuer) await enqueuer.close();
  });

  app.register(healthRoutes({ db: deps.db, redis: deps.redis }));
  app.register(webhookRoutes({ secretDigest: secretDigest(deps.secret), inbox, enqueuer, routing: { fetchDelayMs: deps.fetchDelayMs, wellnessDebounceMs: deps.wellnessDebounceMs, calendarDebounceMs: deps.calendarDebounceMs } }));
  return app as unknown as FastifyInstance;
}
