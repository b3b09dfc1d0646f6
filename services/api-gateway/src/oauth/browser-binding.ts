import { createHmac, randomBytes } from 'node:crypto';
import { currentKey, hashToken, safeEqual, type EncryptionKeys } from '@splits/db';

/** How long the cookie lives: as long as a pending authorization may wait for its athlete (AUTHORIZE_TTL_MS). */
const COOKIE_MAX_AGE_S = 15 * 60;
const NONCE = /^[A-Za-z0-9_-]{43}$/;

/**
 * Binds a pending OAuth authorization to the browser that opened the authorize page. `/authorize`
 * sets a signed, HttpOnly, SameSite=Lax cookie holding a random nonce and stores the nonce's hash on
 * the authorization; every later step (the sign-in code form, "Sign in with Intervals.icu", its
 * callback, the consent page) requires that cookie. A link or a form copied out of that browser is
 * worth nothing anywhere else, and forms carry a CSRF token derived from the same nonce.
 */
export class BrowserBinding {
  /** `__Host-` (Secure, Path=/, no Domain: no subdomain can plant or shadow it) when served over https. */
  readonly cookieName: string;
  private readonly secure: boolean;

  constructor(
    /** A signing key of its own, derived from TOKEN_ENCRYPTION_KEY. */
    private readonly key: Buffer,
    publicBaseUrl: string,
  ) {
    this.secure = new URL(publicBaseUrl).protocol === 'https:';
    this.cookieName = this.secure ? '__Host-splits-authorize' : 'splits-authorize';
  }

  /** Derived from the current key: a rotation ends sign-ins in flight (15 minutes at most), as it does OAuth state. */
  static fromEncryptionKey(encryptionKey: EncryptionKeys, publicBaseUrl: string): BrowserBinding {
    return new BrowserBinding(createHmac('sha256', currentKey(encryptionKey)).update('splits oauth browser binding v1').digest(), publicBaseUrl);
  }

  /** The browser's nonce, when its Cookie header carries one this gateway signed; else null. */
  read(cookieHeader: string | undefined): string | null {
    const value = cookieValue(cookieHeader, this.cookieName);
    const [nonce, sig, extra] = (value ?? '').split('.');
    if (!nonce || !sig || extra !== undefined || !NONCE.test(nonce)) return null;
    return safeEqual(sig, this.mac(`browser.${nonce}`)) ? nonce : null;
  }

  /** The nonce to bind a new authorization to (the browser's own, so parallel sign-ins coexist) and the Set-Cookie that (re)sets it. */
  issue(cookieHeader: string | undefined): { nonce: string; setCookie: string } {
    const nonce = this.read(cookieHeader) ?? randomBytes(32).toString('base64url');
    const attrs = ['Path=/', `Max-Age=${COOKIE_MAX_AGE_S}`, 'HttpOnly', 'SameSite=Lax', ...(this.secure ? ['Secure'] : [])];
    return { nonce, setCookie: `${this.cookieName}=${nonce}.${this.mac(`browser.${nonce}`)}; ${attrs.join('; ')}` };
  }

  /** What the authorization row stores. */
  hash(nonce: string): string {
    return hashToken(nonce);
  }

  /** The browser's nonce when it is the one the authorization is bound to; else null. */
  boundNonce(cookieHeader: string | undefined, browserHash: string | null): string | null {
    const nonce = this.read(cookieHeader);
    return nonce && browserHash && safeEqual(this.hash(nonce), browserHash) ? nonce : null;
  }

  /**
   * The CSRF token of a form about one authorization, tied to the browser's nonce and (on the consent
   * page) to the athlete the page named, so an Allow cannot approve someone else.
   */
  csrfToken(requestId: string, nonce: string, athleteId = ''): string {
    return this.mac(`csrf.${requestId}.${nonce}.${athleteId}`);
  }

  csrfValid(given: unknown, requestId: string, nonce: string, athleteId = ''): boolean {
    return typeof given === 'string' && safeEqual(given, this.csrfToken(requestId, nonce, athleteId));
  }

  private mac(data: string): string {
    return createHmac('sha256', this.key).update(data).digest('base64url');
  }
}

function cookieValue(header: string | undefined, name: string): string | null {
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return null;
}
