import { createCipheriv, randomBytes } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { decryptSecret, encryptSecret, keyIdOf, parseEncryptionKey, parseKeyring, safeEqual, sealedKeyId, UnknownKeyError } from './crypto.js';

const b64 = (fill: number) => Buffer.alloc(32, fill).toString('base64');
const OLD = b64(1);
const NEW = b64(2);

/** What the v1 writer (one key, no key id) produced; kept here verbatim to prove old rows still open. */
function sealV1(key: Buffer, plaintext: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const ct = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return ['v1', iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), ct.toString('base64url')].join('.');
}

describe('credential encryption', () => {
  it('writes v2 with the key id and a fresh IV every time', () => {
    const key = parseEncryptionKey(NEW);
    const a = encryptSecret(key, 'same-secret');
    const b = encryptSecret(key, 'same-secret');
    expect(a).toMatch(/^v2\.[A-Za-z0-9_-]{10}\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]+$/);
    expect(a.split('.')[1]).toBe(keyIdOf(key));
    expect(a.split('.')[2]).not.toBe(b.split('.')[2]);
    expect(a).not.toBe(b);
    expect(a).not.toContain('same-secret');
    expect(decryptSecret(key, a)).toBe('same-secret');
    expect(decryptSecret(key, b)).toBe('same-secret');
  });

  it('derives different, stable key ids for different keys', () => {
    expect(keyIdOf(parseEncryptionKey(OLD))).toBe(keyIdOf(parseEncryptionKey(OLD)));
    expect(keyIdOf(parseEncryptionKey(OLD))).not.toBe(keyIdOf(parseEncryptionKey(NEW)));
  });

  it('still opens v1 values, with the single key or from a keyring holding the old key', () => {
    const v1 = sealV1(parseEncryptionKey(OLD), 'legacy-api-key');
    expect(sealedKeyId(v1)).toBeNull();
    expect(decryptSecret(parseEncryptionKey(OLD), v1)).toBe('legacy-api-key');
    expect(decryptSecret(parseKeyring(NEW, OLD), v1)).toBe('legacy-api-key');
    expect(() => decryptSecret(parseKeyring(NEW), v1)).toThrow(UnknownKeyError);
  });

  it('seals under the current key and opens values of old keys, named by hash or label', () => {
    const oldSealed = encryptSecret(parseEncryptionKey(OLD), 'tok-1');
    const ring = parseKeyring(NEW, ` archive2025:${OLD} `);
    expect(ring.current.kid).toBe(keyIdOf(parseEncryptionKey(NEW)));
    expect(decryptSecret(ring, oldSealed)).toBe('tok-1');
    expect(sealedKeyId(encryptSecret(ring, 'tok-1'))).toBe(ring.current.kid);
    const labelled = oldSealed.replace(`.${keyIdOf(parseEncryptionKey(OLD))}.`, '.archive2025.');
    expect(decryptSecret(ring, labelled)).toBe('tok-1');
  });

  it('names a missing key by id and never shows key material or the secret', () => {
    const sealed = encryptSecret(parseEncryptionKey(OLD), 'tok-secret');
    const err = (() => {
      try {
        decryptSecret(parseKeyring(NEW), sealed);
      } catch (e) {
        return e as Error;
      }
      throw new Error('expected a failure');
    })();
    expect(err).toBeInstanceOf(UnknownKeyError);
    expect(err.message).toContain(keyIdOf(parseEncryptionKey(OLD)));
    expect(err.message).not.toContain('tok-secret');
    expect(err.message).not.toContain(OLD);
  });

  it('rejects tampered ciphertext and unknown formats', () => {
    const key = parseEncryptionKey(NEW);
    const parts = encryptSecret(key, 'tok').split('.');
    parts[4] = Buffer.from('xyz').toString('base64url');
    expect(() => decryptSecret(key, parts.join('.'))).toThrow();
    expect(() => decryptSecret(key, 'v9.a.b.c')).toThrow('unrecognised credential format');
    expect(() => sealedKeyId('plain-text-token')).toThrow('unrecognised credential format');
  });

  it('rejects malformed keys with the entry number, not the value', () => {
    expect(() => parseEncryptionKey('c2hvcnQ=')).toThrow('32 bytes');
    expect(() => parseKeyring(NEW, `${OLD},bad-key-material`)).toThrow(/entry 2/);
    expect(() => parseKeyring(NEW, `${OLD},bad-key-material`)).not.toThrow(/bad-key-material/);
    expect(() => parseKeyring(NEW, `bad label:${OLD}`)).toThrow(/entry 1: label/);
  });
});

describe('safeEqual', () => {
  it('is true only for the same secret, and never throws on a length mismatch', () => {
    const secret = 'k3Jq-8xv_secret';
    expect(safeEqual(secret, secret)).toBe(true);
    for (const wrong of ['', 'k', secret.slice(0, -1), `${secret}x`, `X${secret.slice(1)}`, 'y'.repeat(10_000), `${secret}\u0000`]) {
      expect(safeEqual(wrong, secret)).toBe(false);
    }
  });
});
