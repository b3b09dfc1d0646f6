import { z } from 'zod';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { HttpError } from '@splits/contracts';
import { consumeLoginCode, createWebSession, revokeWebSessionByToken, WEB_SESSION_TTL_MS } from '@splits/db';
import type { AttemptLimiter } from '../attempts.js';
import { formOf, viewOf, type WebDeps } from '../context.js';
import { isLang, LANG_COOKIE } from '../i18n.js';
import { signInPage } from '../pages/signin.page.js';
import { bindingOf, newPreAuthToken, readCookie, readSession, sameToken, setCookie } from '../session.js';

/** A local path to come back to (never another origin: `//host` or `/\\host`). */
export const localPath = (next: string | undefined) => (next && /^\/(?![/\\])/.test(next) ? next : '/');

/** How long a sign-in through Intervals.icu may take, from the button to the return. */
const INTERVALS_SIGNIN_S = 15 * 60;

/**
 * Sign in with a one-time code (Telegram /login or `pnpm splits login-code`) or through Intervals.icu,
 * sign out, and the language switch. The sign-in form's CSRF token is the double-submit value of a
 * pre-sign-in cookie.
 *
 * Through Intervals.icu: the button leaves a random nonce in this browser's cookie and goes to the
 * gateway's OAuth connect with the nonce's hash; the gateway connects the athlete (creating them if
 * new) and sends the browser back with a one-time code and that hash. The code is taken only by the
 * browser holding the nonce, so a link made by someone else (login CSRF) signs nobody in.
 */
export const signInRoutes: FastifyPluginAsyncZod<{ web: WebDeps; limiter: AttemptLimiter; intervalsSignIn: { gatewayUrl: string } | null }> = async (
  app,
  { web, limiter, intervalsSignIn },
) => {
  const preCookie = (maxAgeS: number, value: string) => ({ maxAgeS, secure: web.secure, value });

  /** A new session for the athlete (rotation: whatever session this browser had ends here), then Today. */
  const startSession = async (req: FastifyRequest, reply: FastifyReply, athleteId: string, method: 'code' | 'intervals') => {
    const { token } = await createWebSession(web.db, {
      athleteId,
      method,
      userAgent: req.headers['user-agent'] ?? null,
      replacing: readCookie(req.headers.cookie, web.cookies.session),
    });
    setCookie(reply, web.cookies.session, token, { maxAgeS: WEB_SESSION_TTL_MS / 1000, secure: web.secure });
    setCookie(reply, web.cookies.preAuth, '', { maxAgeS: 0, secure: web.secure });
    setCookie(reply, web.cookies.intervals, '', { maxAgeS: 0, secure: web.secure });
    req.log.info({ athleteId, method }, 'web sign-in');
    return reply.redirect('/', 303);
  };

  app.get('/signin', { schema: { hide: true, querystring: z.object({ code: z.string().max(40).optional() }) } }, async (req, reply) => {
    // Shown to a signed-in browser too (signing in again, as someone else, rotates its session).
    const pre = readCookie(req.headers.cookie, web.cookies.preAuth) ?? newPreAuthToken();
    const c = preCookie(3600, pre);
    setCookie(reply, web.cookies.preAuth, c.value, c);
    const view = await viewOf(web, req);
    return view.send(reply, { title: view.t.signIn.title }, signInPage(view.t, { csrf: pre, code: req.query.code ?? '', intervals: Boolean(intervalsSignIn) }));
  });

  app.post('/signin', { schema: { hide: true } }, async (req, reply) => {
    const form = formOf(req);
    const pre = readCookie(req.headers.cookie, web.cookies.preAuth);
    if (!pre || !sameToken(form.csrf, pre)) throw new HttpError(403, 'bad_csrf', 'csrf');
    const view = await viewOf(web, req);
    const again = (error: string, status: number) =>
      view.send(reply, { title: view.t.signIn.title, status }, signInPage(view.t, { csrf: pre, code: '', error, intervals: Boolean(intervalsSignIn) }));
    if (!(await limiter.allow(req.ip))) return again(view.t.signIn.limited, 429);
    const code = (form.code ?? '').slice(0, 40);
    const athleteId = code ? await consumeLoginCode(web.db, code) : null;
    if (!athleteId) return again(view.t.signIn.bad, 400);
    return startSession(req, reply, athleteId, 'code');
  });

  // A link, not a form: it only starts a round trip; nothing is signed in until this browser comes back.
  app.get('/signin/intervals', { schema: { hide: true } }, async (_req, reply) => {
    if (!intervalsSignIn) throw new HttpError(404, 'not_found', 'sign-in with Intervals.icu is not offered here');
    const nonce = newPreAuthToken();
    setCookie(reply, web.cookies.intervals, nonce, { maxAgeS: INTERVALS_SIGNIN_S, secure: web.secure });
    return reply.header('cache-control', 'no-store').redirect(`${intervalsSignIn.gatewayUrl}/connect/intervals?web=${bindingOf(nonce)}`, 303);
  });

  app.get(
    '/signin/intervals/done',
    { schema: { hide: true, querystring: z.object({ code: z.string().max(40).optional(), binding: z.string().max(100).optional() }) } },
    async (req, reply) => {
      if (!intervalsSignIn) throw new HttpError(404, 'not_found', 'sign-in with Intervals.icu is not offered here');
      const view = await viewOf(web, req);
      const pre = readCookie(req.headers.cookie, web.cookies.preAuth) ?? newPreAuthToken();
      setCookie(reply, web.cookies.preAuth, pre, { maxAgeS: 3600, secure: web.secure });
      const fail = (error: string, status: number) =>
        view.send(reply, { title: view.t.signIn.title, status }, signInPage(view.t, { csrf: pre, code: '', error, intervals: true }));
      if (!(await limiter.allow(req.ip))) return fail(view.t.signIn.limited, 429);
      // Only the browser that pressed the button holds the nonce whose hash came back.
      const nonce = readCookie(req.headers.cookie, web.cookies.intervals);
      if (!nonce || !req.query.binding || !sameToken(req.query.binding, bindingOf(nonce))) return fail(view.t.signIn.otherBrowser, 400);
      const athleteId = req.query.code ? await consumeLoginCode(web.db, req.query.code) : null;
      if (!athleteId) return fail(view.t.signIn.bad, 400);
      return startSession(req, reply, athleteId, 'intervals');
    },
  );

  app.post('/signout', { schema: { hide: true } }, async (req, reply) => {
    const signedIn = await readSession(web.db, web.cookies, req);
    if (signedIn) {
      if (!sameToken(formOf(req).csrf, signedIn.csrf)) throw new HttpError(403, 'bad_csrf', 'csrf');
      await revokeWebSessionByToken(web.db, signedIn.token);
    }
    setCookie(reply, web.cookies.session, '', { maxAgeS: 0, secure: web.secure });
    return reply.redirect('/signin', 303);
  });

  // A link, not a form: it changes only this browser's language cookie.
  app.get('/lang/:lang', { schema: { hide: true, params: z.object({ lang: z.string().max(5) }), querystring: z.object({ next: z.string().max(500).optional() }) } }, async (req, reply) => {
    if (!isLang(req.params.lang)) throw new HttpError(404, 'not_found', 'unknown language');
    setCookie(reply, LANG_COOKIE, req.params.lang, { maxAgeS: 365 * 86_400, secure: web.secure });
    return reply.redirect(localPath(req.query.next), 303);
  });
};
