import { createHash, randomBytes } from 'node:crypto';
import pg from 'pg';
import { createDb, ensureDatabase, migrateToLatest, migrations, type Db } from '@splits/db';

export const TEST_PG_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

function withDb(base: string, name: string): string {
  const u = new URL(base);
  u.pathname = `/${name}`;
  return u.toString();
}

/** Template name keyed by the migrations' names and code, so a new or edited migration gives a fresh template. */
function templateName(): string {
  const source = Object.entries(migrations)
    .map(([name, m]) => `${name}:${m.up.toString()}`)
    .join('\n');
  const h = createHash('sha1').update(source).digest('hex').slice(0, 10);
  return `splits_tpl_${h}`;
}

async function ensureTemplate(): Promise<string> {
  const name = templateName();
  const admin = new pg.Client({ connectionString: TEST_PG_URL });
  await admin.connect();
  try {
    // Serialise template creation across parallel jest workers.
    await admin.query('select pg_advisory_lock(727001)');
    const { rowCount } = await admin.query('select 1 from pg_database where datname = $1', [name]);
    if (rowCount === 0) {
      await admin.query(`create database "${name}"`);
      const db = createDb(withDb(TEST_PG_URL, name), { poolSize: 1 });
      try {
        await migrateToLatest(db);
      } finally {
        await db.destroy();
      }
    }
    await admin.query('select pg_advisory_unlock(727001)');
  } finally {
    await admin.end();
  }
  return name;
}

export interface TestDatabase {
  url: string;
  name: string;
  db: Db;
  drop(): Promise<void>;
}

/** A fresh, migrated database for one test file: a clone of a migrated template (fast). */
export async function createTestDatabase(label = 'test'): Promise<TestDatabase> {
  const tpl = await ensureTemplate();
  const name = `splits_${label.replace(/[^a-z0-9]/gi, '').toLowerCase().slice(0, 20)}_${randomBytes(4).toString('hex')}`;
  const url = withDb(TEST_PG_URL, name);
  await ensureDatabase(url, tpl);
  const db = createDb(url, { poolSize: 5 });
  return {
    url,
    name,
    db,
    async drop() {
      await db.destroy();
      const admin = new pg.Client({ connectionString: TEST_PG_URL });
      await admin.connect();
      try {
        await admin.query(`drop database if exists "${name}" with (force)`);
      } finally {
        await admin.end();
      }
    },
  };
}
