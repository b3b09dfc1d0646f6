import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { createTestDatabase, runRecord, TEST_ENCRYPTION_KEY, type TestDatabase } from '@splits/testing';
import { createAthlete, listAllWorkoutRevisions, listWorkoutRevisions, markWorkoutDeleted, pageOfRevisions, parseEncryptionKey, upsertWorkout } from './index.js';

/**
 * The gateway pages through an athlete's history from one index held in memory (pageOfRevisions over
 * listAllWorkoutRevisions); it must cut exactly the page the query does: same rows, same order (ties
 * on the start time broken by id), same hasMore, deleted workouts left out.
 */
let t: TestDatabase;
let athleteId = '';
const DATES = ['2026-03-01', '2026-03-02', '2026-03-04', '2026-03-07', '2026-03-08', '2026-03-11', '2026-03-15', '2026-03-20'];

beforeAll(async () => {
  t = await createTestDatabase('wrevs');
  ({ id: athleteId } = await createAthlete(t.db, parseEncryptionKey(TEST_ENCRYPTION_KEY), { intervalsAthleteId: 'i9301', authKind: 'api_key', credential: 'k' }));
  // Several runs a day share one start time: their order is the id's.
  let n = 0;
  for (const [i, date] of DATES.entries()) for (let k = 0; k <= i % 3; k++) await upsertWorkout(t.db, athleteId, runRecord(`a93${String(n++).padStart(3, '0')}`, date));
  for (const gone of ['a93002', 'a93007', 'a93011']) await markWorkoutDeleted(t.db, athleteId, gone);
  // Another athlete's runs on the same days are never in the index.
  const { id: other } = await createAthlete(t.db, parseEncryptionKey(TEST_ENCRYPTION_KEY), { intervalsAthleteId: 'i9302', authKind: 'api_key', credential: 'k' });
  for (const date of DATES) await upsertWorkout(t.db, other, runRecord(`b93${date}`, date));
});
afterAll(async () => {
  await t?.drop();
});

describe('pageOfRevisions over listAllWorkoutRevisions', () => {
  it('cuts the same page as the query for any window, limit and offset', async () => {
    const all = await listAllWorkoutRevisions(t.db, athleteId);
    expect(all).toHaveLength(DATES.reduce((s, _, i) => s + (i % 3) + 1, 0) - 3);
    const bound = fc.option(fc.constantFrom(...DATES, '2026-02-27', '2026-03-05', '2026-03-31'), { nil: undefined });
    await fc.assert(
      fc.asyncProperty(bound, bound, fc.integer({ min: 1, max: 8 }), fc.integer({ min: 0, max: 20 }), async (oldest, newest, limit, offset) => {
        const w = { oldest, newest, limit, offset };
        expect(pageOfRevisions(all, w)).toEqual(await listWorkoutRevisions(t.db, athleteId, w));
      }),
      { numRuns: 150, ...(process.env.FC_RANDOM ? {} : { seed: 20261206 }) },
    );
  });
});
