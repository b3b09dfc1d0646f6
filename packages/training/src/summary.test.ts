import { describe, expect, it } from '@jest/globals';
import type { WorkoutRecord } from '@splits/contracts';
import { buildAthleteSummary, isoWeekStart } from './summary.js';

function rec(id: string, localDate: string, workoutType: string, distance: number | null, movingTime: number, load: number | null): WorkoutRecord {
  return {
    id,
    intervalsActivityId: `i${id}`,
    intervalsUrl: `https://intervals.icu/activities/i${id}`,
    date: `${localDate}T07:00:00.000Z`,
    localDate,
    workoutType,
    sessionType: workoutType === 'Run' ? 'Easy' : workoutType,
    activityName: `${workoutType} ${id}`,
    distance,
    movingTime,
    pace: null,
    speed: null,
    avgHr: 140,
    maxHr: 160,
    load,
    fitness: null,
    fatigue: null,
    form: null,
    intensity: null,
    elevationGain: null,
    hrZoneTimes: null,
    splitsKm: null,
    intervalSummary: null,
    userReport: null,
    vdot: null,
    sportMetrics: null,
    wellness: null,
    provisional: false,
  };
}

const now = new Date('2026-04-16T12:00:00Z'); // a Thursday

describe('isoWeekStart', () => {
  it('goes back to Monday', () => {
    expect(isoWeekStart('2026-04-16')).toBe('2026-04-13');
    expect(isoWeekStart('2026-04-13')).toBe('2026-04-13');
    expect(isoWeekStart('2026-04-19')).toBe('2026-04-13'); // Sunday
  });
});

describe('buildAthleteSummary', () => {
  const records = [
    rec('a', '2026-04-13', 'Run', 5, 1800, 30),
    rec('b', '2026-04-15', 'Ride', 30.456, 3600, 50),
    rec('c', '2026-04-14', 'Run', 8.5, 2700, null),
    rec('d', '2026-04-12', 'Run', 10, 3300, 45), // Sunday of the week before
    rec('e', '2025-06-01', 'Run', 12, 4000, 60), // older than 26 weeks
  ];
  const s = buildAthleteSummary(records, now);

  it('has 26 ISO weeks, newest first, empty ones included', () => {
    expect(s.generatedAt).toBe('2026-04-16T12:00:00.000Z');
    expect(s.weeks).toHaveLength(26);
    expect(s.weeks[0]?.weekStart).toBe('2026-04-13');
    expect(s.weeks[1]?.weekStart).toBe('2026-04-06');
    expect(s.weeks[25]?.weekStart).toBe('2025-10-20');
    expect(s.weeks[2]).toEqual({ weekStart: '2026-03-30', count: 0, distanceKm: 0, movingTime: 0, load: 0, bySport: {} });
  });

  it('adds up each week and sport', () => {
    expect(s.weeks[0]).toEqual({
      weekStart: '2026-04-13',
      count: 3,
      distanceKm: 43.96,
      movingTime: 8100,
      load: 80,
      bySport: { Run: { count: 2, distanceKm: 13.5, movingTime: 4500 }, Ride: { count: 1, distanceKm: 30.46, movingTime: 3600 } },
    });
    expect(s.weeks[1]).toMatchObject({ count: 1, distanceKm: 10, load: 45 });
    expect(s.weeks.reduce((a, w) => a + w.count, 0)).toBe(4);
  });

  it('lists the last 30 trainings compactly, newest first', () => {
    expect(s.recentTrainings.map((t) => t.id)).toEqual(['b', 'c', 'a', 'd', 'e']);
    expect(Object.keys(s.recentTrainings[0] ?? {})).toEqual(['id', 'date', 'workoutType', 'sessionType', 'activityName', 'distance', 'movingTime', 'pace', 'speed', 'avgHr', 'load', 'userReport']);
    const many = Array.from({ length: 40 }, (_, k) => rec(`r${k}`, `2026-03-${String((k % 28) + 1).padStart(2, '0')}`, 'Run', 5, 1500, 20));
    expect(buildAthleteSummary(many, now).recentTrainings).toHaveLength(30);
  });
});
