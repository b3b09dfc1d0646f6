import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { getActiveTelegramLink, getConnectionState, listApiTokens } from '@splits/db';
import type { RouteDeps } from '../app.js';
import { athleteOf, viewOf } from '../context.js';
import { privacyPage } from '../pages/privacy.page.js';

/** Privacy: the notice and what the athlete allowed. */
export const privacyRoutes: FastifyPluginAsyncZod<RouteDeps> = async (app, deps) => {
  app.get('/privacy', { schema: { hide: true } }, async (req, reply) => {
    const athleteId = athleteOf(req);
    const [connection, telegram, tokens, view] = await Promise.all([
      getConnectionState(deps.db, athleteId),
      getActiveTelegramLink(deps.db, athleteId),
      listApiTokens(deps.db, athleteId),
      viewOf(deps.web, req),
    ]);
    const consents = { intervals: connection?.status === 'active', telegram: Boolean(telegram), tokens: tokens.filter((t) => !t.revoked_at).length };
    return view.send(reply, { title: view.t.privacy.title, active: 'privacy' }, privacyPage(view.t, { consents }));
  });
};
