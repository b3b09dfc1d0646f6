import { createDb, ensureDatabase, migrateToLatest } from './connection.js';

// Operator entry point (`pnpm migrate`): the only place in this package that reads process.env.
const url = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/splits';
await ensureDatabase(url);
const db = createDb(url, { poolSize: 1, applicationName: 'splits-migrate' });
try {
  const res = await migrateToLatest(db);
  const applied = res.results?.filter((r) => r.status === 'Success').map((r) => r.migrationName) ?? [];
  console.log(applied.length ? `migrated: ${applied.join(', ')}` : 'database is up to date');
} finally {
  await db.destroy();
}
