const escape = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

const STYLE = `<style>body{font-family:system-ui,sans-serif;max-width:26rem;margin:4rem auto;padding:0 1rem;color:#222}
input{font-size:1.2rem;padding:.5rem;width:100%;box-sizing:border-box;letter-spacing:.1em;text-transform:uppercase}
button{margin-top:1rem;font-size:1rem;padding:.6rem 1.2rem}.error{color:#b00020}.host{font-family:ui-monospace,monospace}
a.button{display:inline-block;padding:.6rem 1.2rem;background:#2b6cb0;color:#fff;text-decoration:none;border-radius:4px}</style>`;

/** Who asks: the client's self-chosen name, and the host its codes go to (the part a client cannot fake). */
export interface ClientView {
  clientName: string | null;
  redirectHost: string;
}

const asker = (c: ClientView) =>
  `<strong>${c.clientName ? escape(c.clientName) : 'An assistant'}</strong> (it receives access at <strong class="host">${escape(c.redirectHost)}</strong>)`;

/**
 * The authorize page: the athlete types the one-time code from `pnpm splits login-code` (or the
 * Telegram bot), or signs in with Intervals.icu. Plain HTML, no scripts, nothing from the request
 * echoed unescaped; the form carries the CSRF token of this browser.
 */
export function loginPage(p: ClientView & { requestId: string; csrf: string; error?: string; intervalsSignInUrl?: string }): string {
  const error = p.error ? `<p class="error" role="alert">${escape(p.error)}</p>` : '';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Sign in to Splits</title>
${STYLE}</head>
<body><h1>Sign in to Splits</h1>
<p>${asker(p)} asks to read your training data and to write planned workouts to your Intervals.icu calendar.</p>
${p.intervalsSignInUrl ? `<p><a class="button" href="${escape(p.intervalsSignInUrl)}">Sign in with Intervals.icu</a></p><p>or</p>` : ''}
<p>Enter the one-time sign-in code from <code>pnpm splits login-code</code> or the Splits Telegram bot.</p>
${error}<form method="post" action="/oauth/login">
<input type="hidden" name="request_id" value="${escape(p.requestId)}">
<input type="hidden" name="csrf" value="${escape(p.csrf)}">
<label for="code">Sign-in code</label>
<input id="code" name="code" autocomplete="one-time-code" required maxlength="20" placeholder="ABCDE-FGHJK">
<button type="submit">Allow</button></form></body></html>`;
}

/**
 * Splits' own consent page after "Sign in with Intervals.icu": which athlete signed in, which client
 * asks and where its access goes, and an explicit Allow or Deny (POST, CSRF token of this browser).
 */
export function consentPage(p: ClientView & { requestId: string; csrf: string; athlete: string }): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Allow access to Splits?</title>
${STYLE}</head>
<body><h1>Allow access?</h1>
<p>You are signed in as <strong>${escape(p.athlete)}</strong>.</p>
<p>${asker(p)} asks to read your training data and to write planned workouts to your Intervals.icu calendar.</p>
<p>Allow only if you started this sign-in yourself, from that assistant, just now.</p>
<form method="post" action="/oauth/consent">
<input type="hidden" name="request_id" value="${escape(p.requestId)}">
<input type="hidden" name="csrf" value="${escape(p.csrf)}">
<button type="submit" name="decision" value="allow">Allow</button>
<button type="submit" name="decision" value="deny">Deny</button></form></body></html>`;
}

export function messagePage(title: string, message: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escape(title)}</title></head>
<body style="font-family:system-ui,sans-serif;max-width:26rem;margin:4rem auto"><h1>${escape(title)}</h1><p>${escape(message)}</p></body></html>`;
}
