import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { sql } from 'kysely';
import { createTestDatabase, runRecord, TEST_ENCRYPTION_KEY, type TestDatabase } from '@splits/testing';
import { createAthlete, linkTelegram } from './repositories/athlete.repository.js';
import { upsertWorkout } from './repositories/workout.repository.js';
import { listAthletesChangedSince, listUnclassifiedWorkouts, listUnsentCards, rependLostInbox } from './repositories/recovery.repository.js';
import { parseEncryptionKey } from './crypto.js';

/**
 * What Postgres says is owed to the queues after Redis lost its data (issue 15): derived from the
 * facts, so each list names exactly the work that is not visibly done.
 */
let t: TestDatabase;
let athleteId: string;
const DAY = 86_400_000;

beforeAll(async () => {
  t = await createTestDatabase('recovery');
  ({ id: athleteId } = await createAthlete(t.db, parseEncryptionKey(TEST_ENCRYPTION_KEY), { intervalsAthleteId: 'i5150', authKind: 'api_key', credential: 'k' }));
  await linkTelegram(t.db, athleteId, '5150');
});
afterAll(async () => {
  await t.drop();
});

const inbox = async (dedupe: string, activityId: string | null, type = 'ACTIVITY_UPLOADED', status = 'accepted') =>
  (
    await sql<{ id: string }>`insert into webhook_inbox (dedupe_key, type, intervals_athlete_id, athlete_id, activity_id, status, payload)
      values (${dedupe}, ${type}, 'i5150', ${athleteId}, ${activityId}, ${status}, '{}') returning id`.execute(t.db)
  ).rows[0]!.id;

describe('recovery after Redis lost its data', () => {
  it('puts back accepted events whose activity was not fetched since they arrived, and no others', async () => {
    const fetched = await inbox('r-fetched', 'a1');
    await sql`insert into activity_source (athlete_id, intervals_activity_id, activity, fetched_at) values (${athleteId}, 'a1', '{}', now() + interval '1 second')`.execute(t.db);
    const lost = await inbox('r-lost', 'a2');
    const wellness = await inbox('r-wellness', null, 'WELLNESS_UPDATED');
    const ignored = await inbox('r-ignored', 'a3', 'ACTIVITY_UPLOADED', 'ignored');
    const old = await inbox('r-old', 'a4');
    await sql`update webhook_inbox set received_at = now() - interval '3 days' where id = ${old}`.execute(t.db);

    expect(await rependLostInbox(t.db, 2 * DAY)).toBe(2);
    const pending = (await t.db.selectFrom('webhook_inbox_pending').select('inbox_id').execute()).map((r) => String(r.inbox_id)).sort();
    expect(pending).toEqual([lost, wellness].sort());
    expect(pending).not.toContain(fetched);
    expect(pending).not.toContain(ignored);
    // Asking again changes nothing.
    expect(await rependLostInbox(t.db, 2 * DAY)).toBe(0);
  });

  it('lists unclassified workouts, owed cards (uploaded, linked, never claimed) and athletes to rebuild', async () => {
    const classified = await upsertWorkout(t.db, athleteId, { ...runRecord('b1', '2026-11-20'), userReport: null });
    const unclassified = await upsertWorkout(t.db, athleteId, { ...runRecord('b2', '2026-11-21'), userReport: null });
    const announced = await upsertWorkout(t.db, athleteId, { ...runRecord('b3', '2026-11-22'), userReport: null });
    for (const w of [classified, announced]) await sql`insert into workout_classification (workout_id, rev, session_type, fields) values (${w.id}, ${w.rev}, 'Easy', '{}')`.execute(t.db);
    for (const a of ['b1', 'b2', 'b3']) await inbox(`u-${a}`, a);
    await sql`insert into notification (workout_id, kind, status, chat_id) values (${announced.id}, 'new', 'sent', '5150')`.execute(t.db);

    expect((await listUnclassifiedWorkouts(t.db, DAY)).map((w) => w.id)).toEqual([unclassified.id]);
    // Only the classified one without a card: the unclassified one gets its card through its classify job.
    expect(await listUnsentCards(t.db, DAY)).toEqual([classified.id]);
    await sql`update telegram_link set disabled_at = now() where athlete_id = ${athleteId}`.execute(t.db);
    expect(await listUnsentCards(t.db, DAY)).toEqual([]);
    expect(await listAthletesChangedSince(t.db, DAY)).toEqual([athleteId]);
  });
});
