import { sql, type Kysely } from 'kysely';
import type { Db } from '../connection.js';
import { decryptSecret, encryptSecret, newId, sealedKeyId, type EncryptionKeys, type Keyring } from '../crypto.js';
import { SEALED_COLUMNS, sealedColumnName } from '../sealed-columns.js';

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

/** A sealed value that could not be re-encrypted; names the row and column, never the secret or a key. */
export class CredentialRotationError extends Error {
  override readonly name = 'CredentialRotationError';
  constructor(
    /** `table.column`, as in SEALED_COLUMNS. */
    readonly column: string,
    /** The row, in words (e.g. `connection of athlete ath_… (Intervals.icu i123)`). */
    readonly row: string,
    cause: Error,
  ) {
    super(`${row} [${column}]: ${cause.message}`);
  }
}

export interface RotationCounts {
  /** Rows looked at. */
  total: number;
  /** Re-encrypted under the current key. */
  rotated: number;
  /** Already sealed under the current key. */
  current: number;
  /** Nothing sealed in the row (a forgotten token, a public OAuth client). */
  empty: number;
}

export interface RotationResult extends RotationCounts {
  /** The same counts per sealed column (`table.column`). */
  columns: Record<string, RotationCounts>;
}

/**
 * Re-encrypts every value in every column of SEALED_COLUMNS under the keyring's current key.
 * Idempotent (values already under the current key are left alone); one transaction per batch, rows
 * locked while they are rewritten. A value no configured key opens stops the run with an error that
 * names the row; batches before it stay committed and a re-run continues.
 */
export async function rotateCredentials(
  db: Db,
  keys: Keyring,
  opts: { batchSize?: number; onBatch?: (progress: RotationResult) => void } = {},
): Promise<RotationResult> {
  const batchSize = opts.batchSize ?? 200;
  const result: RotationResult = { total: 0, rotated: 0, current: 0, empty: 0, columns: {} };
  const count = (counts: RotationCounts, what: Exclude<keyof RotationCounts, 'total'>) => {
    counts[what]++;
    counts.total++;
    result[what]++;
    result.total++;
  };
  for (const col of SEALED_COLUMNS) {
    const counts: RotationCounts = { total: 0, rotated: 0, current: 0, empty: 0 };
    result.columns[sealedColumnName(col)] = counts;
    let after = '';
    for (;;) {
      const seen = await db.transaction().execute(async (trx) => {
        // Table and column names come from the registry, not from input; the registry's types tie them to the schema.
        const t = trx as unknown as Kysely<Record<string, Record<string, string | null>>>;
        const rows = await t
          .selectFrom(col.table)
          .select([col.key, col.column, ...(col.keyIdColumn ? [col.keyIdColumn] : []), ...(col.labelColumns ?? [])])
          .where(col.key, '>', after)
          .orderBy(col.key)
          .limit(batchSize)
          .forUpdate()
          .execute();
        for (const row of rows) {
          const id = row[col.key]!;
          const value = row[col.column];
          if (value === null || value === undefined || value === '') {
            count(counts, 'empty');
            continue;
          }
          let sealed: string;
          try {
            if (sealedKeyId(value) === keys.current.kid) {
              count(counts, 'current');
              if (col.keyIdColumn && row[col.keyIdColumn] !== keys.current.kid) {
                await t.updateTable(col.table).set({ [col.keyIdColumn]: keys.current.kid }).where(col.key, '=', id).execute();
              }
              continue;
            }
            sealed = encryptSecret(keys, decryptSecret(keys, value));
          } catch (err) {
            throw new CredentialRotationError(sealedColumnName(col), col.describe(row), err as Error);
          }
          await t
            .updateTable(col.table)
            .set({ [col.column]: sealed, ...(col.keyIdColumn ? { [col.keyIdColumn]: keys.current.kid } : {}) })
            .where(col.key, '=', id)
            .execute();
          count(counts, 'rotated');
        }
        if (rows.length > 0) after = rows[rows.length - 1]![col.key]!;
        return rows.length;
      });
      if (seen > 0) opts.onBatch?.({ ...result, columns: structuredClone(result.columns) });
      if (seen < batchSize) break;
    }
  }
  return result;
}
