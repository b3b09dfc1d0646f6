import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import pg from 'pg';
import { createPostgresServer, REPO_ROOT, TEST_PG_URL, waitFor } from '@splits/testing';
import { createDb, ensureDatabase, migrateToLatest, migrations } from './index.js';

/**
 * The start-up path every service runs (openDatabase: create the database if needed, migrate), in real
 * processes: several starting at once against a database that does not exist yet, and one started
 * before its Postgres.
 */

const CHILD = `
const { openDatabase } = await import(process.env.SPLITS_DB_MODULE);
if (process.env.WAIT_FOR_GO) {
  // Loaded: start when told, so that every process reaches Postgres at the same moment.
  console.log('loaded');
  await new Promise((resolve) => process.stdin.once('data', resolve));
  process.stdin.pause();
}
const closers = [];
try {
  const db = await openDatabase(process.env.DATABASE_URL, {
    poolSize: 1,
    applicationName: 'boot-test',
    shutdown: { register: (_name, fn) => closers.push(fn) },
    bootTimeoutMs: Number(process.env.BOOT_TIMEOUT_MS),
    log: { warn: (f) => console.log('retry ' + f.attempt + ' ' + (f.code ?? f.err)) },
  });
  const n = (await db.selectFrom('kysely_migration').select('name').execute()).length;
  console.log('ready ' + n);
  for (const close of closers.reverse()) await close();
} catch (err) {
  console.log('failed ' + err.code + ' ' + err.message);
  process.exitCode = 1;
}
`;

const children: ChildProcess[] = [];
afterAll(() => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
});

interface Boot {
  lines: string[];
  exited: Promise<number | null>;
  go(): void;
}
/** One service start-up as its own process (node + tsx, as `pnpm start` runs them); `gated` waits for go(). */
function boot(databaseUrl: string, opts: { bootTimeoutMs?: number; gated?: boolean } = {}): Boot {
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', CHILD], {
    cwd: REPO_ROOT,
    env: {
      ...process.env,
      NODE_OPTIONS: '',
      SPLITS_DB_MODULE: join(REPO_ROOT, 'packages/db/src/index.ts'),
      DATABASE_URL: databaseUrl,
      BOOT_TIMEOUT_MS: String(opts.bootTimeoutMs ?? 30_000),
      WAIT_FOR_GO: opts.gated ? '1' : '',
    },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  children.push(child);
  const lines: string[] = [];
  let err = '';
  child.stdout.on('data', (d: Buffer) => lines.push(...d.toString().split('\n').filter(Boolean)));
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<number | null>((resolve) =>
    child.on('exit', (code) => {
      if (code !== 0 && err) lines.push(`stderr: ${err.slice(0, 2000)}`);
      resolve(code);
    }),
  );
  return { lines, exited, go: () => child.stdin.end('go\n') };
}
const withDb = (url: string, name: string) => {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
};
async function query(url: string, text: string, values: unknown[] = []) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(text, values)).rows;
  } finally {
    await client.end();
  }
}
const MIGRATIONS = Object.keys(migrations).length;

describe('six services starting at once against a database that does not exist', () => {
  const name = `splits_boot_${randomBytes(4).toString('hex')}`;
  afterAll(async () => {
    await query(TEST_PG_URL, `drop database if exists "${name}" with (force)`);
  });

  it('all of them start: the race to create it is not an error, and it is migrated once', async () => {
    const url = withDb(TEST_PG_URL, name);
    const boots = Array.from({ length: 6 }, () => boot(url, { gated: true }));
    await waitFor(() => boots.every((b) => b.lines.includes('loaded')), { timeoutMs: 30_000, what: 'six processes loaded' });
    for (const b of boots) b.go();
    const codes = await Promise.all(boots.map((b) => b.exited));
    expect(boots.map((b) => b.lines.at(-1))).toEqual(boots.map(() => `ready ${MIGRATIONS}`));
    expect(codes).toEqual([0, 0, 0, 0, 0, 0]);
    expect(await query(TEST_PG_URL, 'select 1 from pg_database where datname = $1', [name])).toHaveLength(1);
    expect(await query(url, 'select name from kysely_migration')).toHaveLength(MIGRATIONS);
  }, 60_000);
});

describe('a private Postgres', () => {
  let server: Awaited<ReturnType<typeof createPostgresServer>>;
  beforeAll(async () => {
    server = await createPostgresServer(); // initialised, not started
  }, 60_000);
  afterAll(async () => {
    await server?.destroy();
  });

  it('a service started before Postgres waits for it, then starts', async () => {
    const b = boot(withDb(server.url, 'splits_late'));
    // The service has tried and been refused at least once before Postgres comes up.
    const retry = await waitFor(() => b.lines.find((l) => l.startsWith('retry ') || l.startsWith('failed ')), { what: 'a refused attempt' });
    expect(retry).toMatch(/^retry \d+ ECONNREFUSED$/);
    await server.start();
    expect(await b.exited).toBe(0);
    expect(b.lines.at(-1)).toBe(`ready ${MIGRATIONS}`);
  }, 60_000);

  it('gives up after the boot timeout when Postgres never comes', async () => {
    await server.stop();
    const started = Date.now();
    const b = boot(withDb(server.url, 'splits_never'), { bootTimeoutMs: 1_500 });
    expect(await b.exited).toBe(1);
    expect(b.lines.at(-1)).toMatch(/^failed ECONNREFUSED/);
    expect(Date.now() - started).toBeLessThan(15_000);
    await server.start();
  }, 30_000);

  it('needs no access to the postgres maintenance database when the target exists', async () => {
    await query(server.url, 'create role app login');
    await query(server.url, 'create database app_db owner app');
    await query(server.url, 'revoke connect on database postgres from public');
    const appUrl = withDb(server.url.replace('postgres@', 'app@'), 'app_db');
    await expect(query(withDb(server.url.replace('postgres@', 'app@'), 'postgres'), 'select 1')).rejects.toMatchObject({ code: '42501' });
    await ensureDatabase(appUrl);
    const db = createDb(appUrl, { poolSize: 1 });
    try {
      await migrateToLatest(db);
    } finally {
      await db.destroy();
    }
    expect(await query(appUrl, 'select name from kysely_migration')).toHaveLength(MIGRATIONS);
  }, 30_000);
});
