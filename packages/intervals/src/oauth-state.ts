import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';

/**
 * Signed, expiring tokens for the OAuth round trip: the `state` Splits sends to Intervals.icu and
 * gets back on the callback, and the optional connect context (which Telegram chat started the
 * flow) that another service can put into a connect link. Stateless: nothing is stored; an HMAC
 * proves Splits issued it and the expiry bounds replay. Format `<payload b64url>.<hmac b64url>`.
 */

export const ConnectContextSchema = z.object({
  /** Link the connected athlete to this Telegram chat. Only trusted because it is signed. */
  telegramChatId: z.string().regex(/^-?\d{1,20}$/).optional(),
  /** A pending Splits OAuth authorization (an assistant's sign-in) to complete for the connected athlete. */
  authorization: z.string().min(1).max(100).optional(),
  /**
   * Sign the connected athlete in to the web pages: the SHA-256 (base64url) of a nonce the web
   * service keeps in the starting browser's cookie, so only that browser can use the sign-in.
   */
  webSignIn: z.string().regex(/^[A-Za-z0-9_-]{43}$/).optional(),
});
export type ConnectContext = z.infer<typeof ConnectContextSchema>;

const PayloadSchema = z.object({
  p: z.string(),
  n: z.string(),
  exp: z.number().int(),
  ctx: ConnectContextSchema.optional(),
});

export type StateFailure = 'malformed' | 'tampered' | 'expired';

export class OAuthStateError extends Error {
  override readonly name = 'OAuthStateError';
  constructor(readonly reason: StateFailure) {
    super(
      reason === 'expired'
        ? 'the connect link has expired; start again'
        : reason === 'tampered'
          ? 'the state parameter does not carry a valid signature'
          : 'the state parameter is malformed',
    );
  }
}

/** A key for signing only, derived from a secret used for something else (e.g. TOKEN_ENCRYPTION_KEY). */
export function deriveStateKey(secret: Buffer, purpose = 'splits oauth state v1'): Buffer {
  return createHmac('sha256', secret).update(purpose).digest();
}

export type StatePurpose = 'oauth-state' | 'connect-context';

export function signState(key: Buffer, o: { purpose: StatePurpose; ttlMs: number; ctx?: ConnectContext; now?: number }): string {
  const payload = { p: o.purpose, n: randomBytes(12).toString('base64url'), exp: (o.now ?? Date.now()) + o.ttlMs, ...(o.ctx ? { ctx: ConnectContextSchema.parse(o.ctx) } : {}) };
  const body = Buffer.from(JSON.stringify(payload)).toString('base64url');
  return `${body}.${mac(key, body)}`;
}

/** The context the token carries; throws OAuthStateError when it is malformed, not ours, or expired. */
export function verifyState(key: Buffer, token: string, o: { purpose: StatePurpose; now?: number }): { ctx: ConnectContext } {
  const [body, sig, extra] = token.split('.');
  if (!body || !sig || extra !== undefined || !/^[A-Za-z0-9_-]+$/.test(body + sig)) throw new OAuthStateError('malformed');
  const expected = Buffer.from(mac(key, body));
  const given = Buffer.from(sig);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw new OAuthStateError('tampered');
  let parsed: z.infer<typeof PayloadSchema>;
  try {
    parsed = PayloadSchema.parse(JSON.parse(Buffer.from(body, 'base64url').toString('utf8')));
  } catch {
    throw new OAuthStateError('malformed');
  }
  // A context token is not a state and vice versa, though both are signed with the same key.
  if (parsed.p !== o.purpose) throw new OAuthStateError('tampered');
  if (parsed.exp <= (o.now ?? Date.now())) throw new OAuthStateError('expired');
  return { ctx: parsed.ctx ?? {} };
}

function mac(key: Buffer, body: string): string {
  return createHmac('sha256', key).update(body).digest('base64url');
}
