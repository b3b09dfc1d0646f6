import { html, type Html } from '../html.js';
import type { Texts } from '../i18n.js';

export function signInPage(t: Texts, p: { csrf: string; code: string; error?: string; intervals: boolean }): Html {
  return html`<p>${t.signIn.intro}</p>
${p.error ? html`<p class="error" role="alert">${p.error}</p>` : ''}
${p.intervals ? html`<p><a class="button" id="signin-intervals" href="/signin/intervals">${t.signIn.intervals}</a></p><p class="muted">${t.signIn.or}</p>` : ''}
<form method="post" action="/signin" class="card">
<input type="hidden" name="csrf" value="${p.csrf}">
<label for="code">${t.signIn.codeLabel}</label>
<input id="code" name="code" value="${p.code}" autocomplete="one-time-code" autocapitalize="characters" required maxlength="20" placeholder="ABCDE-FGHJK" aria-describedby="code-help">
<p id="code-help" class="muted">${t.signIn.codeHelp}</p>
<button type="submit">${t.signIn.submit}</button></form>`;
}
