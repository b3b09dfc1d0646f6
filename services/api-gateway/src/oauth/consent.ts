import { isStorableText } from '@splits/contracts';
import { randomBytes } from 'node:crypto';
import {
  approveAuthorization,
  consumeLoginCode,
  denyAuthorization,
  getAthlete,
  getOAuthClient,
  getPendingAuthorization,
  recordAuthorizationSignIn,
  type Db,
} from '@splits/db';
import { HttpError } from '../errors.js';
import type { BrowserBinding } from './browser-binding.js';
import type { ClientView } from './login-page.js';

/** How long the client has to redeem an authorization code. */
export const CODE_TTL_MS = 5 * 60_000;
export const CONSENT_PATH = '/oauth/consent';

type Pending = NonNullable<Awaited<ReturnType<typeof getPendingAuthorization>>>;

export class AuthorizationExpiredError extends HttpError {
  constructor(message = 'This sign-in request is unknown, expired or already used. Start the sign-in again from your assistant.') {
    super(400, 'authorization_expired', message);
  }
}

/** The step was reached from another browser than the one that opened the authorize page. */
export class WrongBrowserError extends HttpError {
  constructor() {
    super(403, 'wrong_browser', 'This sign-in was started in another browser. For your safety it can only be finished where it began: start the sign-in again from your assistant, in this browser.');
  }
}

export class BadCsrfError extends HttpError {
  constructor() {
    super(403, 'bad_csrf', 'This form is out of date or did not come from Splits. Reload the page and try again.');
  }
}

export class InvalidLoginCodeError extends HttpError {
  constructor() {
    super(400, 'invalid_login_code', 'That code is not valid or has expired. Ask for a new one.');
  }
}

/** A form post's fields: strings or nothing. */
type Form = Record<string, unknown>;
const field = (f: Form, name: string) => (typeof f[name] === 'string' ? (f[name] as string) : '');

/**
 * Every step of an assistant's sign-in after `/authorize`: each one requires the browser that
 * opened the authorize page (its signed cookie), so a sign-in link or a code is useless in anyone
 * else's browser, and an Intervals.icu sign-in only leads to Splits' consent page, where the athlete
 * sees the client and its redirect host and explicitly allows or denies.
 */
export class AssistantSignIn {
  constructor(private readonly deps: { db: Db; browser: BrowserBinding }) {}

  /** The pending authorization and this browser's nonce; throws when unknown/expired or opened elsewhere. */
  async bound(requestId: string, cookie: string | undefined): Promise<{ pending: Pending; nonce: string }> {
    // Postgres refuses NUL in text: such an id is simply unknown.
    const pending = requestId && isStorableText(requestId) ? await getPendingAuthorization(this.deps.db, requestId) : undefined;
    if (!pending) throw new AuthorizationExpiredError();
    const nonce = this.deps.browser.boundNonce(cookie, pending.browser_hash);
    if (!nonce) throw new WrongBrowserError();
    return { pending, nonce };
  }

  /** What the pages show about the client. */
  async clientView(pending: Pending): Promise<ClientView> {
    const client = await getOAuthClient(this.deps.db, pending.client_id);
    const name = client?.info.client_name;
    return { clientName: typeof name === 'string' && name ? name : null, redirectHost: new URL(pending.redirect_uri).host };
  }

  /** The athlete typed a one-time code on the authorize page (its Allow button): where to send the browser. */
  async signInWithCode(form: Form, cookie: string | undefined): Promise<string> {
    const requestId = field(form, 'request_id');
    // Browser and CSRF first, so a post from elsewhere cannot even spend the athlete's code.
    const { pending, nonce } = await this.bound(requestId, cookie);
    if (!this.deps.browser.csrfValid(form.csrf, requestId, nonce)) throw new BadCsrfError();
    const code = field(form, 'code');
    const athleteId = code ? await consumeLoginCode(this.deps.db, code) : null;
    if (!athleteId) throw new InvalidLoginCodeError();
    return this.approve(pending, athleteId);
  }

  /** The Intervals.icu callback, for this browser's pending authorization: remember who signed in, then ask. */
  async signedInThroughIntervals(requestId: string, cookie: string | undefined, athleteId: string): Promise<string> {
    await this.bound(requestId, cookie);
    if (!(await recordAuthorizationSignIn(this.deps.db, requestId, athleteId))) throw new AuthorizationExpiredError();
    return `${CONSENT_PATH}?request_id=${encodeURIComponent(requestId)}`;
  }

  /** The consent page's content for this browser. */
  async consent(requestId: string, cookie: string | undefined): Promise<ClientView & { requestId: string; csrf: string; athlete: string }> {
    const { pending, nonce } = await this.bound(requestId, cookie);
    const athleteId = pending.signed_in_athlete_id;
    const athlete = athleteId ? await getAthlete(this.deps.db, athleteId) : undefined;
    if (!athleteId || !athlete) throw new AuthorizationExpiredError('Sign in first: start the sign-in again from your assistant.');
    return {
      ...(await this.clientView(pending)),
      requestId,
      csrf: this.deps.browser.csrfToken(requestId, nonce, athleteId),
      athlete: athlete.name ? `${athlete.name} (Intervals.icu ${athlete.intervals_athlete_id})` : `Intervals.icu ${athlete.intervals_athlete_id}`,
    };
  }

  /** Allow or Deny from the consent page: the client's redirect URI with a code, or with access_denied. */
  async decide(form: Form, cookie: string | undefined): Promise<string> {
    const requestId = field(form, 'request_id');
    const { pending, nonce } = await this.bound(requestId, cookie);
    const athleteId = pending.signed_in_athlete_id;
    if (!athleteId) throw new AuthorizationExpiredError('Sign in first: start the sign-in again from your assistant.');
    // The token names the athlete the page showed: a sign-in in another tab since then invalidates it.
    if (!this.deps.browser.csrfValid(form.csrf, requestId, nonce, athleteId)) throw new BadCsrfError();
    const decision = field(form, 'decision');
    if (decision === 'allow') return this.approve(pending, athleteId, { signedInAs: athleteId });
    if (decision !== 'deny') throw new HttpError(400, 'bad_request', 'decision must be allow or deny');
    if (!(await denyAuthorization(this.deps.db, requestId))) throw new AuthorizationExpiredError();
    // RFC 6749 §4.1.2.1: the client learns the athlete said no.
    return redirectUri(pending, { error: 'access_denied', error_description: 'The athlete denied access' });
  }

  private async approve(pending: Pending, athleteId: string, opts: { signedInAs?: string } = {}): Promise<string> {
    const code = newAuthorizationCode();
    if (!(await approveAuthorization(this.deps.db, pending.id, athleteId, code, CODE_TTL_MS, opts))) throw new AuthorizationExpiredError();
    return redirectUri(pending, { code });
  }
}

function redirectUri(pending: Pending, params: Record<string, string>): string {
  const target = new URL(pending.redirect_uri);
  for (const [k, v] of Object.entries(params)) target.searchParams.set(k, v);
  if (pending.state) target.searchParams.set('state', pending.state);
  return target.href;
}

/** A fresh authorization code (only its hash is stored). */
export function newAuthorizationCode(): string {
  return `spc_${randomBytes(32).toString('base64url')}`;
}
