import { randomBytes } from 'node:crypto';
import type { Db } from '../connection.js';
import { hashToken, newId } from '../crypto.js';

/**
 * Storage for the gateway's OAuth 2.1 authorization server and token revocation. Every secret
 * (sign-in code, authorization code, access/refresh token) is stored only as its SHA-256.
 */

/** Unambiguous letters and digits for a code an athlete types (no 0/O, 1/I/L). */
const CODE_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';

/** A one-time sign-in code for the authorize page (10 characters ≈ 49 bits), shown once. */
export async function createLoginCode(db: Db, athleteId: string, ttlMs: number): Promise<{ code: string; expiresAt: Date }> {
  const bytes = randomBytes(10);
  const raw = Array.from(bytes, (b) => CODE_ALPHABET[b % CODE_ALPHABET.length]).join('');
  const code = `${raw.slice(0, 5)}-${raw.slice(5)}`;
  const expiresAt = new Date(Date.now() + ttlMs);
  await db.insertInto('login_code').values({ code_hash: hashToken(normaliseLoginCode(code)), athlete_id: athleteId, expires_at: expiresAt, used_at: null }).execute();
  return { code, expiresAt };
}

/** Case and dashes do not matter when the athlete types the code. */
export function normaliseLoginCode(code: string): string {
  return code.toUpperCase().replace(/[^A-Z0-9]/g, '');
}

/** Marks the code used (once, atomically) and answers its athlete; null when unknown, used or expired. */
export async function consumeLoginCode(db: Db, code: string): Promise<string | null> {
  const row = await db
    .updateTable('login_code')
    .set({ used_at: new Date() })
    .where('code_hash', '=', hashToken(normaliseLoginCode(code)))
    .where('used_at', 'is', null)
    .where('expires_at', '>', new Date())
    .returning('athlete_id')
    .executeTakeFirst();
  return row?.athlete_id ?? null;
}

export interface OAuthClientRecord {
  clientId: string;
  secretEnc: string | null;
  info: Record<string, unknown>;
}

export async function saveOAuthClient(db: Db, c: OAuthClientRecord): Promise<void> {
  await db.insertInto('oauth_client').values({ client_id: c.clientId, secret_enc: c.secretEnc, info: JSON.stringify(c.info) }).execute();
}

export async function getOAuthClient(db: Db, clientId: string): Promise<OAuthClientRecord | null> {
  const row = await db.selectFrom('oauth_client').select(['client_id', 'secret_enc', 'info']).where('client_id', '=', clientId).executeTakeFirst();
  return row ? { clientId: row.client_id, secretEnc: row.secret_enc, info: row.info as Record<string, unknown> } : null;
}

export interface NewAuthorization {
  clientId: string;
  redirectUri: string;
  codeChallenge: string;
  scopes: string;
  state: string | null;
  resource: string;
  /** Hash of the nonce in the cookie of the browser that opened the authorize page. */
  browserHash: string;
  ttlMs: number;
}

/** A pending authorization request, waiting for the athlete to sign in on the authorize page. */
export async function createAuthorization(db: Db, a: NewAuthorization): Promise<string> {
  const id = `az_${randomBytes(24).toString('base64url')}`;
  await db
    .insertInto('oauth_authorization')
    .values({
      id,
      client_id: a.clientId,
      redirect_uri: a.redirectUri,
      code_challenge: a.codeChallenge,
      scopes: a.scopes,
      state: a.state,
      resource: a.resource,
      athlete_id: null,
      code_hash: null,
      expires_at: new Date(Date.now() + a.ttlMs),
      used_at: null,
      browser_hash: a.browserHash,
      signed_in_athlete_id: null,
    })
    .execute();
  return id;
}

const AUTH_COLUMNS = ['id', 'client_id', 'redirect_uri', 'code_challenge', 'scopes', 'state', 'resource', 'athlete_id', 'expires_at', 'browser_hash', 'signed_in_athlete_id'] as const;

export async function getPendingAuthorization(db: Db, id: string) {
  return db
    .selectFrom('oauth_authorization')
    .select(AUTH_COLUMNS)
    .where('id', '=', id)
    .where('athlete_id', 'is', null)
    .where('expires_at', '>', new Date())
    .executeTakeFirst();
}

/**
 * The athlete allowed the client: bind the request to them and attach the authorization code (hash).
 * Once only. With `signedInAs`, only while that athlete is still the one who signed in through
 * Intervals.icu (the consent page showed them).
 */
export async function approveAuthorization(
  db: Db,
  id: string,
  athleteId: string,
  code: string,
  ttlMs: number,
  opts: { signedInAs?: string } = {},
): Promise<boolean> {
  let q = db
    .updateTable('oauth_authorization')
    .set({ athlete_id: athleteId, code_hash: hashToken(code), expires_at: new Date(Date.now() + ttlMs) })
    .where('id', '=', id)
    .where('athlete_id', 'is', null)
    .where('expires_at', '>', new Date());
  if (opts.signedInAs) q = q.where('signed_in_athlete_id', '=', opts.signedInAs);
  const res = await q.executeTakeFirst();
  return res.numUpdatedRows > 0n;
}

