import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createTestDatabase, type TestDatabase } from '@splits/testing';
import {
  createAthlete,
  CredentialRotationError,
  getIntervalsCredential,
  keyIdOf,
  parseEncryptionKey,
  parseKeyring,
  rotateCredentials,
  upsertOAuthConnection,
} from './index.js';

const OLD = Buffer.alloc(32, 11).toString('base64');
const NEW = Buffer.alloc(32, 12).toString('base64');
const STRAY = Buffer.alloc(32, 13).toString('base64');
let t: TestDatabase;

beforeAll(async () => {
  t = await createTestDatabase('cred');
});
afterAll(async () => {
  await t.drop();
});

const rows = () => t.db.selectFrom('intervals_connection').select(['athlete_id', 'credential_enc', 'key_id']).orderBy('athlete_id').execute();

describe('key rotation', () => {
  it('re-encrypts every credential under the new key in batches, idempotently; the old key can then be dropped', async () => {
    const oldKey = parseEncryptionKey(OLD);
    const ids: string[] = [];
    for (let i = 0; i < 7; i++) {
      const { id } = await createAthlete(t.db, oldKey, { intervalsAthleteId: `i70${i}`, authKind: i % 2 ? 'oauth' : 'api_key', credential: `secret-${i}` });
      ids.push(id);
    }
    expect(new Set((await rows()).map((r) => r.key_id))).toEqual(new Set([keyIdOf(oldKey)]));

    const ring = parseKeyring(NEW, OLD);
    const batches: number[] = [];
    const first = await rotateCredentials(t.db, ring, { batchSize: 3, onBatch: (p) => batches.push(p.total) });
    expect(first).toMatchObject({ total: 7, rotated: 7, current: 0, empty: 0 });
    expect(batches).toEqual([3, 6, 7]);
    for (const r of await rows()) {
      expect(r.key_id).toBe(ring.current.kid);
      expect(r.credential_enc.split('.')[1]).toBe(ring.current.kid);
    }

    expect(await rotateCredentials(t.db, ring, { batchSize: 3 })).toMatchObject({ total: 7, rotated: 0, current: 7, empty: 0 });

    // The old key is gone from the configuration: everything still opens with the new key alone.
    const newOnly = parseKeyring(NEW);
    for (const [i, id] of ids.entries()) expect((await getIntervalsCredential(t.db, newOnly, id))?.secret).toBe(`secret-${i}`);
    await expect(getIntervalsCredential(t.db, oldKey, ids[0]!)).rejects.toThrow(/not configured/);
  });

  it('stops with an error naming the connection when no configured key opens a credential, never printing it', async () => {
    const { id } = await createAthlete(t.db, parseEncryptionKey(STRAY), { intervalsAthleteId: 'i7999', authKind: 'oauth', credential: 'stray-token' });
    const err = await rotateCredentials(t.db, parseKeyring(NEW)).then(() => new Error('expected a failure'), (e: unknown) => e as Error);
    expect(err).toBeInstanceOf(CredentialRotationError);
    expect(err.message).toContain(id);
    expect(err.message).toContain('i7999');
    expect(err.message).toContain(keyIdOf(parseEncryptionKey(STRAY)));
    expect(err.message).not.toContain('stray-token');
    expect(err.message).not.toContain(STRAY);
    // With the stray key configured as an old one the run completes.
    expect(await rotateCredentials(t.db, parseKeyring(NEW, STRAY))).toMatchObject({ rotated: 1, current: 7 });
  });
});

describe('OAuth connection upsert', () => {
  it('creates the athlete once and replaces the token, scopes and status on re-authorisation', async () => {
    const ring = parseKeyring(NEW);
    const a = await t.db.transaction().execute((trx) =>
      upsertOAuthConnection(trx, ring, { intervalsAthleteId: 'i880001', name: 'Ada', accessToken: 'tok-a1', scopes: 'ACTIVITY:READ' }),
    );
    expect(a.created).toBe(true);
    await t.db.updateTable('intervals_connection').set({ status: 'revoked', status_reason: 'deauthorized' }).where('athlete_id', '=', a.athleteId).execute();
    const b = await t.db.transaction().execute((trx) =>
      upsertOAuthConnection(trx, ring, { intervalsAthleteId: 'i880001', name: 'Ada L.', accessToken: 'tok-a2', scopes: 'ACTIVITY:WRITE' }),
    );
    expect(b).toEqual({ athleteId: a.athleteId, created: false });
    const conn = await t.db.selectFrom('intervals_connection').selectAll().where('athlete_id', '=', a.athleteId).executeTakeFirstOrThrow();
    expect(conn).toMatchObject({ auth_kind: 'oauth', scopes: 'ACTIVITY:WRITE', status: 'active', status_reason: null, key_id: ring.current.kid });
    expect((await getIntervalsCredential(t.db, ring, a.athleteId))?.secret).toBe('tok-a2');
    const athlete = await t.db.selectFrom('athlete').select('name').where('id', '=', a.athleteId).executeTakeFirstOrThrow();
    expect(athlete.name).toBe('Ada L.');
  });

  it('serialises concurrent connects of one athlete into one row', async () => {
    const ring = parseKeyring(NEW);
    const results = await Promise.all(
      [1, 2, 3].map((n) =>
        t.db.transaction().execute((trx) =>
          upsertOAuthConnection(trx, ring, { intervalsAthleteId: 'i880002', name: null, accessToken: `tok-${n}`, scopes: 'ACTIVITY:READ' }),
        ),
      ),
    );
    expect(new Set(results.map((r) => r.athleteId)).size).toBe(1);
    expect(results.filter((r) => r.created)).toHaveLength(1);
  });
});
