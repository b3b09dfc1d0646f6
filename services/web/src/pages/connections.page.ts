import type { FastifyRequest } from 'fastify';
import { csrfField } from '../context.js';
import { html, type Html } from '../html.js';
import type { Texts } from '../i18n.js';
import { qrSvg } from '../qr.js';

/** What was just created and is shown only in this answer. */
export interface Fresh {
  token?: { id: string; token: string };
  telegramCode?: string;
}

interface Data {
  connection: { status: string; auth_kind: string; intervals_athlete_id: string } | null;
  telegramLinked: boolean;
  tokens: { id: string; label: string | null; created_at: Date; revoked_at: Date | null }[];
  sessions: { id: string; method: string; user_agent: string | null; created_at: Date; last_seen_at: Date }[];
  currentSession: string;
}

const day = (d: Date) => d.toISOString().slice(0, 10);

export function connectionsPage(t: Texts, req: FastifyRequest, d: Data, urls: { gateway: string; bot: string | null }, fresh: Fresh): Html {
  const c = t.connections;
  const deepLink = fresh.telegramCode && urls.bot ? `https://t.me/${urls.bot}?start=${encodeURIComponent(fresh.telegramCode)}` : null;
  return html`<section aria-labelledby="iv"><h2 id="iv">${c.intervals}</h2>
<p>${d.connection ? html`${c.status[d.connection.status] ?? d.connection.status} · ${d.connection.intervals_athlete_id} (${d.connection.auth_kind === 'oauth' ? 'OAuth' : 'API key'})` : '–'}</p>
<p><a class="button secondary" href="${urls.gateway}/connect/intervals">${c.reconnect}</a></p></section>
<section aria-labelledby="tg"><h2 id="tg">${c.telegram}</h2><p>${d.telegramLinked ? c.telegramLinked : c.telegramNotLinked}</p>
${fresh.telegramCode ? html`<div class="card" role="status">${deepLink ? html`<p><a class="button" href="${deepLink}" rel="noopener noreferrer">${c.telegramOpen}</a></p><figure class="qr-figure">${qrSvg(deepLink, c.telegramQr)}<figcaption class="muted">${c.telegramQrCaption}</figcaption></figure><p class="token">${deepLink}</p>` : ''}
<p>${c.telegramManual(fresh.telegramCode)}</p><p class="muted">${c.telegramExpires}</p></div>` : ''}
<form method="post" action="/connections/telegram">${csrfField(req)}<button type="submit" class="secondary">${c.telegramLink}</button></form></section>
<section id="tokens" aria-labelledby="tk"><h2 id="tk">${c.tokens}</h2><p>${c.tokensIntro}</p>
${fresh.token ? html`<div class="card" role="status"><p>${c.created}</p><p class="token" id="new-token">${fresh.token.token}</p><button type="button" class="secondary" data-copy="new-token" data-copied="${c.copied}">${c.copy}</button></div>` : ''}
<form method="post" action="/connections/tokens" class="row">${csrfField(req)}<div><label for="tk-label">${c.label}</label><input id="tk-label" name="label" maxlength="60" placeholder="ChatGPT"></div><button type="submit">${c.create}</button></form>
${d.tokens.length ? html`<div class="scroll"><table><thead><tr><th scope="col">${c.label}</th><th scope="col">${c.createdAt}</th><th scope="col"></th></tr></thead><tbody>${d.tokens.map(
    (tk) => html`<tr data-token-id="${tk.id}"><td>${tk.label ?? '–'}</td><td>${day(tk.created_at)}</td><td>${tk.revoked_at ? c.revoked : html`<form method="post" action="/connections/tokens/revoke" class="inline">${csrfField(req)}<input type="hidden" name="id" value="${tk.id}"><button type="submit" class="secondary" aria-label="${c.revoke} ${tk.label ?? tk.id}">${c.revoke}</button></form>`}</td></tr>`,
  )}</tbody></table></div>` : html`<p>${c.none}</p>`}</section>
<section aria-labelledby="ss"><h2 id="ss">${c.sessions}</h2><ul>${d.sessions.map(
    (s) => html`<li>${s.id === d.currentSession ? html`<strong>●</strong> ` : ''}${(s.user_agent ?? s.method).slice(0, 80)} · ${day(s.created_at)}</li>`,
  )}</ul><form method="post" action="/connections/sessions/revoke-all">${csrfField(req)}<button type="submit" class="secondary">${c.signOutAll}</button></form></section>
<section aria-labelledby="gpt"><h2 id="gpt">${c.gpt}</h2><ol>${c.gptSteps(urls.gateway).map((s) => html`<li>${s}</li>`)}</ol></section>
<section aria-labelledby="cl"><h2 id="cl">${c.claude}</h2><ol>${c.claudeSteps(urls.gateway).map((s) => html`<li>${s}</li>`)}</ol></section>`;
}
