import type { Kysely } from 'kysely';
import type { Db } from '../connection.js';
import { decryptSecret, encryptSecret, sealedKeyId, type Keyring } from '../crypto.js';
import { SEALED_COLUMNS, sealedColumnName } from '../sealed-columns.js';

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
