import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { HttpError } from '@splits/contracts';
import { consumeLoginCode, createWebSession, revokeWebSessionByToken, WEB_SESSION_TTL_MS } from '@splits/db';
import type { AttemptLimiter } from '../attempts.js';
import { formOf, viewOf, type WebDeps } from '../context.js';
import { isLang, LANG_COOKIE } from '../i18n.js';
import { signInPage } from '../pages/signin.page.js';
import { newPreAuthToken, readCookie, readSession, sameToken, setCookie } from '../session.js';

/** A local path to come back to (never another origin: `//host` or `/\\host`). */
export const localPath = (next: string | undefined) => (next && /^\/(?![/\\])/.test(next) ? next : '/');

/**
 * Sign in with a one-time code (Telegram /login or `pnpm splits login-code`), sign out, and the
 * language switch. The sign-in form's CSRF token is the double-submit value of a pre-sign-in cookie.
 */
export const signInRoutes: FastifyPluginAsyncZod<{ web: WebDeps; limiter: AttemptLimiter }> = async (app, { web, limiter }) => {
  const preCookie = (maxAgeS: number, value: string) => ({ maxAgeS, secure: web.secure, value });

  app.get('/signin', { schema: { hide: true, querystring: z.object({ code: z.string().max(40).optional() }) } }, async (req, reply) => {
    // Shown to a signed-in browser too (signing in again, as someone else, rotates its session).
    const pre = readCookie(req.headers.cookie, web.cookies.preAuth) ?? newPreAuthToken();
    const c = preCookie(3600, pre);
    setCookie(reply, web.cookies.preAuth, c.value, c);
    const view = await viewOf(web, req);
    return view.send(reply, { title: view.t.signIn.title }, signInPage(view.t, { csrf: pre, code: req.query.code ?? '' }));
  });

  app.post('/signin', { schema: { hide: true } }, async (req, reply) => {
    const form = formOf(req);
    const pre = readCookie(req.headers.cookie, web.cookies.preAuth);
    if (!pre || !sameToken(form.csrf, pre)) throw new HttpError(403, 'bad_csrf', 'csrf');
    const view = await viewOf(web, req);
    const again = (error: string, status: number) =>
      view.send(reply, { title: view.t.signIn.title, status }, signInPage(view.t, { csrf: pre, code: '', error }));
    if (!(await limiter.allow(req.ip))) return again(view.t.signIn.limited, 429);
    const code = (form.code ?? '').slice(0, 40);
    const athleteId = code ? await consumeLoginCode(web.db, code) : null;
    if (!athleteId) return again(view.t.signIn.bad, 400);
    // A new session on every sign-in (rotation): whatever session this browser had ends here.
    const { token } = await createWebSession(web.db, {
      athleteId,
      method: 'code',
      userAgent: req.headers['user-agent'] ?? null,
      replacing: readCookie(req.headers.cookie, web.cookies.session),
    });
    setCookie(reply, web.cookies.session, token, { maxAgeS: WEB_SESSION_TTL_MS / 1000, secure: web.secure });
    setCookie(reply, web.cookies.preAuth, '', { maxAgeS: 0, secure: web.secure });
    req.log.info({ athleteId }, 'web sign-in');
    return reply.redirect('/', 303);
  });

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
