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
    expect(rec.pace).toBe(8.07); // pace 2.0640337 m/s: 1000 / 2.0640337 / 60 = 8.075
    expect(rec.speed).toBeNull();
    expect(rec.elevationGain).toBe(22);
    // threshold_pace 3.3898 m/s → 1000 / 3.3898 / 60 = 4.917 → 4.92
    expect(rec.sportMetrics).toEqual({ gradedPace: 8.01, cadence: 146, stride: 0.85, paceZoneTimes: [2176, 22, 0, 0, 0, 0, 0], thresholdPace: 4.92 });
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
      sweetSpotTime: 211,
      cadence: 93,
      decoupling: 4.5,
      efficiencyFactor: 1.05,
      variabilityIndex: 1.06,
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
    expect(normalizeActivity({ activity: capturedRun, wellness: { ...w, id: '2026-04-16' } }).wellness?.sleepHours).toBe(6.2);
    expect(normalizeActivity({ activity: capturedRun, wellness: w }).wellness).toBeNull(); // the day before the run
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

  it('drops a last partial km under 200 m and gives none for non-runs', () => {
    const rec = normalizeActivity({ activity: capturedRun, streams: steadyStreams(3150, 3.125, 150) });
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

describe('every sport', () => {
  const at = { start_date: '2026-04-16T07:00:00Z', start_date_local: '2026-04-16T09:00:00' };

  it('paces a run from distance over moving time, as in the brief (12.4 km in 3660 s → 4.92)', () => {
    // 3660 s / 12.4 km = 295.16 s/km = 4.919 min/km → 4.92 (4:55/km)
    const rec = normalizeActivity({ activity: { id: 'i10', type: 'Run', ...at, distance: 12400, moving_time: 3660, average_speed: 3.3 } });
    expect([rec.distance, rec.pace, rec.speed]).toEqual([12.4, 4.92, null]);
  });

  it('treats a TrailRun as a run: graded pace, splits, run session types', () => {
    const rec = normalizeActivity({
      activity: { id: 'i11', type: 'TrailRun', ...at, distance: 2250, moving_time: 562, gap: 4.5, average_cadence: 84, total_elevation_gain: 180.4 },
      streams: steadyStreams(2250, 4, 160),
    });
    expect(rec.sessionType).toBe('Unclassified');
    expect(rec.pace).toBe(4.16); // 2250 m / 562 s = 4.0036 m/s → 1000 / 4.0036 / 60 = 4.163
    // gap 4.5 m/s → 1000 / 4.5 / 60 = 3.704 → 3.70; cadence 84 strides/min × 2 = 168 (no stride to check against)
    expect(rec.sportMetrics).toEqual({ gradedPace: 3.7, cadence: 168 });
    expect(rec.elevationGain).toBe(180);
    expect(rec.splitsKm?.map((x) => x.km)).toEqual([1, 2, 2.25]);
  });

  it.each(['Walk', 'Hike'])('gives a %s pace per km and steps/min, but no splits or run session type', (type) => {
    const rec = normalizeActivity({
      activity: { id: 'i12', type, ...at, distance: 5040, moving_time: 3600, average_cadence: 55, average_stride: 0.76 },
      streams: steadyStreams(5040, 1.4, 110),
    });
    expect(rec.sessionType).toBe(type);
    // 5040 m / 3600 s = 1.4 m/s → 1000 / 1.4 / 60 = 11.905 → 11.9 min/km
    expect([rec.pace, rec.speed]).toEqual([11.9, null]);
    // 55 strides/min × 2 = 110; check: 1.4 m/s × 60 / 0.76 m = 110.5 steps/min, nearer 110 than 55
    expect(rec.sportMetrics).toEqual({ cadence: 110, stride: 0.76 });
    expect(rec.splitsKm).toBeNull();
  });

  it('keeps a cadence the device already gave in steps/min', () => {
    // 172 at 3.5 m/s with a 1.22 m step: 3.5 × 60 / 1.22 = 172.1 steps/min, so 172 is steps already.
    const rec = normalizeActivity({ activity: { id: 'i13', type: 'Run', ...at, distance: 7000, moving_time: 2000, average_cadence: 172, average_stride: 1.22 } });
    expect(rec.sportMetrics?.cadence).toBe(172);
  });

  it('gives a swim pace per 100 m and its swim metrics, with interval paces per 100 m', () => {
    const rec = normalizeActivity({
      activity: {
        id: 'i14', type: 'Swim', ...at, distance: 2000, moving_time: 2184, average_speed: 0.95, average_cadence: 31, pool_length: 25, lengths: 80,
        icu_intervals: [{ id: 1, start_index: 0, moving_time: 436, distance: 400, average_heartrate: 140 }],
      },
    });
    // 2184 s / 20 × 100 m = 109.2 s/100 m = 1.82 min/100 m
    expect([rec.pace, rec.speed, rec.distance]).toEqual([1.82, null, 2]);
    expect(rec.sessionType).toBe('Swim');
    expect(rec.sportMetrics).toEqual({ swimCadenceSpm: 31, poolLength: 25, lengths: 80 });
    // 436 s / 4 = 109 s/100 m = 1:49/100m
    expect(rec.intervals?.[0]?.pace).toBe('1:49/100m');
    expect(rec.splitsKm).toBeNull();
  });

  it('gives WeightTraining what the source has: load and kg lifted, no distance or pace', () => {
    const base = { id: 'i15', type: 'WeightTraining', ...at, moving_time: 2700, icu_training_load: 31, distance: 0, has_heartrate: false, average_heartrate: 0, icu_hr_zone_times: [0, 0, 0, 0, 0, 0, 0] };
    const rec = normalizeActivity({ activity: base });
    expect(rec.sessionType).toBe('WeightTraining');
    expect([rec.movingTime, rec.load]).toEqual([2700, 31]);
    expect([rec.distance, rec.pace, rec.speed, rec.avgHr, rec.maxHr, rec.hrZoneTimes, rec.hrZones, rec.sportMetrics]).toEqual([null, null, null, null, null, null, null, null]);
    expect(normalizeActivity({ activity: { ...base, kg_lifted: 4200 } }).sportMetrics).toEqual({ kgLifted: 4200 });
  });

  it('gives any other moving sport km/h and what the source measured', () => {
    const rec = normalizeActivity({ activity: { id: 'i16', type: 'Rowing', ...at, distance: 6000, moving_time: 1500, icu_average_watts: 180, average_cadence: 24 } });
    // 6000 m / 1500 s = 4 m/s × 3.6 = 14.4 km/h
    expect([rec.sessionType, rec.speed, rec.pace]).toEqual(['Rowing', 14.4, null]);
    expect(rec.sportMetrics).toEqual({ avgWatts: 180, cadence: 24 });
    expect(normalizeActivity({ activity: { id: 'i17', ...at, type: null } }).workoutType).toBe('Other');
  });

  it('calls a ride without a power meter neither IF nor TSS', () => {
    const rec = normalizeActivity({ activity: { id: 'i18', type: 'Ride', ...at, distance: 40000, moving_time: 5000, icu_intensity: 72, icu_training_load: 60, average_cadence: 0, icu_zone_times: [] } });
    expect(rec.speed).toBe(28.8); // 8 m/s × 3.6
    expect(rec.load).toBe(60);
    expect(rec.sportMetrics).toBeNull();
  });

  it('fills a missing FTP or threshold pace from the athlete’s sport settings, never over the activity’s', () => {
    const thresholds = { sport: 'Ride', lthr: 160, maxHr: 185, thresholdPaceMps: 4, ftp: 250, hrZones: null, paceZones: null, powerZones: null };
    const ride = normalizeActivity({ activity: { id: 'i19', type: 'Ride', ...at, icu_average_watts: 200 }, thresholds });
    expect(ride.sportMetrics?.ftp).toBe(250);
    expect(normalizeActivity({ activity: { id: 'i19', type: 'Ride', ...at, icu_ftp: 240 }, thresholds }).sportMetrics?.ftp).toBe(240);
    // 4 m/s → 1000 / 4 / 60 = 4.1667 → 4.17
    expect(normalizeActivity({ activity: { id: 'i20', type: 'Run', ...at }, thresholds }).sportMetrics).toEqual({ thresholdPace: 4.17 });
  });

  it('treats compliance 0 as "no planned workout" unless the activity is paired', () => {
    expect(normalizeActivity({ activity: { ...capturedRun, compliance: 0 } }).planned).toBeNull();
    expect(normalizeActivity({ activity: { ...capturedRun, compliance: 0, paired_event_id: 7 } }).planned).toEqual({
      eventId: 7, compliance: 0, name: null, movingTime: null, distance: null, load: null,
    });
  });

  it('numbers the reps of an icu_groups repeat group', () => {
    const ivs = structuredRun(3, { secs: 480, speed: 3.9, hr: 165 }, { secs: 180, speed: 2.5, hr: 140 }).map((i) =>
      i.type === 'WORK' && i.id !== 1 ? { ...i, group_id: 'g480' } : i,
    );
    const rec = normalizeActivity({ activity: runWith(ivs), intervals: { id: 'i900', icu_intervals: ivs, icu_groups: [{ id: 'g480', count: 3 }] } });
    const grouped = rec.intervals?.filter((i) => i.reps !== undefined);
    expect(grouped?.map((i) => [i.rep, i.reps])).toEqual([[1, 3], [2, 3], [3, 3]]);
    expect(rec.intervals?.[0]).not.toHaveProperty('reps'); // the warm-up is in no group
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
