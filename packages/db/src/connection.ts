import pg from 'pg';
import { Kysely, Migrator, PostgresDialect, sql, type MigrationResultSet } from 'kysely';
import type { DB as Database } from './schema.js';
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

/** A readiness check: Postgres answers `select 1`. */
export async function pingDatabase(db: Kysely<any>): Promise<void> {
  await sql`select 1`.execute(db);
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
  // Nor one checked out between two queries (a transaction waiting on other work) when Postgres
  // restarts: pg emits 'error' on that client, and with no listener Node ends the process. The next
  // query on it rejects, so the caller still sees the failure (found by the chaos run, issue 15).
  pool.on('connect', (client) => void client.on('error', () => undefined));
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
}

export interface BootOptions {
  /**
   * How long to keep trying while Postgres is not accepting connections yet (starting, restarting,
   * its address not resolvable yet): every service starts at once, often beside its database.
   */
  timeoutMs?: number;
  /** Told about each failed attempt that will be retried (for a log line). */
  onRetry?: (err: Error, attempt: number, delayMs: number) => void;
}

const DEFAULT_BOOT_TIMEOUT_MS = 30_000;
const NETWORK_ERRORS = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE']);

/**
 * Errors that say "not now" rather than "never": no listener yet, the server starting up or shutting
 * down (57P01–57P03), too many connections (53300), connection failures (class 08). A wrong password,
 * a missing privilege or a missing database are not retried.
 */
export function isTransientConnectError(err: unknown): boolean {
  const e = err as { code?: unknown; message?: unknown } | null;
  const code = typeof e?.code === 'string' ? e.code : '';
  if (NETWORK_ERRORS.has(code) || code.startsWith('08') || code === '53300' || /^57P0[123]$/.test(code)) return true;
  return typeof e?.message === 'string' && /Connection terminated|timeout expired/i.test(e.message);
}

/** Runs `attempt` until it succeeds, retrying transient connection errors with capped exponential backoff until the deadline. */
export async function withBootRetry<T>(attempt: () => Promise<T>, opts: BootOptions = {}): Promise<T> {
  const deadline = Date.now() + (opts.timeoutMs ?? DEFAULT_BOOT_TIMEOUT_MS);
  for (let n = 1; ; n++) {
    try {
      return await attempt();
    } catch (err) {
      const left = deadline - Date.now();
      if (!isTransientConnectError(err) || left <= 0) throw err;
      const delayMs = Math.min(2_000, 100 * 2 ** (n - 1), left);
      opts.onRetry?.(err as Error, n, delayMs);
      await new Promise((r) => setTimeout(r, delayMs));
    }
  }
}

/** Whether the database at `url` accepts a connection; false when it does not exist (3D000). */
async function databaseExists(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
  try {
    await client.connect();
    return true;
  } catch (err) {
    if ((err as { code?: string }).code === '3D000') return false;
    throw err;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * CREATE DATABASE for the database named in `url` if it does not exist yet (DESIGN §7). The target is
 * tried first, so a deployment whose database exists needs no access to the `postgres` maintenance
 * database. Several processes starting at once race to create it: the losers see 42P04
 * (duplicate_database) or 23505 (the unique index on pg_database), and both mean "it exists now".
 * While Postgres is still starting, this waits (`BootOptions.timeoutMs`, default 30 s).
 */
export async function ensureDatabase(url: string, template?: string, opts: BootOptions = {}): Promise<void> {
  const target = new URL(url);
  const name = decodeURIComponent(target.pathname.slice(1));
  if (!/^[A-Za-z0-9_-]+$/.test(name)) throw new Error(`unsupported database name: ${name}`);
  const admin = new URL(url);
  admin.pathname = '/postgres';
  await withBootRetry(async () => {
    if (await databaseExists(url)) return;
    const client = new pg.Client({ connectionString: admin.toString(), connectionTimeoutMillis: 5_000 });
    try {
      await client.connect();
      const tpl = template ? ` template "${template}"` : '';
      await client.query(`create database "${name}"${tpl}`);
    } catch (err) {
      const code = (err as { code?: string }).code;
      if (code !== '42P04' && code !== '23505') throw err;
    } finally {
      await client.end().catch(() => undefined);
    }
  }, opts);
}

export async function migrateToLatest(db: Kysely<any>): Promise<MigrationResultSet> {
  // Unordered: migrations from parallel branches may land with names below one already applied.
  const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations }, allowUnorderedMigrations: true });
  const result = await migrator.migrateToLatest();
  if (result.error) throw result.error;
  return result;
}

/**
 * main.ts helper: create the database if needed (waiting for a Postgres that is still starting, up to
 * `bootTimeoutMs`), open the pool, register its close, migrate.
 */
export async function openDatabase(
  url: string,
  opts: DbOptions & {
    shutdown: { register(name: string, fn: () => Promise<unknown>): void };
    /** DATABASE_BOOT_TIMEOUT_MS. */
    bootTimeoutMs?: number;
    /** Each retried attempt is logged (the error, never the URL: it may hold a password). */
    log?: { warn(fields: object, msg: string): void };
  },
): Promise<Db> {
  await ensureDatabase(url, undefined, {
    timeoutMs: opts.bootTimeoutMs,
    onRetry: (err, attempt, delayMs) =>
      opts.log?.warn({ err: err.message, code: (err as { code?: string }).code, attempt, delayMs }, 'Postgres not reachable yet; retrying'),
  });
  const db = createDb(url, opts);
  opts.shutdown.register('db', () => db.destroy());
  await migrateToLatest(db);
  return db;
}
