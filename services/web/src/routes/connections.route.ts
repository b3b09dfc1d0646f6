import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { HttpError } from '@splits/contracts';
import {
  createApiToken,
  createTelegramLinkCode,
  getActiveTelegramLink,
  getConnectionState,
  listApiTokens,
  listWebSessions,
  revokeApiToken,
  revokeAthleteWebSessions,
} from '@splits/db';
import type { RouteDeps } from '../app.js';
import { athleteOf, checkCsrf, formOf, viewOf } from '../context.js';
import { connectionsPage, type Fresh } from '../pages/connections.page.js';
import { setCookie } from '../session.js';

/** Connections: Intervals.icu status, the Telegram link, gateway tokens (create once-shown, list, revoke), signed-in browsers, assistant setup. */
export const connectionsRoutes: FastifyPluginAsyncZod<RouteDeps> = async (app, deps) => {
  const render = async (req: FastifyRequest, reply: FastifyReply, fresh: Fresh = {}) => {
    const athleteId = athleteOf(req);
    const [connection, telegram, tokens, sessions, view] = await Promise.all([
      getConnectionState(deps.db, athleteId),
      getActiveTelegramLink(deps.db, athleteId),
      listApiTokens(deps.db, athleteId),
      listWebSessions(deps.db, athleteId),
      viewOf(deps.web, req),
    ]);
    const data = { connection: connection ?? null, telegramLinked: Boolean(telegram), tokens, sessions, currentSession: req.signedIn!.session.id };
    const urls = { gateway: deps.gatewayUrl.replace(/\/+$/, ''), bot: deps.telegramBotUsername };
    return view.send(reply, { title: view.t.connections.title, active: 'connections' }, connectionsPage(view.t, req, data, urls, fresh));
  };

  app.get('/connections', { schema: { hide: true } }, (req, reply) => render(req, reply));

  app.post('/connections/tokens', { schema: { hide: true } }, async (req, reply) => {
    checkCsrf(req);
    const label = (formOf(req).label ?? '').trim().slice(0, 60) || 'web';
    // Shown in this answer only (no redirect that could carry it); only its hash is stored.
    const { id, token } = await createApiToken(deps.db, athleteOf(req), label);
    return render(req, reply, { token: { id, token } });
  });

  app.post('/connections/tokens/revoke', { schema: { hide: true } }, async (req, reply) => {
    checkCsrf(req);
    const id = (formOf(req).id ?? '').slice(0, 64);
    if (!(await revokeApiToken(deps.db, athleteOf(req), id))) throw new HttpError(404, 'not_found', 'no such active token');
    return reply.redirect('/connections#tokens', 303);
  });

  app.post('/connections/telegram', { schema: { hide: true } }, async (req, reply) => {
    checkCsrf(req);
    const { code } = await createTelegramLinkCode(deps.db, athleteOf(req));
    return render(req, reply, { telegramCode: code });
  });

  app.post('/connections/sessions/revoke-all', { schema: { hide: true } }, async (req, reply) => {
    checkCsrf(req);
    await revokeAthleteWebSessions(deps.db, athleteOf(req));
    setCookie(reply, deps.web.cookies.session, '', { maxAgeS: 0, secure: deps.web.secure });
    return reply.redirect('/signin', 303);
  });
};
