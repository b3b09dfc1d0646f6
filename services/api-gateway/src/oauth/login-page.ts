const escape = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/**
 * The authorize page: the athlete types the one-time code from `pnpm splits login-code` (or the
 * Telegram bot). Plain HTML, no scripts, nothing from the request echoed unescaped.
 */
export function loginPage(p: { requestId: string; clientName: string | null; error?: string; intervalsSignInUrl?: string }): string {
  const who = p.clientName ? escape(p.clientName) : 'An assistant';
  const error = p.error ? `<p class="error" role="alert">${escape(p.error)}</p>` : '';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Sign in to Splits</title>
<style>body{font-family:system-ui,sans-serif;max-width:26rem;margin:4rem auto;padding:0 1rem;color:#222}
input{font-size:1.2rem;padding:.5rem;width:100%;box-sizing:border-box;letter-spacing:.1em;text-transform:uppercase}
button{margin-top:1rem;font-size:1rem;padding:.6rem 1.2rem}.error{color:#b00020}
a.button{display:inline-block;padding:.6rem 1.2rem;background:#2b6cb0;color:#fff;text-decoration:none;border-radius:4px}</style></head>
<body><h1>Sign in to Splits</h1>
<p><strong>${who}</strong> asks to read your training data and to write planned workouts to your Intervals.icu calendar.</p>
${p.intervalsSignInUrl ? `<p><a class="button" href="${escape(p.intervalsSignInUrl)}">Sign in with Intervals.icu</a></p><p>or</p>` : ''}
<p>Enter the one-time sign-in code from <code>pnpm splits login-code</code> or the Splits Telegram bot.</p>
${error}<form method="post" action="/oauth/login">
<input type="hidden" name="request_id" value="${escape(p.requestId)}">
<label for="code">Sign-in code</label>
<input id="code" name="code" autocomplete="one-time-code" required maxlength="20" placeholder="ABCDE-FGHJK">
<button type="submit">Allow</button></form></body></html>`;
}

export function messagePage(title: string, message: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escape(title)}</title></head>
<body style="font-family:system-ui,sans-serif;max-width:26rem;margin:4rem auto"><h1>${escape(title)}</h1><p>${escape(message)}</p></body></html>`;
}
