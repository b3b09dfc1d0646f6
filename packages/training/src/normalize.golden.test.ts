import { describe, expect, it } from '@jest/globals';
import { WorkoutRecordSchema } from '@splits/contracts';
import { activityRevision, isUnavailableActivity } from './activity-source.js';
import { normalizeActivity, wellnessContext } from './normalize.js';
import {
  calendarEvent,
  deletedStub,
  rideAchievements,
  rideIntervals,
  runUpload,
  stravaStub,
  virtualRide,
  wellnessRow,
  wellnessUpdated,
} from './__fixtures__/reference.js';

// Golden tests: the captured payloads of shared/reference/intervals-api.md, with every expected
// value worked out by hand from the payload (arithmetic in the comments).

describe('§1.6 A: run upload (Garmin, not analysed yet)', () => {
  const rec = normalizeActivity({ activity: runUpload });

  it('states time, distance and pace in the record units', () => {
    expect(rec.date).toBe('2026-04-16T07:02:09.000Z'); // start_date, UTC
    expect(rec.localDate).toBe('2026-04-16'); // start_date_local 2026-04-16T09:02:09
    expect(rec.distance).toBe(4.5); // 4497.53 m / 1000 = 4.49753 km → 4.50
    expect(rec.movingTime).toBe(2179);
    expect(rec.elapsedTime).toBe(2286);
    // pace 2.0640337 m/s (= 4497.53 m / 2179 s): 1000 / 2.0640337 = 484.49 s/km = 8.0748 min/km → 8.07 (8:04/km).
    // Not average_speed 2.057 (→ 8.10): the record's pace must agree with its distance and moving time.
    expect(rec.pace).toBe(8.07);
    expect(rec.speed).toBeNull(); // a run has pace, not speed
    expect(rec.elevationGain).toBe(22); // 22.115707 m
  });

  it('keeps heart rate, load, zones and the athlete’s own ratings', () => {
    expect([rec.avgHr, rec.maxHr, rec.load]).toEqual([128, 150, 23]);
    expect(rec.hrZoneTimes).toEqual([812, 407, 791, 172, 0, 0, 0]);
    expect(rec.hrZones).toEqual([129, 136, 144, 152, 157, 161, 179]);
    // icu_intensity 61.4 < 76 → easy; HR Z4+ = 172 / (812+407+791+172 = 2182) = 7.9 % < 10 % → easy.
    expect(rec.intensity).toBe('easy');
    expect([rec.rpe, rec.feel, rec.calories]).toEqual([2, 2, 331]);
    expect(rec.indoor).toBeNull(); // no `trainer` field in the capture
  });

  it('gives the run metrics', () => {
    expect(rec.sportMetrics).toEqual({
      // gap 2.080476 m/s: 1000 / 2.080476 = 480.66 s/km = 8.011 min/km → 8.01
      gradedPace: 8.01,
      // average_cadence 72.86063 is strides/min: 72.86063 × 2 = 145.72 → 146 steps/min. Cross-check with the
      // stride (one step, m): 2.0640337 m/s × 60 / 0.8498556 m = 145.72 steps/min.
      cadence: 146,
      stride: 0.85, // 0.8498556 m
      paceZoneTimes: [2176, 22, 0, 0, 0, 0, 0],
      // threshold_pace 3.3898 m/s: 1000 / 3.3898 = 295.00 s/km = 4.9167 min/km → 4.92
      thresholdPace: 4.92,
    });
  });

  it('is provisional: no CTL/ATL in the upload event, so fitness, fatigue and form are null', () => {
    expect(rec.provisional).toBe(true);
    expect([rec.fitness, rec.fatigue, rec.form]).toEqual([null, null, null]);
  });

  it('pairs with the planned workout: compliance 95.570175 % → 96', () => {
    expect(rec.planned).toEqual({ eventId: 104649834, compliance: 96, name: null, movingTime: null, distance: null, load: null });
    // §1.6 D is the event with id 104649834: its name joins the comparison.
    const withEvent = normalizeActivity({ activity: runUpload, plannedEvent: calendarEvent });
    expect(withEvent.planned?.name).toBe('Z2 Base Run');
    // The plan's figures (added to the captured event for this test): 2400 s, 5000 m → 5 km, load 25.
    const planned = normalizeActivity({ activity: runUpload, plannedEvent: { ...calendarEvent, moving_time: 2400, distance: 5000, icu_training_load: 25 } });
    expect(planned.planned).toEqual({ eventId: 104649834, compliance: 96, name: 'Z2 Base Run', movingTime: 2400, distance: 5, load: 25 });
    // Another event is not this activity's plan.
    expect(normalizeActivity({ activity: runUpload, plannedEvent: { ...calendarEvent, id: 1 } }).planned?.name).toBeNull();
  });

  it('invents nothing the upload lacks', () => {
    expect(rec.splitsKm).toBeNull(); // no streams given
    expect(rec.intervals).toEqual([]); // no icu_intervals in an upload event
    expect(rec.intervalSummary).toBeNull();
    expect(rec.wellness).toBeNull();
    expect(rec.vdot).toBeNull();
  });

  it('takes the §1.6 B wellness values only for the same day', () => {
    // §1.6 B is the row of 2026-04-15, the run is on 2026-04-16: not this run's day.
    expect(normalizeActivity({ activity: runUpload, wellness: wellnessUpdated }).wellness).toBeNull();
    const sameDay = normalizeActivity({ activity: runUpload, wellness: { ...wellnessUpdated, id: '2026-04-16' } });
    // sleepSecs 22242 / 3600 = 6.18 h → 6.2; weight 77.36 → 77.4
    expect(sameDay.wellness).toEqual({ hrv: 46, restingHr: 59, sleepHours: 6.2, sleepScore: 76, weight: 77.4, sleepQuality: 3 });
  });
});

