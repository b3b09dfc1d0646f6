import type { DB as Database } from './schema.js';

/**
 * Every column that holds a value sealed with `encryptSecret` (TOKEN_ENCRYPTION_KEY), in one place:
 * `keys rotate` re-seals exactly these, and sealed-columns.int.test.ts fails when the schema has a
 * sealed column that is not listed. Convention: a sealed column's name ends in `_enc`, and nothing
 * else's does.
 */
export type SealedColumn = {
  [T in keyof Database]: {
    table: T;
    column: keyof Database[T] & string;
    /** A unique text column that orders the rows for batching and names a row in errors. */
    key: keyof Database[T] & string;
    /** A column that records the sealing key's id beside the value, kept in step on rotation. */
    keyIdColumn?: keyof Database[T] & string;
    /** Names a row in an error (never the secret): e.g. `connection of athlete ath_… (Intervals.icu i123)`. */
    describe: (row: Record<string, unknown>) => string;
    /** Other columns `describe` reads. */
    labelColumns?: ReadonlyArray<keyof Database[T] & string>;
  };
}[keyof Database];

export const SEALED_COLUMNS: readonly SealedColumn[] = [
  {
    // The athlete's Intervals.icu API key or OAuth access token ('' once a token is forgotten).
    table: 'intervals_connection',
    column: 'credential_enc',
    key: 'athlete_id',
    keyIdColumn: 'key_id',
    labelColumns: ['intervals_athlete_id'],
    describe: (r) => `connection of athlete ${String(r.athlete_id)} (Intervals.icu ${String(r.intervals_athlete_id)})`,
  },
  {
    // Secrets of OAuth clients registered at the gateway (RFC 7591); null for public (PKCE-only) clients.
    table: 'oauth_client',
    column: 'secret_enc',
    key: 'client_id',
    describe: (r) => `OAuth client ${String(r.client_id)}`,
  },
];

export const sealedColumnName = (c: Pick<SealedColumn, 'table' | 'column'>) => `${c.table}.${c.column}`;
