import { describe, expect, it } from '@jest/globals';
import { BrowserBinding } from './browser-binding.js';

const KEY = Buffer.alloc(32, 7);
const cookieOf = (setCookie: string) => setCookie.split(';')[0]!;

describe('BrowserBinding', () => {
  it('over https sets a __Host- cookie: Secure, HttpOnly, SameSite=Lax, Path=/, no Domain', () => {
    const b = BrowserBinding.fromEncryptionKey(KEY, 'https://splits.example.com');
    const { setCookie } = b.issue(undefined);
    expect(setCookie).toMatch(/^__Host-splits-authorize=[\w-]{43}\.[\w-]{43}; Path=\/; Max-Age=900; HttpOnly; SameSite=Lax; Secure$/);
    expect(setCookie).not.toMatch(/Domain=/i);
  });

  it('keeps a browser\'s own nonce, so its parallel sign-ins stay valid, and reads back only what it signed', () => {
    const b = new BrowserBinding(KEY, 'http://localhost:3000');
    const first = b.issue(undefined);
    const header = `other=1; ${cookieOf(first.setCookie)}`;
    expect(b.read(header)).toBe(first.nonce);
    expect(b.issue(header).nonce).toBe(first.nonce);
    expect(b.boundNonce(header, b.hash(first.nonce))).toBe(first.nonce);
    expect(b.boundNonce(header, b.hash(b.issue(undefined).nonce))).toBeNull();

    const [name, value] = cookieOf(first.setCookie).split('=') as [string, string];
    const [nonce, sig] = value.split('.') as [string, string];
    const tampered = `${name}=${nonce}.${sig.slice(0, -1)}${sig.endsWith('A') ? 'B' : 'A'}`;
    expect(b.read(tampered)).toBeNull();
    // Signed with another deployment's key: not ours.
    expect(new BrowserBinding(Buffer.alloc(32, 8), 'http://localhost:3000').read(header)).toBeNull();
    expect(b.read(`${name}=garbage`)).toBeNull();
    expect(b.issue(tampered).nonce).not.toBe(nonce);
  });

  it('ties a CSRF token to the request, the browser and the athlete', () => {
    const b = new BrowserBinding(KEY, 'http://localhost:3000');
    const token = b.csrfToken('az_1', 'n1', 'ath_1');
    expect(b.csrfValid(token, 'az_1', 'n1', 'ath_1')).toBe(true);
    expect(b.csrfValid(token, 'az_2', 'n1', 'ath_1')).toBe(false);
    expect(b.csrfValid(token, 'az_1', 'n2', 'ath_1')).toBe(false);
    expect(b.csrfValid(token, 'az_1', 'n1', 'ath_2')).toBe(false);
    expect(b.csrfValid(undefined, 'az_1', 'n1', 'ath_1')).toBe(false);
    expect(b.csrfValid(['x'], 'az_1', 'n1', 'ath_1')).toBe(false);
  });
});
