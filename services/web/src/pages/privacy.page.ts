import { html, type Html } from '../html.js';
import type { Texts } from '../i18n.js';

export function privacyPage(t: Texts, d: { consents: { intervals: boolean; telegram: boolean; tokens: number } }): Html {
  const p = t.privacy;
  const yes = (v: boolean) => (v ? '✓' : '–');
  return html`<section aria-labelledby="notice"><h2 id="notice">${p.notice}</h2>${p.noticeText.map((x) => html`<p>${x}</p>`)}</section>
<section aria-labelledby="consents"><h2 id="consents">${p.consents}</h2><ul>
<li>${yes(d.consents.intervals)} ${p.consentIntervals}</li><li>${yes(d.consents.telegram)} ${p.consentTelegram}</li><li>${p.consentAssistants(d.consents.tokens)}</li></ul></section>
<section aria-labelledby="export"><h2 id="export">${p.export}</h2><p>${p.exportText}</p><p class="muted">${p.unavailable}</p></section>
<section aria-labelledby="delete"><h2 id="delete">${p.delete}</h2><p>${p.deleteText}</p><p class="muted">${p.unavailable}</p></section>`;
}
