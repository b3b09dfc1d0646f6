import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { findWebSession, touchWebSession, type Db, type WebSession } from '@splits/db';

/**
 * Sessions and CSRF for the athlete's pages. The session cookie holds a random token (only its hash
 * is stored): HttpOnly, SameSite=Lax, Path=/, `__Host-` and Secure behind https, 30 days. Every form
 * carries a CSRF token: signed in, a hash of the session token (a page of another origin can read
 * neither); before sign-in, the double-submit value of a cookie of its own.
 */
export interface CookieNames {
  session: string;
  preAuth: string;
  /** The nonce of a sign-in through Intervals.icu in flight (15 minutes). */
  intervals: string;
}

export function cookieNames(secure: boolean): CookieNames {
  return secure
    ? { session: '__Host-splits-session', preAuth: '__Host-splits-pre', intervals: '__Host-splits-iv' }
    : { session: 'splits-session', preAuth: 'splits-pre', intervals: 'splits-iv' };
}

/** The browser binding of a sign-in through Intervals.icu: what the gateway carries, the hash of the nonce this browser keeps. */
export const bindingOf = (nonce: string) => createHash('sha256').update(nonce).digest('base64url');

export function readCookie(header: string | undefined, name: string): string | null {
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return decodeURIComponent(part.slice(eq + 1).trim());
  }
  return null;
}

export function setCookie(reply: FastifyReply, name: string, value: string, o: { maxAgeS: number; secure: boolean; httpOnly?: boolean }): void {
  const attrs = [`${name}=${encodeURIComponent(value)}`, 'Path=/', `Max-Age=${o.maxAgeS}`, 'SameSite=Lax'];
  if (o.httpOnly !== false) attrs.push('HttpOnly');
  if (o.secure) attrs.push('Secure');
  const prev = reply.getHeader('set-cookie');
  reply.header('set-cookie', [...(Array.isArray(prev) ? prev : prev ? [String(prev)] : []), attrs.join('; ')]);
}

/** The CSRF token of a signed-in browser: derived from its session token, so only pages served to it know it. */
export const csrfForSession = (token: string) => createHash('sha256').update(`splits-web-csrf.${token}`).digest('base64url');

export function sameToken(given: unknown, expected: string): boolean {
  if (typeof given !== 'string') return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

export const newPreAuthToken = () => randomBytes(24).toString('base64url');

export interface SignedIn {
  token: string;
  session: WebSession;
  csrf: string;
}

/** The browser's live session, if its cookie names one; its last-seen time moves at most once a minute. */
export async function readSession(db: Db, names: CookieNames, req: FastifyRequest): Promise<SignedIn | null> {
  const token = readCookie(req.headers.cookie, names.session);
  if (!token || !/^sws_[A-Za-z0-9_-]{43}$/.test(token)) return null;
  const session = await findWebSession(db, token);
  if (!session) return null;
  await touchWebSession(db, session.id);
  return { token, session, csrf: csrfForSession(token) };
}
