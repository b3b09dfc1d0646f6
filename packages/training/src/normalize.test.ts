import { describe, expect, it } from '@jest/globals';
import type { IntervalsWellness } from '@splits/contracts';
import { capturedRide, capturedRun, runWith, steadyStreams, structuredRun } from './__fixtures__/activities.js';
import { normalizeActivity, wellnessContext } from './normalize.js';
import { formatDuration, formatPace } from './units.js';

describe('normalizeActivity: captured run (upload event, not analysed yet)', () => {
  const rec = normalizeActivity({ activity: capturedRun });

  it('converts units', () => {
    expect(rec.date).toBe('2026-04-16T07:02:09.000Z');
    expect(rec.localDate).toBe('2026-04-16');
    expect(rec.distance).toBe(4.5);
    expect(rec.movingTime).toBe(2179);
    expect(rec.pace).toBe(8.1); // 2.057 m/s
    expect(rec.speed).toBeNull();
    expect(rec.elevationGain).toBe(22);
    expect(rec.sportMetrics).toEqual({ gradedPace: 8.01, cadence: 146, stride: 0.85 });
  });

  it('keeps the source values and links back', () => {
    expect(rec.intervalsActivityId).toBe('i140263995');
    expect(rec.intervalsUrl).toBe('https://intervals.icu/activities/i140263995');
    expect(rec.workoutType).toBe('Run');
    expect(rec.sessionType).toBe('Unclassified');
    expect([rec.avgHr, rec.maxHr, rec.load]).toEqual([128, 150, 23]);
    expect(rec.hrZoneTimes).toEqual([812, 407, 791, 172, 0, 0, 0]);
    expect(rec.intensity).toBe('easy');
  });

  it('is provisional with null fitness while icu_ctl/icu_atl and analyzed are missing', () => {
    expect(rec.provisional).toBe(true);
    expect([rec.fitness, rec.fatigue, rec.form]).toEqual([null, null, null]);
  });

  it('invents nothing that the source lacks', () => {
    expect(rec.splitsKm).toBeNull();
    expect(rec.intervalSummary).toBeNull();
    expect(rec.wellness).toBeNull();
    expect(rec.vdot).toBeNull();
    expect(rec.userReport).toBeNull();
    expect(rec.intervals).toEqual([]);
  });
});

describe('normalizeActivity: captured ride', () => {
  const rec = normalizeActivity({ activity: capturedRide });

  it('gives speed in km/h and power metrics', () => {
    expect(rec.workoutType).toBe('VirtualRide');
    expect(rec.sessionType).toBe('VirtualRide');
    expect(rec.speed).toBe(31);
    expect(rec.pace).toBeNull();
    expect(rec.sportMetrics).toEqual({
      avgWatts: 131,
      normalizedPower: 139,
      ftp: 208,
      intensityFactor: 0.67,
      tss: 41,
      powerZoneTimes: [1619, 556, 1027, 92, 4, 1, 8],
      cadence: 93,
      decoupling: 4.5,
    });
  });

  it('is final once analysed with CTL/ATL', () => {
    expect(rec.provisional).toBe(false);
    expect([rec.fitness, rec.fatigue, rec.form]).toEqual([18.9, 38.3, -19.3]);
  });
});

describe('normalizeActivity: missing fields', () => {
  it('gives nulls, and sportMetrics null when empty', () => {
    const rec = normalizeActivity({
      activity: { id: 'i1', type: 'WeightTraining', start_date: '2026-04-16T07:00:00Z', start_date_local: '2026-04-16T09:00:00', moving_time: 2700, icu_training_load: 31, distance: null, average_heartrate: null, icu_hr_zone_times: null },
    });
    expect(rec.sessionType).toBe('WeightTraining');
    expect([rec.distance, rec.pace, rec.speed, rec.avgHr, rec.intensity, rec.hrZoneTimes, rec.sportMetrics]).toEqual([null, null, null, null, null, null, null]);
    expect(rec.movingTime).toBe(2700);
    expect(rec.load).toBe(31);
  });

  it('falls back to type Other and omits sport metric keys that are null', () => {
    const rec = normalizeActivity({ activity: { id: 'i2', start_date: '2026-04-16T07:00:00Z', type: null } });
    expect(rec.workoutType).toBe('Other');
    const run = normalizeActivity({ activity: { id: 'i3', type: 'Run', start_date: '2026-04-16T07:00:00Z', average_cadence: 88, gap: null } });
    expect(run.sportMetrics).toEqual({ cadence: 176 });
  });

  it('gives swim pace in min/100 m', () => {
    const rec = normalizeActivity({ activity: { id: 'i4', type: 'Swim', start_date: '2026-04-16T07:00:00Z', average_speed: 0.916, average_cadence: 31, pool_length: 25, lengths: 80 } });
    expect(rec.pace).toBe(1.82);
    expect(rec.sportMetrics).toEqual({ swimCadenceSpm: 31, poolLength: 25, lengths: 80 });
  });
});

