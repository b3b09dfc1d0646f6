import Fastify, { type FastifyBaseLogger, type FastifyError, type FastifyInstance, type FastifyRequest } from 'fastify';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import type { Logger } from 'pino';
import type { Redis } from 'ioredis';
import { HttpError } from '@splits/contracts';
import { pingDatabase, type Db, type EncryptionKeys } from '@splits/db';
import { frameworkErrors, healthRoutes, metricsPlugin, useErrorHandler, useSecurityHeaders } from '@splits/http';
import type { Queues } from '@splits/queue';
import { assetRoutes, loadAssets } from './assets.js';
import { viewOf, type WebDeps } from './context.js';
import { html } from './html.js';
import { cookieNames, readSession } from './session.js';
import { signInRoutes } from './routes/signin.route.js';
import { todayRoutes } from './routes/today.route.js';
import { historyRoutes } from './routes/history.route.js';
import { workoutRoutes } from './routes/workout.route.js';
import { goalsRoutes } from './routes/goals.route.js';
import { connectionsRoutes } from './routes/connections.route.js';
import { privacyRoutes } from './routes/privacy.route.js';
import { trendsRoutes } from './routes/trends.route.js';
import { createAttemptLimiter } from './attempts.js';

export interface AppDeps {
  db: Db;
  log: Logger;
  /** Producers: report write-backs and summary rebuilds (through the outbox). */
  queues: Queues;
  /** Where athletes reach these pages; https makes the cookies Secure and `__Host-`. Form posts must come from this origin. */
  webPublicUrl: string;
  /** The gateway's address (PUBLIC_BASE_URL): connector setup, Intervals.icu reconnect and sign-in. */
  gatewayUrl: string;
  /** Offer "Sign in with Intervals.icu" (the deployment has an Intervals.icu OAuth app, held by the gateway). */
  intervalsSignIn?: boolean;
  /** Opens an OAuth grant to disconnect it when the athlete deletes their account (TOKEN_ENCRYPTION_KEY + old keys); null: no disconnect. */
  keys?: EncryptionKeys | null;
  /** Default https://intervals.icu. */
  intervalsBaseUrl?: string;
  /** For Telegram deep links (t.me/<bot>?start=…); null: the page says what to send instead. */
  telegramBotUsername?: string | null;
  /** Sign-in code attempts per minute per client IP (default 10), counted in Redis when given. */
  signInLimit?: { max?: number; redis?: Redis; prefix?: string };
}

/** The athlete's own pages as a fastify instance; never listens and never reads the environment (main.ts does both). */
export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const app = Fastify({ loggerInstance: deps.log as FastifyBaseLogger, bodyLimit: 64 * 1024, frameworkErrors, trustProxy: 'loopback,uniquelocal' });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  useErrorHandler(app);
  useSecurityHeaders(app, {
    contentSecurityPolicy: {
      useDefaults: false,
      // Scripts only from this origin (no inline script anywhere); chart data travels as JSON.
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        baseUri: ["'none'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        objectSrc: ["'none'"],
      },
    },
    frameguard: { action: 'deny' },
    referrerPolicy: { policy: 'same-origin' },
  });
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) => {
    const form: Record<string, string> = {};
    for (const [k, v] of new URLSearchParams(body as string)) if (!(k in form)) form[k] = v;
    done(null, form);
  });
  app.decorateRequest('signedIn', null);
  // How long the server spent on each answer, for the browser's devtools and bench:web.
  app.addHook('onSend', async (_req, reply) => {
    reply.header('server-timing', `app;dur=${reply.elapsedTime.toFixed(1)}`);
  });

  const secure = new URL(deps.webPublicUrl).protocol === 'https:';
  const { urls, all } = loadAssets();
  const web: WebDeps = { db: deps.db, assets: urls, cookies: cookieNames(secure), secure };
  const intervalsSignIn = deps.intervalsSignIn ? { gatewayUrl: deps.gatewayUrl.replace(/\/+$/, '') } : null;
  assetRoutes(app, all);
  await app.register(healthRoutes({ checks: { postgres: () => pingDatabase(deps.db) } }));
  await app.register(metricsPlugin);

  const origin = new URL(deps.webPublicUrl).origin;
  // A form post from another origin is refused before anything reads it (CSRF tokens stand behind this).
  app.addHook('preHandler', async (req) => {
    if (req.method !== 'POST') return;
    const from = req.headers.origin;
    if (from && from !== origin && from !== 'null') throw new HttpError(403, 'bad_origin', 'cross-origin form post');
  });

  const limiter = createAttemptLimiter({ max: deps.signInLimit?.max ?? 10, redis: deps.signInLimit?.redis, prefix: deps.signInLimit?.prefix ?? 'splits-web-signin' });
  const full: RouteDeps = {
    web,
    db: deps.db,
    queues: deps.queues,
    log: deps.log,
    gatewayUrl: deps.gatewayUrl,
    telegramBotUsername: deps.telegramBotUsername ?? null,
    keys: deps.keys ?? null,
    intervalsBaseUrl: deps.intervalsBaseUrl ?? 'https://intervals.icu',
  };
  await app.register(async (pages) => {
    // Browsers get an HTML page for every refusal; other clients (the page scripts' JSON) get the
    // app's one error handler: {error:{code,message}}.
    pages.setErrorHandler(async (err: FastifyError, req, reply) => {
      if (!wantsHtml(req)) throw err;
      const status = err instanceof HttpError ? err.statusCode : (err.statusCode ?? 500);
      if (status === 401) return reply.redirect('/signin', 303);
      if (status >= 500) req.log.error({ err }, 'page failed');
      const view = await viewOf(web, req);
      const t = view.t.errors;
      const message = err instanceof HttpError && (err.code === 'bad_csrf' || err.code === 'bad_origin') ? t.csrf : status === 404 ? t.notFound : status < 500 ? err.message : t.title;
      return view.send(reply, { title: t.title, status: status >= 400 ? status : 500 }, html`<p class="error" role="alert">${message}</p><p><a href="/">${t.back}</a></p>`);
    });
    await pages.register(signInRoutes, { web, limiter, intervalsSignIn });

    // Everything below needs a live session; it sees and changes only its own athlete's data.
    await pages.register(async (scope) => {
      scope.addHook('onRequest', async (req) => {
        req.signedIn = await readSession(deps.db, web.cookies, req);
        if (!req.signedIn) throw new HttpError(401, 'unauthorized', 'sign in first');
      });
      await scope.register(todayRoutes, full);
      await scope.register(historyRoutes, full);
      await scope.register(workoutRoutes, full);
      await scope.register(trendsRoutes, full);
      await scope.register(goalsRoutes, full);
      await scope.register(connectionsRoutes, full);
      await scope.register(privacyRoutes, full);
    });
  });
  return app;
}

function wantsHtml(req: FastifyRequest): boolean {
  const accept = req.headers.accept ?? '';
  return /\btext\/html\b/.test(accept) || (req.method === 'POST' && !/json/.test(accept));
}

export type RouteDeps = {
  web: WebDeps;
  db: Db;
  queues: Queues;
  log: Logger;
  gatewayUrl: string;
  telegramBotUsername: string | null;
  keys: EncryptionKeys | null;
  intervalsBaseUrl: string;
};
