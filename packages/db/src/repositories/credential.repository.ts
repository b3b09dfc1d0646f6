import { sql } from 'kysely';
import type { Db } from '../connection.js';
import { decryptSecret, encryptSecret, newId, sealedKeyId, type EncryptionKeys, type Keyring } from '../crypto.js';

export interface OAuthGrant {
  /** `i` + digits, as webhooks name the athlete. */
  intervalsAthleteId: string;
  name: string | null;
  accessToken: string;
  /** Comma-separated scopes Intervals.icu granted. */
  scopes: string;
}

/**
 * Creates or updates the athlete behind an OAuth grant (matched by Intervals.icu athlete id) and
 * makes its connection an active OAuth one with the new token sealed. Re-authorising replaces the
 * token, as Intervals.icu keeps one token per athlete and app. Must run inside the caller's
 * transaction: the advisory lock serialises two callbacks for the same athlete.
 */
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

/** A credential that could not be re-encrypted; names the connection, never the secret or a key. */
export class CredentialRotationError extends Error {
  override readonly name = 'CredentialRotationError';
  constructor(
    readonly athleteId: string,
    readonly intervalsAthleteId: string,
    cause: Error,
  ) {
    super(`connection of athlete ${athleteId} (Intervals.icu ${intervalsAthleteId}): ${cause.message}`);
  }
}

export interface RotationResult {
  /** Connections looked at. */
  total: number;
  /** Re-encrypted under the current key. */
  rotated: number;
  /** Already sealed under the current key. */
  current: number;
  /** No credential stored (a forgotten token). */
  empty: number;
}

/**
 * Re-encrypts every stored Intervals.icu credential under the keyring's current key. Idempotent
 * (values already under the current key are left alone); one transaction per batch, rows locked
 * while they are rewritten. A credential no configured key opens stops the run with an error that
 * names the connection; batches before it stay committed and a re-run continues.
 */
export async function rotateCredentials(
  db: Db,
  keys: Keyring,
  opts: { batchSize?: number; onBatch?: (progress: RotationResult) => void } = {},
): Promise<RotationResult> {
  const batchSize = opts.batchSize ?? 200;
  const result: RotationResult = { total: 0, rotated: 0, current: 0, empty: 0 };
  let after = '';
  for (;;) {
    const done = await db.transaction().execute(async (trx) => {
      const rows = await trx
        .selectFrom('intervals_connection')
        .select(['athlete_id', 'intervals_athlete_id', 'credential_enc', 'key_id'])
        .where('athlete_id', '>', after)
        .orderBy('athlete_id')
        .limit(batchSize)
        .forUpdate()
        .execute();
      for (const row of rows) {
        result.total++;
        if (row.credential_enc === '') {
          result.empty++;
          continue;
        }
        let sealed: string;
        try {
          if (sealedKeyId(row.credential_enc) === keys.current.kid) {
            result.current++;
            if (row.key_id !== keys.current.kid) {
              await trx.updateTable('intervals_connection').set({ key_id: keys.current.kid }).where('athlete_id', '=', row.athlete_id).execute();
            }
            continue;
          }
          sealed = encryptSecret(keys, decryptSecret(keys, row.credential_enc));
        } catch (err) {
          throw new CredentialRotationError(row.athlete_id, row.intervals_athlete_id, err as Error);
        }
        await trx
          .updateTable('intervals_connection')
          .set({ credential_enc: sealed, key_id: keys.current.kid, updated_at: new Date() })
          .where('athlete_id', '=', row.athlete_id)
          .execute();
        result.rotated++;
      }
      if (rows.length > 0) after = rows[rows.length - 1]!.athlete_id;
      return rows.length < batchSize;
    });
    opts.onBatch?.({ ...result });
    if (done) return result;
  }
}
