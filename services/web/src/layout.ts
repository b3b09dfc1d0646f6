import { html, raw, type Html } from './html.js';
import type { Lang, Texts } from './i18n.js';
import { LANGUAGES } from './i18n.js';

export type NavKey = keyof Texts['nav'];

export interface PageFrame {
  lang: Lang;
  t: Texts;
  title: string;
  /** The request path (language links come back to it). */
  path: string;
  /** Signed in: the nav and the sign-out form (with its CSRF token). */
  csrf?: string;
  active?: NavKey;
  assets: { css: string; js: string; chart?: string; chartCss?: string };
}

const NAV: { key: NavKey; href: string }[] = [
  { key: 'today', href: '/' },
  { key: 'history', href: '/history' },
  { key: 'trends', href: '/trends' },
  { key: 'goals', href: '/goals' },
  { key: 'connections', href: '/connections' },
  { key: 'privacy', href: '/privacy' },
];

/** The one page frame: mobile first, no inline scripts (CSP script-src 'self'), one small stylesheet. */
export function page(f: PageFrame, body: Html): Html {
  const nav = f.csrf
    ? html`<nav aria-label="Splits"><ul>${NAV.map(
        (n) => html`<li><a href="${n.href}"${raw(f.active === n.key ? ' aria-current="page"' : '')}>${f.t.nav[n.key]}</a></li>`,
      )}</ul></nav>`
    : '';
  const langs = html`<ul class="langs" aria-label="${f.t.language}">${LANGUAGES.map((l) =>
    l === f.lang
      ? html`<li><span aria-current="true" lang="${l}">${l.toUpperCase()}</span></li>`
      : html`<li><a href="/lang/${l}?next=${encodeURIComponent(f.path)}" lang="${l}" hreflang="${l}">${l.toUpperCase()}</a></li>`,
  )}</ul>`;
  const signOut = f.csrf
    ? html`<form method="post" action="/signout" class="signout"><input type="hidden" name="csrf" value="${f.csrf}"><button type="submit" class="link">${f.t.signOut}</button></form>`
    : '';
  return html`<!doctype html>
<html lang="${f.lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${f.title} · Splits</title><link rel="stylesheet" href="${f.assets.css}">${f.assets.chartCss ? html`<link rel="stylesheet" href="${f.assets.chartCss}">` : ''}
<script src="${f.assets.js}" defer></script>${f.assets.chart ? html`<script src="${f.assets.chart}" defer></script>` : ''}</head>
<body><a class="skip" href="#main">${f.t.skip}</a>
<header><a class="brand" href="/">Splits</a>${langs}${signOut}</header>${nav}
<main id="main"><h1>${f.title}</h1>${body}</main></body></html>`;
}
