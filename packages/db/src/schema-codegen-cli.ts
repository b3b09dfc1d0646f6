import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { createDb, ensureDatabase, migrateToLatest } from './connection.js';
import { runSchemaCodegen } from './schema-codegen.js';

/**
 * `pnpm --filter @splits/db codegen`: migrates a scratch database to the latest migration,
 * regenerates src/schema.ts from it, and drops it. DATABASE_URL names the server (default local).
 */
const server = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/splits';
const url = server.replace(/\/[^/?]*(\?|$)/, `/splits_codegen_${randomBytes(4).toString('hex')}$1`);
await ensureDatabase(url);
const db = createDb(url, { poolSize: 1 });
try {
  await migrateToLatest(db);
  const { ok, output } = await runSchemaCodegen(url);
  process.stdout.write(output);
  process.exitCode = ok ? 0 : 1;
} finally {
  await db.destroy();
  const admin = new pg.Client({ connectionString: url.replace(/\/[^/?]*(\?|$)/, '/postgres$1') });
  await admin.connect();
  await admin.query(`drop database if exists "${new URL(url).pathname.slice(1)}" with (force)`);
  await admin.end();
}
