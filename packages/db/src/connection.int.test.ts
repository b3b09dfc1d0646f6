import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { sql } from 'kysely';
import { createTestDatabase, type TestDatabase } from '@splits/testing';
import { createDb } from './connection.js';

/**
 * A connection that Postgres ends while it is checked out between two queries (a restart during a
 * transaction) must fail that transaction, not the process (issue 15's chaos run found workers
 * exiting with an unhandled 'error' event from such a client).
 */
let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase('conn');
});
afterAll(async () => {
  await t.drop();
});

describe('createDb', () => {
  it('survives the server ending a connection held by a transaction; the transaction fails, the pool goes on', async () => {
    const db = createDb(t.url, { poolSize: 2, applicationName: 'conn-test' });
    const uncaught: unknown[] = [];
    const onUncaught = (e: unknown) => uncaught.push(e);
    process.on('uncaughtException', onUncaught);
    try {
      const trx = db.transaction().execute(async (tx) => {
        const { rows } = await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(tx);
        await sql`select pg_terminate_backend(${rows[0]!.pid})`.execute(t.db);
        // Between queries: the client sees its socket end here.
        await new Promise((r) => setTimeout(r, 300));
        await sql`select 1`.execute(tx);
      });
      await expect(trx).rejects.toThrow();
      expect(uncaught).toEqual([]);
      expect((await sql<{ one: number }>`select 1 as one`.execute(db)).rows).toEqual([{ one: 1 }]);
    } finally {
      process.off('uncaughtException', onUncaught);
      await db.destroy();
    }
  });
});
