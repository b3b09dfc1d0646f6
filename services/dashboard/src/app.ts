import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter } from '@bull-board/fastify';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { healthRoutes, metricsPlugin, useErrorHandler, useSecurityHeaders } from '@splits/http';
import { queueNames, type Queues } from '@splits/queue';
import type { Db } from '@splits/db';
import { basicAuth } from './basic-auth.js';
import { overviewRoutes } from './overview.js';

/** bull-board's UI and its JSON API live under this path; `/` redirects here. */
export const BOARD_PATH = '/admin/queues';

export interface DashboardDeps {
  queues: Queues;
  /** The connection the queues were created on; /ready pings it. */
  redis: Pick<Redis, 'ping'>;
  user: string;
  password: string;
  log: Logger;
  /** For the overview's inbox backlog; absent: shown as unknown. */
  db?: Db;
  /** For the overview's Intervals.icu rates (PROMETHEUS_URL); absent: shown as unknown. */
  prometheusUrl?: string;
}

/** The operators' dashboard: the overview (`/`) and bull-board over every queue of the catalog, behind basic auth. Never listens itself. */
export async function buildApp(deps: DashboardDeps): Promise<FastifyInstance> {
  const app = Fastify({ loggerInstance: deps.log as FastifyBaseLogger });
  // Before basic auth, so the 401 carries them too. The board is never framed (its buttons retry,
  // promote and clean jobs), never sniffed, and sends no Referer. The CSP is what bull-board's UI
  // needs: its own scripts only, inline styles, and its fonts from Google.
  useSecurityHeaders(app, {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'", 'https://fonts.googleapis.com'],
        fontSrc: ["'self'", 'https://fonts.gstatic.com', 'data:'],
        imgSrc: ["'self'", 'data:'],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        frameAncestors: ["'none'"],
      },
    },
    frameguard: { action: 'deny' },
    referrerPolicy: { policy: 'no-referrer' },
  });
  app.addHook('onRequest', basicAuth({ user: deps.user, password: deps.password }, ['/health', '/ready', '/metrics']));
  useErrorHandler(app);

  const serverAdapter = new FastifyAdapter();
  serverAdapter.setBasePath(BOARD_PATH);
  // Every queue in the catalog, so a new queue shows up without touching the dashboard.
  createBullBoard({ queues: queueNames.map((name) => new BullMQAdapter(deps.queues[name])), serverAdapter });
  await app.register(serverAdapter.registerPlugin(), { prefix: BOARD_PATH });
  await app.register(overviewRoutes({ queues: deps.queues, db: deps.db, prometheusUrl: deps.prometheusUrl, boardPath: BOARD_PATH }));
  app.get('/', (_req, reply) => reply.redirect('/overview'));

  await app.register(healthRoutes({ checks: { redis: () => deps.redis.ping() } }));
  await app.register(metricsPlugin);
  return app;
}
