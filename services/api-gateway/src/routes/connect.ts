import { z } from 'zod';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ErrorBodySchema } from '@splits/contracts';
import { HttpError } from '../errors.js';
import {
  CALLBACK_PATH,
  finishConnect,
  NotConfiguredError,
  readCallback,
  readConnectContext,
  startConnect,
  webSignInContext,
  webSignInReturn,
  type ConnectDeps,
  type Connected,
} from '../services/connect.service.js';
import { AuthorizationExpiredError, type AssistantSignIn } from '../oauth/consent.js';

/**
 * Intervals.icu OAuth connect, for browsers (not part of the assistants' OpenAPI document):
 * `GET /connect/intervals` → Intervals.icu's consent page → `GET /connect/intervals/callback`.
 * Answers 501 when the deployment has no OAuth app. Failures answer HTML to browsers and
 * `{error:{code,message}}` to everyone else. A connect started for an assistant's sign-in (the
 * context names a pending authorization) needs the browser that opened the authorize page at
 * both ends, and ends on Splits' consent page, never directly at the assistant.
 */
export const connectRoutes: FastifyPluginAsyncZod<{ connect: ConnectDeps | null; signIn: AssistantSignIn | null }> = async (app, { connect, signIn }) => {
  // A signed context can name an authorization only where the OAuth server runs; otherwise nothing can complete it.
  const assistant = () => {
    if (!signIn) throw new AuthorizationExpiredError();
    return signIn;
  };
  /** After connecting: an assistant's pending sign-in goes on to Splits' consent page; a plain connect says so. */
  const finish = async (c: Connected, req: FastifyRequest, reply: FastifyReply) => {
    if (c.authorization) {
      const consent = await assistant().signedInThroughIntervals(c.authorization, req.headers.cookie, c.athleteId);
      return reply.header('cache-control', 'no-store').redirect(consent, 303);
    }
    // Started on the web pages: back there with a one-time code only the starting browser can use.
    if (c.webSignIn) return reply.header('cache-control', 'no-store').redirect(await webSignInReturn(connect!, c), 303);
    return sendPage(reply.code(200), 'Connected', connectedText(c));
  };

  app.setErrorHandler((err: FastifyError, req, reply) => {
    if (err instanceof HttpError && wantsHtml(req)) return sendPage(reply.code(err.statusCode), 'Not connected', err.message);
    throw err; // the app's one error handler answers JSON
  });

  app.get('/connect/intervals', {
    schema: {
      hide: true,
      operationId: 'connectIntervals',
      querystring: z.object({
        ctx: z.string().max(2000).optional(),
        /** A sign-in started on the web pages: the hash of the nonce in that browser's cookie there. */
        web: z.string().regex(/^[A-Za-z0-9_-]{43}$/).optional(),
      }),
      response: { 400: ErrorBodySchema, 501: ErrorBodySchema },
    },
    handler: async (req, reply) => {
      if (!connect) throw new NotConfiguredError();
      if (req.query.web && req.query.ctx) throw new HttpError(400, 'bad_request', 'a connect is for the web pages (web) or carries a context (ctx), not both');
      const ctx = req.query.web ? webSignInContext(connect, req.query.web) : readConnectContext(connect, req.query.ctx);
      if (ctx.authorization) await assistant().bound(ctx.authorization, req.headers.cookie);
      return reply.header('cache-control', 'no-store').redirect(startConnect(connect, ctx), 302);
    },
  });

  app.get(CALLBACK_PATH, {
    schema: {
      hide: true,
      operationId: 'connectIntervalsCallback',
      querystring: z.object({
        code: z.string().max(500).optional(),
        state: z.string().max(4000).optional(),
        error: z.string().max(200).optional(),
      }),
      response: { 200: z.string().describe('HTML page'), 303: z.null().describe("on to Splits' consent page, or back to the web pages"), 400: ErrorBodySchema, 403: ErrorBodySchema, 501: ErrorBodySchema, 502: ErrorBodySchema, 503: ErrorBodySchema },
    },
    handler: async (req, reply) => {
      if (!connect) throw new NotConfiguredError();
      const callback = readCallback(connect, req.query);
      // Checked before the code is spent: from any other browser, nothing is connected or completed.
      if (callback.ctx.authorization) await assistant().bound(callback.ctx.authorization, req.headers.cookie);
      return finish(await finishConnect(connect, callback), req, reply);
    },
  });
};

function wantsHtml(req: FastifyRequest): boolean {
  return /\btext\/html\b/.test(req.headers.accept ?? '');
}

function connectedText(c: Connected): string {
  return [
    `Intervals.icu athlete ${c.name ? `${c.name} (${c.intervalsAthleteId})` : c.intervalsAthleteId} is connected to Splits.`,
    `Your training since ${c.backfillFrom} is being imported now; new workouts arrive on their own.`,
    c.telegramLinked ? 'Workout messages will go to the Telegram chat you started from.' : '',
    'What Splits stores and how to export or delete it: /privacy.',
    'You can close this window.',
  ]
    .filter(Boolean)
    .join(' ');
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);

function sendPage(reply: FastifyReply, title: string, text: string) {
  return reply
    .header('cache-control', 'no-store')
    .type('text/html; charset=utf-8')
    .send(
      `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">` +
        `<title>Splits — ${escapeHtml(title)}</title><style>body{font:16px/1.5 system-ui,sans-serif;max-width:36em;margin:4em auto;padding:0 1em}</style></head>` +
        `<body><h1>${escapeHtml(title)}</h1><p>${escapeHtml(text)}</p></body></html>`,
    );
}