describe('§2.4 VirtualRide with §3.1 intervals', () => {
  const rec = normalizeActivity({ activity: virtualRide, intervals: rideIntervals });

  it('states distance and speed in km and km/h', () => {
    expect(rec.workoutType).toBe('VirtualRide');
    expect(rec.sessionType).toBe('VirtualRide');
    expect(rec.distance).toBe(28.45); // 28451.42 m → 28.45 km
    // 28451.42 m / 3307 s = 8.6034 m/s × 3.6 = 30.97 km/h → 31.0
    expect(rec.speed).toBe(31);
    expect(rec.pace).toBeNull();
    expect([rec.movingTime, rec.elapsedTime]).toEqual([3307, 3307]);
    expect(rec.elevationGain).toBeNull(); // no total_elevation_gain on a trainer ride
    expect(rec.indoor).toBe(true);
    expect([rec.rpe, rec.feel, rec.calories]).toEqual([3, 3, 517]);
  });

  it('gives the power metrics', () => {
    expect(rec.sportMetrics).toEqual({
      avgWatts: 131,
      normalizedPower: 139,
      ftp: 208,
      intensityFactor: 0.67, // icu_intensity 66.82692 % / 100 = 0.668 → 0.67 (check: NP/FTP = 139/208 = 0.668)
      tss: 41, // power_load
      // icu_zone_times Z1…Z7 without SS; 1619+556+1027+92+4+1+8 = 3307 s = moving time
      powerZoneTimes: [1619, 556, 1027, 92, 4, 1, 8],
      sweetSpotTime: 211, // the SS entry
      cadence: 93, // 93.21714 rpm
      decoupling: 4.5, // 4.5139484 %
      efficiencyFactor: 1.05, // 1.0530303 (check: NP/avg HR = 139/132 = 1.053)
      variabilityIndex: 1.06, // 1.0610687 (check: NP/avg power = 139/131 = 1.061)
    });
  });

  it('is final: analysed with CTL/ATL', () => {
    expect(rec.provisional).toBe(false);
    // 18.94321 → 18.9; 38.26616 → 38.3; form 18.94321 − 38.26616 = −19.32295 → −19.3
    expect([rec.fitness, rec.fatigue, rec.form]).toEqual([18.9, 38.3, -19.3]);
    expect(rec.hrZoneTimes).toEqual([1054, 2253, 0, 0, 0, 0, 0]); // 1054 + 2253 = 3307 s
    // icu_intensity 66.8 < 76 → easy; no HR time above Z2 → easy
    expect(rec.intensity).toBe('easy');
  });

  it('becomes final when the ACHIEVEMENTS fields (§1.6 C) arrive', () => {
    const { icu_ctl: _c, icu_atl: _a, ...uploaded } = virtualRide;
    const before = normalizeActivity({ activity: uploaded });
    expect([before.provisional, before.fitness, before.form]).toEqual([true, null, null]);
    const after = normalizeActivity({ activity: { ...uploaded, ...rideAchievements } });
    expect([after.provisional, after.fitness, after.fatigue, after.form]).toEqual([false, 18.9, 38.3, -19.3]);
  });

  it('pairs with its planned workout: compliance 100.21212 % → 100', () => {
    expect(rec.planned).toEqual({ eventId: 103471545, compliance: 100, name: null, movingTime: null, distance: null, load: null });
  });

  it('lists the intervals with their repeat group', () => {
    expect(rec.intervals).toHaveLength(2);
    const [first, second] = rec.intervals ?? [];
    expect(first).toMatchObject({ type: 'RECOVERY', moving_time: 600, distance: 4300, avg_hr: 118, max_hr: 131, avg_watts: 120, np: 124, intensity: 58, cadence: 88, pace: null });
    expect(first).not.toHaveProperty('rep'); // group_id null
    // group g480s201w: count 4; this is its first member in the list
    expect(second).toMatchObject({ type: 'WORK', moving_time: 480, distance: 4420, avg_hr: 158, max_hr: 166, avg_watts: 201, np: 203, intensity: 97, cadence: 92, rep: 1, reps: 4 });
    expect(typeof second?.name).toBe('string');
  });
});

