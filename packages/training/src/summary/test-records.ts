import type { WorkoutRecord } from '@splits/contracts';

/** A workout record for summary tests; every metric can be overridden, including to null. */
export function rec(id: string, date: string, over: Partial<WorkoutRecord> = {}): WorkoutRecord {
  const workoutType = over.workoutType ?? 'Run';
  return {
    id,
    intervalsActivityId: `i${id}`,
    intervalsUrl: `https://intervals.icu/activities/i${id}`,
    date,
    localDate: date.slice(0, 10),
    workoutType,
    sessionType: workoutType === 'Run' ? 'Easy' : workoutType,
    activityName: `${workoutType} ${id}`,
    distance: 10,
    movingTime: 3000,
    pace: 5,
    speed: null,
    avgHr: 140,
    maxHr: 160,
    load: 50,
    fitness: null,
    fatigue: null,
    form: null,
    intensity: 'easy',
    elevationGain: null,
    hrZoneTimes: null,
    splitsKm: null,
    intervalSummary: null,
    userReport: null,
    vdot: null,
    sportMetrics: null,
    wellness: null,
    provisional: false,
    ...over,
  };
}
