import type { FastifyReply, FastifyRequest } from 'fastify';
import { getActiveTelegramLink, type Db } from '@splits/db';
import { HttpError } from '@splits/contracts';
import type { AssetUrls } from './assets.js';
import { html, type Html } from './html.js';
import { LANG_COOKIE, pickLanguage, textsFor, type Lang, type Texts } from './i18n.js';
import { page, type NavKey } from './layout.js';
import { readCookie, sameToken, type CookieNames, type SignedIn } from './session.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the signed-in scope's hook; routes there can rely on it. */
    signedIn: SignedIn | null;
  }
}

export interface WebDeps {
  db: Db;
  assets: AssetUrls;
  cookies: CookieNames;
  secure: boolean;
}

export interface View {
  lang: Lang;
  t: Texts;
  /** The page frame around `body`, sent as HTML (no-store: pages carry the athlete's data and CSRF tokens). */
  send(reply: FastifyReply, o: { title: string; active?: NavKey; charts?: boolean; status?: number }, body: Html): FastifyReply;
}

/** The request's language and page frame. The stored language (Telegram's) is read only when no cookie says one. */
export async function viewOf(deps: WebDeps, req: FastifyRequest): Promise<View> {
  const cookie = readCookie(req.headers.cookie, LANG_COOKIE);
  const stored = !cookie && req.signedIn ? ((await getActiveTelegramLink(deps.db, req.signedIn.session.athleteId))?.language ?? null) : null;
  const lang = pickLanguage({ cookie, stored, acceptLanguage: req.headers['accept-language'] });
  const t = textsFor(lang);
  const path = req.url.split('#')[0]!;
  return {
    lang,
    t,
    send: (reply, o, body) =>
      reply
        .code(o.status ?? 200)
        .header('cache-control', 'no-store')
        .type('text/html; charset=utf-8')
        .send(
          page(
            {
              lang,
              t,
              title: o.title,
              path,
              csrf: req.signedIn?.csrf,
              active: o.active,
              assets: { css: deps.assets.css, js: deps.assets.js, ...(o.charts ? { chart: deps.assets.chart, chartCss: deps.assets.chartCss } : {}) },
            },
            body,
          ).value,
        ),
  };
}

/** The signed-in athlete of this request (the scope's hook guarantees one). */
export function athleteOf(req: FastifyRequest): string {
  if (!req.signedIn) throw new HttpError(401, 'unauthorized', 'sign in first');
  return req.signedIn.session.athleteId;
}

/** A form post's string fields (anything else is absent). */
export type Form = Record<string, string>;
export const formOf = (req: FastifyRequest): Form => (req.body && typeof req.body === 'object' ? (req.body as Form) : {});

/** Every signed-in form carries the session's CSRF token. */
export function checkCsrf(req: FastifyRequest): void {
  if (!req.signedIn || !sameToken(formOf(req).csrf, req.signedIn.csrf)) throw new HttpError(403, 'bad_csrf', 'csrf');
}

export const csrfField = (req: FastifyRequest) => html`<input type="hidden" name="csrf" value="${req.signedIn?.csrf ?? ''}">`;