/** The athlete signed in through Intervals.icu; the request now waits on the consent page. */
export async function recordAuthorizationSignIn(db: Db, id: string, athleteId: string): Promise<boolean> {
  const res = await db
    .updateTable('oauth_authorization')
    .set({ signed_in_athlete_id: athleteId })
    .where('id', '=', id)
    .where('athlete_id', 'is', null)
    .where('expires_at', '>', new Date())
    .executeTakeFirst();
  return res.numUpdatedRows > 0n;
}

/** The athlete denied the client: the request ends and can never be approved. */
export async function denyAuthorization(db: Db, id: string): Promise<boolean> {
  const now = new Date();
  const res = await db
    .updateTable('oauth_authorization')
    .set({ expires_at: now, used_at: now })
    .where('id', '=', id)
    .where('athlete_id', 'is', null)
    .where('expires_at', '>', now)
    .executeTakeFirst();
  return res.numUpdatedRows > 0n;
}

/** An approved, unexpired, unused authorization code of this client (not consumed). */
export async function findAuthorizationCode(db: Db, clientId: string, code: string) {
  return db
    .selectFrom('oauth_authorization')
    .select(AUTH_COLUMNS)
    .select('used_at')
    .where('code_hash', '=', hashToken(code))
    .where('client_id', '=', clientId)
    .where('expires_at', '>', new Date())
    .executeTakeFirst();
}

/** Consumes the code atomically; null when it was already used (a replay), unknown or expired. */
export async function consumeAuthorizationCode(db: Db, clientId: string, code: string) {
  return db
    .updateTable('oauth_authorization')
    .set({ used_at: new Date() })
    .where('code_hash', '=', hashToken(code))
    .where('client_id', '=', clientId)
    .where('used_at', 'is', null)
    .where('expires_at', '>', new Date())
    .returning(AUTH_COLUMNS)
    .executeTakeFirst();
}

export interface IssuedToken {
  kind: 'access' | 'refresh';
  token: string;
  family: string;
  athleteId: string;
  clientId: string;
  resource: string;
  scopes: string;
  expiresAt: Date;
}

/** A fresh random token with a prefix naming its kind (`spa_` access, `spr_` refresh). */
export function newOAuthToken(kind: 'access' | 'refresh'): string {
  return `${kind === 'access' ? 'spa' : 'spr'}_${randomBytes(32).toString('base64url')}`;
}

export async function insertOAuthTokens(db: Db, tokens: IssuedToken[]): Promise<void> {
  await db
    .insertInto('oauth_token')
    .values(
      tokens.map((t) => ({
        id: newId('otk'),
        token_hash: hashToken(t.token),
        kind: t.kind,
        family: t.family,
        athlete_id: t.athleteId,
        client_id: t.clientId,
        resource: t.resource,
        scopes: t.scopes,
        expires_at: t.expiresAt,
        revoked_at: null,
      })),
    )
    .execute();
}

/** The stored token (revoked or not, expired or not): the caller decides, e.g. to detect refresh-token reuse. */
export async function findOAuthToken(db: Db, token: string) {
  return db
    .selectFrom('oauth_token')
    .select(['id', 'kind', 'family', 'athlete_id', 'client_id', 'resource', 'scopes', 'expires_at', 'revoked_at'])
    .where('token_hash', '=', hashToken(token))
    .executeTakeFirst();
}

/** Revokes one token; true only for the call that revoked it (so a refresh token rotates once). */
export async function revokeOAuthToken(db: Db, id: string): Promise<boolean> {
  const res = await db.updateTable('oauth_token').set({ revoked_at: new Date() }).where('id', '=', id).where('revoked_at', 'is', null).executeTakeFirst();
  return res.numUpdatedRows > 0n;
}

export async function revokeOAuthFamily(db: Db, family: string): Promise<number> {
  const res = await db.updateTable('oauth_token').set({ revoked_at: new Date() }).where('family', '=', family).where('revoked_at', 'is', null).executeTakeFirst();
  return Number(res.numUpdatedRows);
}

/** Revokes a gateway API token of this athlete; false when unknown or already revoked. */
export async function revokeApiToken(db: Db, athleteId: string, tokenId: string): Promise<boolean> {
  const res = await db
    .updateTable('api_token')
    .set({ revoked_at: new Date() })
    .where('id', '=', tokenId)
    .where('athlete_id', '=', athleteId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return res.numUpdatedRows > 0n;
}

export async function listApiTokens(db: Db, athleteId: string) {
  return db
    .selectFrom('api_token')
    .select(['id', 'label', 'created_at', 'revoked_at'])
    .where('athlete_id', '=', athleteId)
    .orderBy('created_at')
    .execute();
}
