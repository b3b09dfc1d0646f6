import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { sql } from 'kysely';
import { createTestDatabase, findSealedValues, type TestDatabase } from '@splits/testing';
import {
  createAthlete,
  decryptSecret,
  encryptSecret,
  getOAuthClient,
  keyIdOf,
  parseEncryptionKey,
  parseKeyring,
  revokeConnection,
  rotateCredentials,
  saveOAuthClient,
  SEALED_COLUMNS,
  sealedColumnName,
  upsertOAuthConnection,
} from './index.js';

/**
 * SEALED_COLUMNS is the one list of columns holding sealed values; `keys rotate` re-seals exactly
 * those. Two checks keep it complete:
 *  - by name: the migrated schema's `*_enc` columns are exactly the listed ones (a new sealed column
 *    named by the convention but not listed fails here);
 *  - by content: after every writer that seals has run, every column of every table whose values have
 *    the sealed format (`v2.<kid>.<iv>.<tag>.<ct>`) is listed (a sealed column named otherwise fails
 *    here once its writer is added below), and rotation leaves no value under the old key anywhere.
 */
const OLD = Buffer.alloc(32, 21).toString('base64');
const NEW = Buffer.alloc(32, 22).toString('base64');
let t: TestDatabase;
const listed = SEALED_COLUMNS.map(sealedColumnName).sort();

beforeAll(async () => {
  t = await createTestDatabase('sealed');
});
afterAll(async () => {
  await t.drop();
});

describe('SEALED_COLUMNS', () => {
  it('lists exactly the *_enc columns of the migrated schema', async () => {
    const { rows } = await sql<{ col: string }>`
      select table_name || '.' || column_name as col from information_schema.columns
       where table_schema = 'public' and column_name like '%\_enc' order by 1`.execute(t.db);
    expect(rows.map((r) => r.col)).toEqual(listed);
    for (const c of SEALED_COLUMNS) expect(c.column).toMatch(/_enc$/);
  });

  it('holds every sealed value the writers store, and rotation re-seals them all under the new key', async () => {
    const oldKey = parseEncryptionKey(OLD);
    // Every writer that seals a value (grep encryptSecret): a new one belongs here.
    const apiKeyAthlete = await createAthlete(t.db, oldKey, { intervalsAthleteId: 'i9101', authKind: 'api_key', credential: 'key-9101' });
    const revoked = await createAthlete(t.db, oldKey, { intervalsAthleteId: 'i9102', authKind: 'oauth', credential: 'tok-9102' });
    await revokeConnection(t.db, revoked.id, 'deauthorized');
    const oauth = await t.db.transaction().execute((trx) =>
      upsertOAuthConnection(trx, oldKey, { intervalsAthleteId: 'i9103', name: null, accessToken: 'tok-9103', scopes: 'ACTIVITY:READ' }),
    );
    // The gateway's client registration (SplitsOAuthProvider.registerClient) seals the secret this way.
    await saveOAuthClient(t.db, { clientId: 'client-confidential', secretEnc: encryptSecret(oldKey, 'client-secret-1'), info: { redirect_uris: ['https://a.example/cb'] } });
    await saveOAuthClient(t.db, { clientId: 'client-public', secretEnc: null, info: { redirect_uris: ['https://b.example/cb'] } });

    const before = await findSealedValues(t.db);
    expect(before.map((s) => s.column).sort()).toEqual(listed);
    for (const s of before) expect(s.kids).toEqual([keyIdOf(oldKey)]);

    const ring = parseKeyring(NEW, OLD);
    const result = await rotateCredentials(t.db, ring, { batchSize: 2 });
    expect(result).toMatchObject({ total: 5, rotated: 3, current: 0, empty: 2 });
    expect(result.columns).toEqual({
      'intervals_connection.credential_enc': { total: 3, rotated: 2, current: 0, empty: 1 },
      'oauth_client.secret_enc': { total: 2, rotated: 1, current: 0, empty: 1 },
    });

    // No value under the old key remains anywhere in the database, and the new key alone opens them all.
    const after = await findSealedValues(t.db);
    expect(after.map((s) => s.column).sort()).toEqual(listed);
    for (const s of after) expect(s.kids).toEqual([ring.current.kid]);
    const newOnly = parseKeyring(NEW);
    const conn = (id: string) => t.db.selectFrom('intervals_connection').select(['credential_enc', 'key_id']).where('athlete_id', '=', id).executeTakeFirstOrThrow();
    expect(decryptSecret(newOnly, (await conn(apiKeyAthlete.id)).credential_enc)).toBe('key-9101');
    expect(decryptSecret(newOnly, (await conn(oauth.athleteId)).credential_enc)).toBe('tok-9103');
    expect((await conn(oauth.athleteId)).key_id).toBe(ring.current.kid);
    expect(decryptSecret(newOnly, (await getOAuthClient(t.db, 'client-confidential'))!.secretEnc!)).toBe('client-secret-1');

    expect(await rotateCredentials(t.db, newOnly)).toMatchObject({ total: 5, rotated: 0, current: 3, empty: 2 });
  });
});