describe('§3.4 wellness row', () => {
  it('keeps what the row has and nulls the rest', () => {
    // restingHR 50, weight 78; hrv, sleepSecs and sleepScore are null in the row
    expect(wellnessContext(wellnessRow)).toEqual({ hrv: null, restingHr: 50, sleepHours: null, sleepScore: null, weight: 78 });
  });
});

describe('stubs and revisions', () => {
  it('recognises the Strava and deleted-activity stubs', () => {
    expect(isUnavailableActivity(stravaStub)).toBe('strava');
    expect(isUnavailableActivity(deletedStub)).toBe('deleted'); // no start_date_local
    expect(isUnavailableActivity(runUpload)).toBeNull();
    expect(isUnavailableActivity(virtualRide)).toBeNull();
    // normalizeActivity refuses them rather than building a record of nulls.
    expect(() => normalizeActivity({ activity: stravaStub })).toThrow('not available (strava stub)');
    expect(() => normalizeActivity({ activity: deletedStub })).toThrow('has no start date');
  });

  it('gives a list row and the full activity the same revision', () => {
    const full = { ...virtualRide, icu_intervals: rideIntervals.icu_intervals, icu_groups: rideIntervals.icu_groups, description: null };
    // A list row: no intervals, no compliance, nulls dropped (`fields=`).
    const { compliance: _c, ...listRow } = virtualRide;
    expect(activityRevision(full)).toMatch(/^[0-9a-f]{16}$/);
    expect(activityRevision(listRow)).toBe(activityRevision(full));
    // Fields that don't shape the record don't move it.
    expect(activityRevision({ ...listRow, average_temp: 30.1 })).toBe(activityRevision(full));
  });

  it('moves when a field that matters changes', () => {
    const base = activityRevision(virtualRide);
    const { icu_ctl: _c, icu_atl: _a, ...provisional } = virtualRide;
    const changed = [
      activityRevision(provisional),
      activityRevision({ ...virtualRide, name: 'Tempo' }),
      activityRevision({ ...virtualRide, analyzed: '2026-04-16T07:00:00.000+00:00' }),
      activityRevision({ ...virtualRide, icu_training_load: 42 }),
      activityRevision({ ...virtualRide, paired_event_id: null }),
      activityRevision({ ...virtualRide, icu_intervals_edited: true }),
      activityRevision({ ...virtualRide, description: 'Felt good' }),
    ];
    expect(changed.every((r) => r !== base)).toBe(true);
    expect(new Set(changed).size).toBe(changed.length);
  });
});

describe('the record schema (what the gateway lets out)', () => {
  it('keeps every field of a full record and still reads a record stored before the added fields', () => {
    const rec = { ...normalizeActivity({ activity: virtualRide, intervals: rideIntervals }), id: 'trn_1' };
    expect(WorkoutRecordSchema.parse(rec)).toEqual(rec);
    const { elapsedTime: _e, hrZones: _h, rpe: _r, feel: _f, calories: _c, indoor: _i, planned: _p, ...older } = rec;
    expect(WorkoutRecordSchema.parse(older)).toEqual(older);
  });
});
