import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { pino } from 'pino';
import { createAthlete, getAthleteSummary, parseEncryptionKey, upsertWorkout } from '@splits/db';
import { normalizeActivity } from '@splits/training';
import { createTestDatabase, generateAthlete, TEST_ENCRYPTION_KEY, type TestDatabase } from '@splits/testing';
import { processBuildSummary } from './build-summary.processor.js';

const log = pino({ level: 'silent' });
const now = new Date('2026-11-20T12:00:00Z');
let t: TestDatabase;
let athleteId: string;
const athlete = generateAthlete({ seed: 41, intervalsAthleteId: 'i410041', weeks: 8, now });

beforeAll(async () => {
  t = await createTestDatabase('summary');
  ({ id: athleteId } = await createAthlete(t.db, parseEncryptionKey(TEST_ENCRYPTION_KEY), { intervalsAthleteId: athlete.athleteId, authKind: 'api_key', credential: 'k' }));
  for (const a of athlete.activities) {
    await upsertWorkout(t.db, athleteId, normalizeActivity({ activity: { ...a.activity, icu_intervals: a.icu_intervals, icu_groups: a.icu_groups } as never }));
  }
});
afterAll(async () => {
  await t.drop();
});

describe('build-summary', () => {
  it('builds recent trainings and weekly totals from the stored records, bumping the version on rebuild', async () => {
    const first = await processBuildSummary({ athleteId }, { db: t.db, log, now: () => now });
    expect(first).toEqual({ version: 1, workouts: athlete.activities.length });
    const stored = await getAthleteSummary(t.db, athleteId);
    const doc = stored!.document as { recentTrainings: { date: string }[]; weeks: { count: number; distanceKm: number }[] };
    expect(doc.recentTrainings.length).toBe(Math.min(30, athlete.activities.length));
    const dates = doc.recentTrainings.map((r) => r.date);
    expect([...dates].sort().reverse()).toEqual(dates); // newest first
    expect(doc.weeks.reduce((s, w) => s + w.count, 0)).toBe(athlete.activities.length);
    const totalKm = athlete.activities.reduce((s, a) => s + Number(a.activity.distance ?? 0) / 1000, 0);
    expect(doc.weeks.reduce((s, w) => s + w.distanceKm, 0)).toBeCloseTo(totalKm, 0);
    expect((await processBuildSummary({ athleteId }, { db: t.db, log, now: () => now })).version).toBe(2);
  });
});
