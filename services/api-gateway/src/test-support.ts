import { createApiToken, createAthlete, upsertWorkout, type Db } from '@splits/db';
import { createQueues, createRedis, type Queues } from '@splits/queue';
import { dropQueuePrefix, runRecord, TEST_ENCRYPTION_KEY, TEST_REDIS_URL, testQueuePrefix } from '@splits/testing';

export { interval, runRecord } from '@splits/testing';

/** Test data for the gateway's tests: realistic workout records and athletes with tokens. */

export interface SeededAthlete {
  athleteId: string;
  token: string;
  /** Workout ids by local date. */
  workouts: Map<string, string>;
}

/** An athlete with a gateway token and one run per given local date. */
export async function seedAthlete(
  db: Db,
  intervalsAthleteId: string,
  dates: string[],
  opts: { intervals?: number; name?: string } = {},
): Promise<SeededAthlete> {
  const { id: athleteId } = await createAthlete(db, Buffer.from(TEST_ENCRYPTION_KEY, 'base64'), {
    name: opts.name ?? `Athlete ${intervalsAthleteId}`,
    timezone: 'Europe/Berlin',
    intervalsAthleteId,
    authKind: 'api_key',
    credential: `key-${intervalsAthleteId}`,
  });
  const { token } = await createApiToken(db, athleteId, 'test');
  const workouts = new Map<string, string>();
  for (const [i, date] of dates.entries()) {
    const { id } = await upsertWorkout(db, athleteId, runRecord(`${intervalsAthleteId}${String(i).padStart(4, '0')}`, date, opts));
    workouts.set(date, id);
  }
  return { athleteId, token, workouts };
}

/** Producer queues on their own prefix for a gateway test; close() quits Redis and removes the prefix's keys. */
export function openTestQueues(label: string): { queues: Queues; close(): Promise<void> } {
  const redis = createRedis(TEST_REDIS_URL);
  const prefix = testQueuePrefix(label);
  const queues = createQueues(redis, prefix);
  return {
    queues,
    close: async () => {
      await queues.close();
      await redis.quit();
      await dropQueuePrefix(TEST_REDIS_URL, prefix);
    },
  };
}
