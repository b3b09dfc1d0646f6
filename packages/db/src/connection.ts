import pg from 'pg';
import { Kysely, Migrator, PostgresDialect, type MigrationResultSet } from 'kysely';
import type { Database } from './schema.js';
import { migrations } from './migrations/index.js';

// DATE columns come back as 'YYYY-MM-DD' strings, not Dates shifted by the local timezone.
pg.types.setTypeParser(1082, (v) => v);
// bigint ids (bigserial) as strings: no precision loss.
pg.types.setTypeParser(20, (v) => v);

export type Db = Kysely<Database>;

export interface DbOptions {
  poolSize?: number;
  applicationName?: string;
}

/** Creates the pool and the Kysely instance. Whoever calls this owns `db.destroy()`. */
export function createDb(url: string, opts: DbOptions = {}): Db {
  const pool = new pg.Pool({
    connectionString: url,
    max: opts.poolSize ?? 10,
    application_name: opts.applicationName ?? 'splits',
    connectionTimeoutMillis: 5_000,
  });
  // An idle client losing its connection must not crash the process; the pool replaces it.
  pool.on('error', () => undefined);
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
}

/** CREATE DATABASE for the database named in `url` if it does not exist yet (DESIGN §7). */
export async function ensureDatabase(url: string, template?: string): Promise<void> {
  const target = new URL(url);
  const name = decodeURIComponent(target.pathname.slice(1));
  if (!/^[A-Za-z0-9_-]+$/.test(name)) throw new Error(`unsupported database name: ${name}`);
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    const { rowCount } = await client.query('select 1 from pg_database where datname = $1', [name]);
    if (rowCount === 0) {
      const tpl = template ? ` template "${template}"` : '';
      try {
        await client.query(`create database "${name}"${tpl}`);
      } catch (err) {
        // Another process created it between our check and our create.
        if ((err as { code?: string }).code !== '42P04') throw err;
      }
    }
  } finally {
    await client.end();
  }
}

export async function migrateToLatest(db: Kysely<any>): Promise<MigrationResultSet> {
  // Unordered: migrations from parallel branches may land with names below one already applied.
  const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations }, allowUnorderedMigrations: true });
  const result = await migrator.migrateToLatest();
  if (result.error) throw result.error;
  return result;
}

/** main.ts helper: create the database if needed, migrate, open the pool, register its close. */
export async function openDatabase(
  url: string,
  opts: DbOptions & { shutdown: { register(name: string, fn: () => Promise<unknown>): void } },
): Promise<Db> {
  await ensureDatabase(url);
  const db = createDb(url, opts);
  opts.shutdown.register('db', () => db.destroy());
  await migrateToLatest(db);
  return db;
}
