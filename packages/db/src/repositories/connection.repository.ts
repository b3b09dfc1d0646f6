import { sql } from 'kysely';
import type { Db } from '../connection.js';
import { decryptSecret, encryptSecret, newId, sealedKeyId, type EncryptionKeys } from '../crypto.js';

export interface IntervalsCredential {
  athleteId: string;
  intervalsAthleteId: string;
  authKind: 'api_key' | 'oauth';
  secret: string;
}

export interface OAuthGrant {
  /** `i` + digits, as webhooks name the athlete. */
  intervalsAthleteId: string;
  name: string | null;
  accessToken: string;
  /** Comma-separated scopes Intervals.icu granted. */
  scopes: string;
}

/** active: usable · broken: Intervals.icu refused the credential (401/403) · revoked: the athlete deauthorised the app. */
export type ConnectionStatus = 'active' | 'broken' | 'revoked';

export async function getConnectionState(db: Db, athleteId: string) {
  return db
    .selectFrom('intervals_connection as c')
    .innerJoin('athlete as a', 'a.id', 'c.athlete_id')
    .select(['c.athlete_id', 'c.intervals_athlete_id', 'c.auth_kind', 'c.status', 'c.status_reason', 'c.scopes', 'c.poll_cursor', 'c.last_polled_at', 'a.timezone'])
    .where('c.athlete_id', '=', athleteId)
    .executeTakeFirst();
}

/** Marks the connection unusable (or usable again) with a reason operators can read. */
export async function setConnectionStatus(db: Db, athleteId: string, status: ConnectionStatus, reason: string | null): Promise<void> {
  await db
    .updateTable('intervals_connection')
    .set({ status, status_reason: reason, updated_at: new Date() })
    .where('athlete_id', '=', athleteId)
    .execute();
}

/** APP_SCOPE_CHANGED with deauthorized: the token is forgotten, not just flagged. */
export async function revokeConnection(db: Db, athleteId: string, reason: string): Promise<void> {
  await db
    .updateTable('intervals_connection')
    .set({ status: 'revoked', status_reason: reason, credential_enc: '', scopes: '', updated_at: new Date() })
    .where('athlete_id', '=', athleteId)
    .execute();
}

export async function updateConnectionScopes(db: Db, athleteId: string, scopes: string): Promise<void> {
  await db.updateTable('intervals_connection').set({ scopes, updated_at: new Date() }).where('athlete_id', '=', athleteId).execute();
}

/** Connections to poll: every active one, with how (api_key: full poll; oauth: reconciliation). */
export async function listActiveConnections(db: Db) {
  return db
    .selectFrom('intervals_connection')
    .select(['athlete_id', 'auth_kind'])
    .where('status', '=', 'active')
    .orderBy('athlete_id')
    .execute();
}

export async function recordPoll(db: Db, athleteId: string, cursor: Date | null): Promise<void> {
  await db
    .updateTable('intervals_connection')
    .set({
      last_polled_at: new Date(),
      poll_cursor: cursor ? sql<Date>`greatest(coalesce(poll_cursor, ${cursor}), ${cursor})` : sql<Date>`poll_cursor`,
    })
    .where('athlete_id', '=', athleteId)
    .execute();
}

/** The newest stored APP_SCOPE_CHANGED event of an athlete: scope changes apply in arrival order. */
export async function latestScopeChange(db: Db, athleteId: string) {
  return db
    .selectFrom('webhook_inbox')
    .select(['id', 'payload'])
    .where('athlete_id', '=', athleteId)
    .where('type', '=', 'APP_SCOPE_CHANGED')
    .orderBy('id', 'desc')
    .executeTakeFirst();
}

/** The decrypted credential, for the Intervals.icu client only; never log or return it. */
export async function getIntervalsCredential(db: Db, key: EncryptionKeys, athleteId: string): Promise<IntervalsCredential | null> {
  const row = await db
    .selectFrom('intervals_connection')
    .select(['athlete_id', 'intervals_athlete_id', 'auth_kind', 'credential_enc'])
    .where('athlete_id', '=', athleteId)
    .executeTakeFirst();
  if (!row) return null;
  return {
    athleteId: row.athlete_id,
    intervalsAthleteId: row.intervals_athlete_id,
    authKind: row.auth_kind,
    secret: decryptSecret(key, row.credential_enc),
  };
}

/**
 * Creates or updates the athlete behind an OAuth grant (matched by Intervals.icu athlete id) and
 * makes its connection an active OAuth one with the new token sealed. Re-authorising replaces the
 * token, as Intervals.icu keeps one token per athlete and app. Must run inside the caller's
 * transaction: the advisory lock serialises two callbacks for the same athlete.
 */
/** An athlete's Intervals.icu connection, the credential sealed under the current key. */
export async function insertConnection(
  db: Db,
  key: EncryptionKeys,
  c: { athleteId: string; intervalsAthleteId: string; authKind: 'api_key' | 'oauth'; credential: string; scopes: string | null },
): Promise<void> {
  const sealed = encryptSecret(key, c.credential);
  await db
    .insertInto('intervals_connection')
    .values({ athlete_id: c.athleteId, intervals_athlete_id: c.intervalsAthleteId, auth_kind: c.authKind, credential_enc: sealed, key_id: sealedKeyId(sealed), scopes: c.scopes, poll_cursor: null })
    .execute();
}

export async function upsertOAuthConnection(db: Db, keys: EncryptionKeys, grant: OAuthGrant): Promise<{ athleteId: string; created: boolean }> {
  await sql`select pg_advisory_xact_lock(hashtext(${`oauth-connect:${grant.intervalsAthleteId}`}))`.execute(db);
  const sealed = encryptSecret(keys, grant.accessToken);
  const connection = {
    auth_kind: 'oauth' as const,
    credential_enc: sealed,
    key_id: sealedKeyId(sealed),
    scopes: grant.scopes,
    status: 'active',
    status_reason: null,
  };
  const existing = await db
    .selectFrom('intervals_connection')
    .select('athlete_id')
    .where('intervals_athlete_id', '=', grant.intervalsAthleteId)
    .executeTakeFirst();
  if (existing) {
    await db
      .updateTable('intervals_connection')
      .set({ ...connection, updated_at: new Date() })
      .where('athlete_id', '=', existing.athlete_id)
      .execute();
    if (grant.name) await db.updateTable('athlete').set({ name: grant.name }).where('id', '=', existing.athlete_id).execute();
    return { athleteId: existing.athlete_id, created: false };
  }
  const athleteId = newId('ath');
  await db.insertInto('athlete').values({ id: athleteId, name: grant.name, timezone: 'UTC' }).execute();
  await db
    .insertInto('intervals_connection')
    .values({ athlete_id: athleteId, intervals_athlete_id: grant.intervalsAthleteId, poll_cursor: null, ...connection })
    .execute();
  return { athleteId, created: true };
}
