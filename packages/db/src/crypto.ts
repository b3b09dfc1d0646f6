import { createCipheriv, createDecipheriv, createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * AES-256-GCM for Intervals.icu credentials at rest, with a fresh 12-byte IV per encryption.
 *
 * Written format: `v2.<kid>.<iv>.<tag>.<ciphertext>` (base64url parts). The key id names the key that
 * sealed the value, so keys can be rotated: the current key seals, old keys only open.
 * `v1.<iv>.<tag>.<ciphertext>` (no key id, one key) is still read: every configured key is tried
 * and the GCM tag tells which one was used.
 */
export interface Keyring {
  /** Seals every new value. */
  current: { kid: string; key: Buffer };
  /** Every key that may open a value, current included, by key id. */
  keys: ReadonlyMap<string, Buffer>;
}

/** A single key (what `parseEncryptionKey` returns) or a keyring with old keys for rotation. */
export type EncryptionKeys = Buffer | Keyring;

/** The value was sealed under a key that is not configured (or was tampered with). Never carries key material. */
export class UnknownKeyError extends Error {
  override readonly name = 'UnknownKeyError';
  constructor(readonly kid: string | null) {
    super(
      kid
        ? `credential is sealed under key ${kid}, which is not configured (add it to TOKEN_ENCRYPTION_KEYS_OLD)`
        : 'credential (v1) opens with none of the configured keys (add the old key to TOKEN_ENCRYPTION_KEYS_OLD)',
    );
  }
}

const KID_RE = /^[A-Za-z0-9_-]{1,32}$/;

export function parseEncryptionKey(base64: string): Buffer {
  const key = Buffer.from(base64.trim(), 'base64');
  if (key.length !== 32) throw new Error('TOKEN_ENCRYPTION_KEY must be 32 bytes, base64-encoded');
  return key;
}

/** A short, stable id derived from the key itself, so no one has to name keys. Reveals nothing usable about the key. */
export function keyIdOf(key: Buffer): string {
  return createHash('sha256').update('splits-credential-key-id\0').update(key).digest('base64url').slice(0, 10);
}

/**
 * The keyring from TOKEN_ENCRYPTION_KEY (current) and TOKEN_ENCRYPTION_KEYS_OLD: comma-separated
 * `base64` or `label:base64` entries. Every key is known by its derived id; a label is an extra alias.
 */
export function parseKeyring(current: string, old?: string | null): Keyring {
  const cur = parseEncryptionKey(current);
  const keys = new Map<string, Buffer>([[keyIdOf(cur), cur]]);
  for (const [i, raw] of (old ?? '').split(',').map((s) => s.trim()).filter(Boolean).entries()) {
    const sep = raw.indexOf(':');
    const label = sep > 0 ? raw.slice(0, sep) : null;
    if (label !== null && !KID_RE.test(label)) throw new Error(`TOKEN_ENCRYPTION_KEYS_OLD entry ${i + 1}: label must match ${KID_RE}`);
    let key: Buffer;
    try {
      key = parseEncryptionKey(label === null ? raw : raw.slice(sep + 1));
    } catch {
      throw new Error(`TOKEN_ENCRYPTION_KEYS_OLD entry ${i + 1} must be 32 bytes, base64-encoded (optionally label:base64)`);
    }
    keys.set(keyIdOf(key), key);
    if (label) keys.set(label, key);
  }
  return { current: { kid: keyIdOf(cur), key: cur }, keys };
}

/** The key new values are sealed with (and signing keys derived from): the keyring's current one. */
export function currentKey(k: EncryptionKeys): Buffer {
  return asKeyring(k).current.key;
}

function asKeyring(k: EncryptionKeys): Keyring {
  if (!Buffer.isBuffer(k)) return k;
  const kid = keyIdOf(k);
  return { current: { kid, key: k }, keys: new Map([[kid, k]]) };
}

export function encryptSecret(keys: EncryptionKeys, plaintext: string): string {
  const { kid, key } = asKeyring(keys).current;
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const ct = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return ['v2', kid, iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), ct.toString('base64url')].join('.');
}

/** The key id a sealed value names (v2), or null for the key-less v1 format. Throws on anything else. */
export function sealedKeyId(sealed: string): string | null {
  const parts = sealed.split('.');
  if (parts[0] === 'v2' && parts.length === 5) return parts[1]!;
  if (parts[0] === 'v1' && parts.length === 4) return null;
  throw new Error('unrecognised credential format');
}

export function decryptSecret(keys: EncryptionKeys, sealed: string): string {
  const ring = asKeyring(keys);
  const parts = sealed.split('.');
  if (parts[0] === 'v2' && parts.length === 5) {
    const [, kid, iv, tag, ct] = parts as [string, string, string, string, string];
    const key = ring.keys.get(kid);
    if (!key) throw new UnknownKeyError(kid);
    return open(key, iv, tag, ct);
  }
  if (parts[0] === 'v1' && parts.length === 4) {
    const [, iv, tag, ct] = parts as [string, string, string, string];
    for (const key of new Set([ring.current.key, ...ring.keys.values()])) {
      try {
        return open(key, iv, tag, ct);
      } catch {
        // Wrong key: the GCM tag does not verify; try the next one.
      }
    }
    throw new UnknownKeyError(null);
  }
  throw new Error('unrecognised credential format');
}

function open(key: Buffer, iv: string, tag: string, ct: string): string {
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
  decipher.setAuthTag(Buffer.from(tag, 'base64url'));
  return Buffer.concat([decipher.update(Buffer.from(ct, 'base64url')), decipher.final()]).toString('utf8');
}

/** Gateway tokens are stored only as their SHA-256; the plaintext is shown once. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/**
 * Constant-time equality of two secrets of any length: both are hashed to 32 bytes first, so
 * neither where they differ nor how long the stored one is shows in the time taken.
 */
export function safeEqual(given: string, expected: string): boolean {
  const digest = (s: string) => createHash('sha256').update(s, 'utf8').digest();
  return timingSafeEqual(digest(given), digest(expected));
}

export function newId(prefix: string): string {
  return `${prefix}_${randomBytes(10).toString('base64url').replace(/[-_]/g, 'x').toLowerCase()}`;
}
