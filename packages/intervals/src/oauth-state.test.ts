import { describe, expect, it } from '@jest/globals';
import { deriveStateKey, OAuthStateError, signState, verifyState } from './index.js';

const key = deriveStateKey(Buffer.alloc(32, 5));
const T0 = Date.UTC(2026, 4, 1, 12);

const failure = (fn: () => unknown): string => {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(OAuthStateError);
    return (e as OAuthStateError).reason;
  }
  throw new Error('expected a failure');
};

describe('signed OAuth state', () => {
  it('round-trips the connect context until it expires, and is different every time', () => {
    const s = signState(key, { purpose: 'oauth-state', ttlMs: 600_000, ctx: { telegramChatId: '-1001234' }, now: T0 });
    expect(s).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    expect(verifyState(key, s, { purpose: 'oauth-state', now: T0 + 599_999 })).toEqual({ ctx: { telegramChatId: '-1001234' } });
    expect(failure(() => verifyState(key, s, { purpose: 'oauth-state', now: T0 + 600_000 }))).toBe('expired');
    expect(signState(key, { purpose: 'oauth-state', ttlMs: 1, now: T0 })).not.toBe(signState(key, { purpose: 'oauth-state', ttlMs: 1, now: T0 }));
  });

  it('rejects a changed payload, a foreign key and the other purpose as tampered', () => {
    const s = signState(key, { purpose: 'oauth-state', ttlMs: 600_000, now: T0 });
    const [body, sig] = s.split('.') as [string, string];
    const forged = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(body, 'base64url').toString()), ctx: { telegramChatId: '666' } })).toString('base64url');
    expect(failure(() => verifyState(key, `${forged}.${sig}`, { purpose: 'oauth-state', now: T0 }))).toBe('tampered');
    expect(failure(() => verifyState(deriveStateKey(Buffer.alloc(32, 6)), s, { purpose: 'oauth-state', now: T0 }))).toBe('tampered');
    expect(failure(() => verifyState(key, s, { purpose: 'connect-context', now: T0 }))).toBe('tampered');
    expect(failure(() => verifyState(key, `${body}.${sig.slice(0, -2)}`, { purpose: 'oauth-state', now: T0 }))).toBe('tampered');
  });

  it('rejects malformed tokens', () => {
    for (const bad of ['', 'abc', 'a.b.c', 'a b.c', '%%%.x']) expect(failure(() => verifyState(key, bad, { purpose: 'oauth-state', now: T0 }))).toBe('malformed');
  });

  it('derives a signing key unlike the secret it comes from', () => {
    expect(deriveStateKey(Buffer.alloc(32, 5)).equals(Buffer.alloc(32, 5))).toBe(false);
    expect(deriveStateKey(Buffer.alloc(32, 5)).equals(key)).toBe(true);
  });
});