describe('wellness', () => {
  it('takes the day context from the wellness row (reference §1.6 B)', () => {
    const w: IntervalsWellness = { id: '2026-04-15', ctl: 18.4, atl: 37.4, weight: 77.36, restingHR: 59, hrv: 46.0, sleepSecs: 22242, sleepScore: 76.0 };
    expect(wellnessContext(w)).toEqual({ hrv: 46, restingHr: 59, sleepHours: 6.2, sleepScore: 76, weight: 77.4 });
    expect(wellnessContext({ id: '2026-04-15', hrv: null, restingHR: null })).toBeNull();
    expect(normalizeActivity({ activity: capturedRun, wellness: w }).wellness?.sleepHours).toBe(6.2);
  });
});

describe('splits and intervals', () => {
  it('builds km splits from streams, ignoring a stop, with the last partial km', () => {
    const rec = normalizeActivity({ activity: { ...capturedRun, distance: 10600 }, streams: steadyStreams(10600, 3.125, 150, 300) });
    expect(rec.splitsKm).toHaveLength(11);
    expect(rec.splitsKm?.[0]).toEqual({ km: 1, pace: '5:20/km', avgHr: 150 });
    expect(rec.splitsKm?.every((s) => s.pace === '5:20/km')).toBe(true);
    expect(rec.splitsKm?.[10]?.km).toBe(10.6);
  });

  it('drops a last partial km under 0.5 km and gives none for non-runs', () => {
    const rec = normalizeActivity({ activity: capturedRun, streams: steadyStreams(3400, 3.125, 150) });
    expect(rec.splitsKm?.map((s) => s.km)).toEqual([1, 2, 3]);
    expect(normalizeActivity({ activity: capturedRide, streams: steadyStreams(3400, 8, 150) }).splitsKm).toBeNull();
  });

  it('summarises a 4 x 8 min threshold session and lists its intervals', () => {
    const rec = normalizeActivity({ activity: runWith(structuredRun(4, { secs: 480, speed: 3.9, hr: 165 }, { secs: 180, speed: 2.5, hr: 140 })) });
    expect(rec.intervalSummary).toEqual({ work: '4 x 8 min', recovery: '3 min jog' });
    expect(rec.intervals?.map((i) => i.name)).toEqual(['Warm-up', 'Work 1', 'Recovery 1', 'Work 2', 'Recovery 2', 'Work 3', 'Recovery 3', 'Work 4', 'Cool-down']);
    expect(rec.intervals?.[1]).toMatchObject({ type: 'WORK', moving_time: 478, pace: '4:16/km', avg_hr: 165, cadence: 172, avg_watts: null });
  });

  it('reads intervals from the separate intervals response too', () => {
    const ivs = structuredRun(4, { secs: 480, speed: 3.9, hr: 165 }, { secs: 180, speed: 2.5, hr: 140 });
    const rec = normalizeActivity({ activity: runWith([], { icu_intervals: null }), intervals: { id: 'i900', icu_intervals: ivs } });
    expect(rec.intervalSummary?.work).toBe('4 x 8 min');
  });
});

describe('formatting helpers', () => {
  it('formats pace and duration', () => {
    expect(formatPace(4.92)).toBe('4:55');
    expect(formatPace(8.1)).toBe('8:06');
    expect(formatDuration(3660)).toBe('1:01:00');
    expect(formatDuration(2179)).toBe('0:36:19');
  });
});
