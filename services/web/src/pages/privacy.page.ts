import type { FastifyRequest } from 'fastify';
import { PRIVACY_NOTICE, PRIVACY_NOTICE_VERSION } from '@splits/contracts';
import type { ConsentKind, ConsentState } from '@splits/db';
import { csrfField } from '../context.js';
import { html, type Html } from '../html.js';
import type { Texts } from '../i18n.js';

interface State {
  intervals: boolean;
  telegram: boolean;
  tokens: number;
  consents: Record<ConsentKind, ConsentState | null>;
}

export function privacyPage(t: Texts, req: FastifyRequest, d: State): Html {
  const p = t.privacy;
  const yes = (v: boolean) => (v ? '✓' : '–');
  const notice = d.consents.privacy_notice;
  const llm = d.consents.llm?.granted === true;
  return html`<section aria-labelledby="notice"><h2 id="notice">${p.notice}</h2>${p.noticeText.map((x) => html`<p>${x}</p>`)}
<details><summary>${p.fullNotice} (${PRIVACY_NOTICE_VERSION})</summary><div lang="en">${PRIVACY_NOTICE.map((s) => html`<h3>${s.heading}</h3>${s.paragraphs.map((x) => html`<p>${x}</p>`)}`)}</div></details></section>
<section id="consents" aria-labelledby="consents-h"><h2 id="consents-h">${p.consents}</h2><ul>
<li>${yes(Boolean(notice?.granted))} ${p.noticeAccepted}${notice ? ` (${notice.noticeVersion}, ${notice.at.slice(0, 10)})` : ''}</li>
<li>${yes(d.intervals)} ${p.consentIntervals}</li><li>${yes(d.telegram)} ${p.consentTelegram}</li><li>${p.consentAssistants(d.tokens)}</li><li>${yes(llm)} ${p.consentLlm}</li></ul>
<form method="post" action="/privacy/consent" class="card">${csrfField(req)}
<p><input type="checkbox" id="llm" name="llm" ${llm ? 'checked' : ''} style="width:auto"> <label for="llm" class="inline">${p.consentLlm}</label></p>
${notice?.noticeVersion === PRIVACY_NOTICE_VERSION ? '' : html`<p><input type="checkbox" id="accept" name="acceptNotice" style="width:auto"> <label for="accept" class="inline">${p.acceptNotice}</label></p>`}
<button type="submit" class="secondary">${p.saveConsents}</button></form></section>
<section aria-labelledby="export"><h2 id="export">${p.export}</h2><p>${p.exportText}</p><p><a class="button secondary" href="/privacy/export" download>${p.export}</a></p></section>
<section aria-labelledby="delete"><h2 id="delete">${p.delete}</h2><p>${p.deleteText}</p>
<form method="post" action="/privacy/delete" class="card">${csrfField(req)}<label for="confirm">${p.deleteConfirm}</label><input id="confirm" name="confirm" required pattern="DELETE" autocomplete="off">
<button type="submit" class="danger">${p.delete}</button></form></section>`;
}
