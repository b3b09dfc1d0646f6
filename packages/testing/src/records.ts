import type { RecordInterval } from '@splits/contracts';
import type { WorkoutRecordInput } from '@splits/db';

/** Realistic workout records for tests, shaped like the example in the product brief. */

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
