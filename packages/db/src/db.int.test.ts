import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createTestDatabase, TEST_ENCRYPTION_KEY, type TestDatabase } from '@splits/testing';
import {
  createAthlete,
  createApiToken,
  findAthleteIdByToken,
  getIntervalsCredential,
  insertInboxEvents,
  parseEncryptionKey,
  removeAthlete,
  upsertWorkout,
} from './index.js';

let t: TestDatabase;
const key = parseEncryptionKey(TEST_ENCRYPTION_KEY);
beforeAll(async () => {
  t = await createTestDatabase('db');
});
afterAll(async () => {
  await t.drop();
});

describe('db repositories', () => {
  it('seals the Intervals.icu credential at rest and opens it with the key', async () => {
    const { id } = await createAthlete(t.db, key, { intervalsAthleteId: 'i1001', authKind: 'api_key', credential: 'key-abc-123' });
    const raw = await t.db.selectFrom('intervals_connection').select('credential_enc').where('athlete_id', '=', id).executeTakeFirstOrThrow();
    expect(raw.credential_enc).not.toContain('key-abc-123');
    const cred = await getIntervalsCredential(t.db, key, id);
    expect(cred?.secret).toBe('key-abc-123');
  });

  it('stores tokens hashed and resolves them to their athlete only', async () => {
    const a = await createAthlete(t.db, key, { intervalsAthleteId: 'i1002', authKind: 'api_key', credential: 'k2' });
    const b = await createAthlete(t.db, key, { intervalsAthleteId: 'i1003', authKind: 'api_key', credential: 'k3' });
    const ta = await createApiToken(t.db, a.id);
    const tb = await createApiToken(t.db, b.id);
    expect(await findAthleteIdByToken(t.db, ta.token)).toBe(a.id);
    expect(await findAthleteIdByToken(t.db, tb.token)).toBe(b.id);
    expect(await findAthleteIdByToken(t.db, ta.token + 'x')).toBeNull();
    const stored = await t.db.selectFrom('api_token').select('token_hash').execute();
    expect(stored.map((s: { token_hash: string }) => s.token_hash)).not.toContain(ta.token);
  });

  it('dedupes inbox events by key and resolves the athlete in the same statement', async () => {
    const { id } = await createAthlete(t.db, key, { intervalsAthleteId: 'i2001', authKind: 'oauth', credential: 'tok' });
    const ev = (k: string, athlete = 'i2001') => ({
      dedupeKey: k, type: 'ACTIVITY_UPLOADED', intervalsAthleteId: athlete, activityId: 'a1', actionable: true, payload: { k },
    });
    const first = await insertInboxEvents(t.db, [ev('k1'), ev('k2'), ev('k3', 'i-unknown')]);
    expect(first.map((r) => r.dedupe_key).sort()).toEqual(['k1', 'k2', 'k3']);
    first.sort((a, b) => a.dedupe_key.localeCompare(b.dedupe_key));
    expect(first[0]!.athlete_id).toBe(id);
    expect(first[2]!.status).toBe('unknown_athlete');
    const again = await insertInboxEvents(t.db, [ev('k1'), ev('k4')]);
    expect(again.map((r) => r.dedupe_key)).toEqual(['k4']);
  });

  it('keeps the workout id stable across re-fetches and bumps rev; deleting the athlete removes its rows', async () => {
    const { id } = await createAthlete(t.db, key, { intervalsAthleteId: 'i3001', authKind: 'api_key', credential: 'k' });
    const rec = {
      intervalsActivityId: 'i900', intervalsUrl: 'https://intervals.icu/activities/i900', date: '2026-04-06T07:12:00.000Z',
      localDate: '2026-04-06', workoutType: 'Run', sessionType: 'Unclassified', activityName: 'Run', distance: 10, movingTime: 3000,
      pace: 5, speed: null, avgHr: 140, maxHr: 160, load: 50, fitness: null, fatigue: null, form: null, intensity: null,
      elevationGain: null, hrZoneTimes: null, splitsKm: null, intervalSummary: null, userReport: null, vdot: null,
      sportMetrics: null, wellness: null, provisional: true,
    };
    const w1 = await upsertWorkout(t.db, id, rec);
    const w2 = await upsertWorkout(t.db, id, { ...rec, provisional: false, fitness: 50 });
    expect(w2.id).toBe(w1.id);
    expect(w1.created).toBe(true);
    expect(w2.created).toBe(false);
    expect(w2.rev).toBe(w1.rev + 1);
    expect(await removeAthlete(t.db, id)).toBe(true);
    const left = await t.db.selectFrom('workout').select('id').where('athlete_id', '=', id).execute();
    expect(left).toEqual([]);
  });
});
