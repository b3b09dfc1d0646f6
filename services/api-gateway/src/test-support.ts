import { createApiToken, createAthlete, upsertWorkout, type Db, type WorkoutRecordInput } from '@splits/db';
import type { RecordInterval } from '@splits/contracts';
import { TEST_ENCRYPTION_KEY } from '@splits/testing';

/** Test data for the gateway's tests: realistic workout records and athletes with tokens. */

export function interval(i: number, extra: Partial<RecordInterval> = {}): RecordInterval {
  return {
    name: `Work ${i}`,
    type: 'WORK',
    moving_time: 480,
    distance: 1640 + i * 10,
    avg_hr: 160 + (i % 8),
    max_hr: 170 + (i % 8),
    pace: '4:53/km',
    avg_watts: null,
    cadence: 178,
    ...extra,
  };
}

/** A threshold run on `localDate` (07:12 UTC), shaped like the example in the product brief. */
export function runRecord(intervalsActivityId: string, localDate: string, opts: { intervals?: number; name?: string } = {}): WorkoutRecordInput {
  return {
    intervalsActivityId,
    intervalsUrl: `https://intervals.icu/activities/${intervalsActivityId}`,
    date: `${localDate}T07:12:00.000Z`,
    localDate,
    workoutType: 'Run',
    sessionType: 'Threshold',
    activityName: opts.name ?? 'Morning threshold run',
    distance: 12.4,
    movingTime: 3660,
    pace: 4.92,
    speed: null,
    avgHr: 151,
    maxHr: 174,
    load: 84,
    fitness: 52.1,
    fatigue: 61.4,
    form: -9.3,
    intensity: 'moderate',
    elevationGain: 86,
    hrZoneTimes: [320, 1180, 1470, 610, 80],
    splitsKm: [
      { km: 1, pace: '5:10/km', avgHr: 138 },
      { km: 2, pace: '5:05/km', avgHr: 142 },
    ],
    intervalSummary: { work: '4 x 8 min', recovery: '3 min jog' },
    userReport: 'Completed as planned. Last two reps felt hard but controlled.',
    vdot: null,
    sportMetrics: { gradedPace: 4.86, cadence: 176, verticalOscillation: 8.4 },
    wellness: { hrv: 62, restingHr: 48, sleepHours: 7.5, sleepScore: 82, weight: null },
    provisional: false,
    intervals: Array.from({ length: opts.intervals ?? 4 }, (_, i) => interval(i + 1)),
  };
}

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
