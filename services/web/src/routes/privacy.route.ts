import { Readable } from 'node:stream';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { HttpError, PRIVACY_NOTICE_VERSION, STAYS_ON_INTERVALS } from '@splits/contracts';
import { currentConsents, exportAthleteData, getActiveTelegramLink, getConnectionState, listApiTokens, recordConsent } from '@splits/db';
import { eraseAthlete } from '@splits/queue';
import type { RouteDeps } from '../app.js';
import { athleteOf, checkCsrf, formOf, viewOf } from '../context.js';
import { html } from '../html.js';
import { privacyPage } from '../pages/privacy.page.js';
import { setCookie } from '../session.js';

/** Privacy: the notice, consents (the LLM one can change here), the export and account deletion (issue 15's functions). */
export const privacyRoutes: FastifyPluginAsyncZod<RouteDeps> = async (app, deps) => {
  app.get('/privacy', { schema: { hide: true } }, async (req, reply) => {
    const athleteId = athleteOf(req);
    const [connection, telegram, tokens, consents, view] = await Promise.all([
      getConnectionState(deps.db, athleteId),
      getActiveTelegramLink(deps.db, athleteId),
      listApiTokens(deps.db, athleteId),
      currentConsents(deps.db, athleteId),
      viewOf(deps.web, req),
    ]);
    const state = { intervals: connection?.status === 'active', telegram: Boolean(telegram), tokens: tokens.filter((t) => !t.revoked_at).length, consents };
    return view.send(reply, { title: view.t.privacy.title, active: 'privacy' }, privacyPage(view.t, req, state));
  });

  app.get('/privacy/export', { schema: { hide: true } }, async (req, reply) => {
    const athleteId = athleteOf(req);
    const body = Readable.from(exportAthleteData(deps.db, athleteId, { athleteId, privacyNoticeVersion: PRIVACY_NOTICE_VERSION }));
    return reply
      .header('cache-control', 'no-store')
      .header('content-disposition', `attachment; filename="splits-${athleteId}.json"`)
      .type('application/json; charset=utf-8')
      .send(body);
  });

  app.post('/privacy/consent', { schema: { hide: true } }, async (req, reply) => {
    checkCsrf(req);
    const athleteId = athleteOf(req);
    const form = formOf(req);
    await deps.db.transaction().execute(async (trx) => {
      if (form.acceptNotice === 'on') await recordConsent(trx, { athleteId, kind: 'privacy_notice', granted: true, noticeVersion: PRIVACY_NOTICE_VERSION, source: 'web' });
      await recordConsent(trx, { athleteId, kind: 'llm', granted: form.llm === 'on', noticeVersion: PRIVACY_NOTICE_VERSION, source: 'web' });
    });
    return reply.redirect('/privacy#consents', 303);
  });

  app.post('/privacy/delete', { schema: { hide: true } }, async (req, reply) => {
    checkCsrf(req);
    const athleteId = athleteOf(req);
    const view = await viewOf(deps.web, req);
    if (formOf(req).confirm !== 'DELETE') throw new HttpError(400, 'bad_request', view.t.privacy.deleteConfirm);
    const result = await eraseAthlete({ db: deps.db, queues: deps.queues, log: deps.log, keys: deps.keys, intervals: { baseUrl: deps.intervalsBaseUrl } }, athleteId);
    if (!result) throw new HttpError(404, 'not_found', 'athlete not found');
    req.log.info({ athleteId, jobsRemoved: result.jobsRemoved, intervalsAccess: result.intervalsAccess }, 'athlete deleted from the web page');
    setCookie(reply, deps.web.cookies.session, '', { maxAgeS: 0, secure: deps.web.secure });
    req.signedIn = null;
    return view.send(reply, { title: view.t.privacy.deleted }, html`<p role="status">${view.t.privacy.deletedText}</p><ul>${STAYS_ON_INTERVALS[view.lang].map((s) => html`<li>${s}</li>`)}</ul><p><a href="/signin">${view.t.signIn.title}</a></p>`);
  });
};
