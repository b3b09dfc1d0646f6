import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createTestDatabase, runRecord, TEST_ENCRYPTION_KEY, type TestDatabase } from '@splits/testing';
import { createAthlete, getWorkoutRecord, getWorkoutRow, parseEncryptionKey, saveWorkoutReport, setClassification, upsertWorkout } from './index.js';

let t: TestDatabase;
let athleteId: string;
beforeAll(async () => {
  t = await createTestDatabase('wrec');
  athleteId = (await createAthlete(t.db, parseEncryptionKey(TEST_ENCRYPTION_KEY), { intervalsAthleteId: 'i4401', authKind: 'api_key', credential: 'k' })).id;
});
afterAll(async () => {
  await t.drop();
});

const fetched = (name = 'Morning threshold run') => ({ ...runRecord('i44010', '2026-06-01', { name }), sessionType: 'Unclassified', userReport: null, intervalSummary: null });
const classification = { method: 'rules' as const, confidence: 0.9, reason: '4 x 8 min near threshold' };
const stored = async (id: string) => (await t.db.selectFrom('workout').select('record').where('id', '=', id).executeTakeFirstOrThrow()).record as Record<string, unknown>;

describe('the workout record: one owner per part, composed on read (workout_record)', () => {
  it('composes what Intervals.icu said, the classification and the latest report; each part keeps its own writer', async () => {
    const w = await upsertWorkout(t.db, athleteId, fetched());
    expect(await setClassification(t.db, w.id, w.rev, { sessionType: 'Threshold', classification, mainSet: null, vdot: 51.2, intervalSummary: { work: '4 x 8 min', recovery: '3 min jog' }, roles: ['work', 'work', 'work', 'work'] })).toBe(true);
    await t.db.transaction().execute((trx) => saveWorkoutReport(trx, { workoutId: w.id, text: 'first words', source: 'telegram', sourceRef: 'w1' }));
    await t.db.transaction().execute((trx) => saveWorkoutReport(trx, { workoutId: w.id, text: 'second words', source: 'telegram', sourceRef: 'w2' }));

    const rec = (await getWorkoutRecord(t.db, athleteId, w.id))!;
    expect(rec).toMatchObject({ id: w.id, sessionType: 'Threshold', classification, vdot: 51.2, intervalSummary: { work: '4 x 8 min' }, userReport: 'second words', activityName: 'Morning threshold run' });
    expect(rec.intervals!.map((iv) => iv.role)).toEqual(['work', 'work', 'work', 'work']);
    expect((await getWorkoutRow(t.db, w.id))!.session_type).toBe('Threshold');
    // The fetch-worker's own row holds only what Intervals.icu said.
    expect(await stored(w.id)).toMatchObject({ sessionType: 'Unclassified', userReport: null, vdot: null });
    expect(await stored(w.id)).not.toHaveProperty('classification');
  });

  it('keeps the classification across a re-fetch with the same laps, and only its session type when the laps changed', async () => {
    const again = await upsertWorkout(t.db, athleteId, fetched('Renamed'), { lapsChanged: false });
    const same = (await getWorkoutRecord(t.db, athleteId, again.id))!;
    expect(same).toMatchObject({ activityName: 'Renamed', sessionType: 'Threshold', classification, vdot: 51.2, userReport: 'second words' });
    expect(same.intervals!.every((iv) => iv.role === 'work')).toBe(true);

    const changed = await upsertWorkout(t.db, athleteId, fetched('New laps'));
    const stale = (await getWorkoutRecord(t.db, athleteId, changed.id))!;
    expect(stale).toMatchObject({ activityName: 'New laps', sessionType: 'Threshold', vdot: null, intervalSummary: null, userReport: 'second words' });
    expect(stale).not.toHaveProperty('classification');
    expect(stale.intervals!.some((iv) => iv.role)).toBe(false);
    // The classification of an older revision is refused; the current one is stored.
    expect(await setClassification(t.db, changed.id, again.rev, { sessionType: 'Easy' })).toBe(false);
    expect(await setClassification(t.db, changed.id, changed.rev, { sessionType: 'Interval', classification })).toBe(true);
    expect((await getWorkoutRecord(t.db, athleteId, changed.id))!).toMatchObject({ sessionType: 'Interval', classification });
  });
});
