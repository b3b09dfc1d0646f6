import { describe, expect, it } from '@jest/globals';
import type { WorkoutRecord } from '@splits/contracts';
import { danielsPaces, equivalentRaceTimes, raceTimeForVdot, vdotFromPerformance } from './vdot.js';
import { currentVdot, paceJournal, vdotEvidence } from './vdot-history.js';

const secs = (s: string) => s.split(':').map(Number).reduce((a, b) => a * 60 + b, 0);

/** Race times from the VDOT table in Daniels' Running Formula. */
const TABLE: Array<[number, string, number, string]> = [
  [30, '1500 m', 1500, '8:30'],
  [30, 'mile', 1609.344, '9:11'],
  [30, '5K', 5000, '30:40'],
  [30, '10K', 10000, '63:46'],
  [30, 'half', 21097.5, '2:21:04'],
  [30, 'marathon', 42195, '4:49:17'],
  [40, '5K', 5000, '24:08'],
  [40, '10K', 10000, '50:03'],
  [40, 'half', 21097.5, '1:50:59'],
  [40, 'marathon', 42195, '3:49:45'],
  [50, '1500 m', 1500, '5:24'],
  [50, 'mile', 1609.344, '5:50'],
  [50, '5K', 5000, '19:57'],
  [50, '10K', 10000, '41:21'],
  [50, 'half', 21097.5, '1:31:35'],
  [50, 'marathon', 42195, '3:10:49'],
  [60, '1500 m', 1500, '4:35'],
  [60, 'mile', 1609.344, '4:57'],
  [60, '5K', 5000, '17:03'],
  [60, '10K', 10000, '35:22'],
  [60, 'half', 21097.5, '1:18:09'],
  [60, 'marathon', 42195, '2:43:25'],
  [70, '1500 m', 1500, '4:00'],
  [70, 'mile', 1609.344, '4:20'],
  [70, '5K', 5000, '14:55'],
  [70, '10K', 10000, '30:59'],
  [70, 'half', 21097.5, '1:08:21'],
  [70, 'marathon', 42195, '2:23:10'],
];

describe('VDOT (Daniels–Gilbert)', () => {
  it.each(TABLE)('VDOT %d: %s in the table time gives the table VDOT ±0.5', (vdot, _name, meters, time) => {
    expect(Math.abs(vdotFromPerformance(meters, secs(time)) - vdot)).toBeLessThanOrEqual(0.5);
  });

  it('turns a VDOT back into race times within a few seconds of the table', () => {
    expect(Math.abs(raceTimeForVdot(50, 5000) - secs('19:57'))).toBeLessThan(3);
    expect(Math.abs(raceTimeForVdot(60, 42195) - secs('2:43:25'))).toBeLessThan(20);
    const predicted = equivalentRaceTimes(vdotFromPerformance(10000, secs('41:21')));
    expect(predicted.find((p) => p.name === 'Half marathon')!.timeSec).toBeGreaterThan(secs('1:31:00'));
    expect(predicted.find((p) => p.name === 'Half marathon')!.timeSec).toBeLessThan(secs('1:32:10'));
  });

  it('works for distances between table columns (a 12 km race)', () => {
    const v = vdotFromPerformance(12000, secs('50:00'));
    expect(v).toBeGreaterThan(vdotFromPerformance(10000, secs('41:21')) - 2);
    expect(raceTimeForVdot(v, 12000)).toBeCloseTo(3000, 0);
  });

  it('gives Daniels training paces close to the published ones (VDOT 50)', () => {
    const p = danielsPaces(50);
    // Daniels VDOT 50: T 4:15/km, I 3:55/km (I 400 in 94 s), M 4:31/km, E 5:07–5:38/km.
    expect(p.T.fromSecPerKm).toBeLessThanOrEqual(255 + 4);
    expect(p.T.toSecPerKm).toBeGreaterThanOrEqual(255 - 4);
    expect(p.M.fromSecPerKm).toBeLessThan(272);
    expect(p.M.toSecPerKm).toBeGreaterThan(270);
    expect(p.I.fromSecPerKm).toBeLessThan(236);
    expect(p.E.fromSecPerKm).toBeGreaterThan(290);
    expect(p.E.toSecPerKm).toBeLessThan(345);
    expect(p.R.toSecPerKm).toBeLessThan(p.I.fromSecPerKm);
  });
});

let n = 0;
const rec = (over: Partial<WorkoutRecord>): WorkoutRecord =>
  ({
    id: `trn_${++n}`,
    date: '2026-10-01T07:00:00.000Z',
    workoutType: 'Run',
    sessionType: 'Easy',
    distance: 10,
    movingTime: 3600,
    intensity: 'easy',
    pace: 6,
    mainSet: null,
    ...over,
  }) as WorkoutRecord;

describe('currentVdot', () => {
  it('rests on races and hard top efforts only, with the evidence', () => {
    const easy = Array.from({ length: 30 }, (_, k) => rec({ distance: 10, movingTime: 3300 + k * 10 }));
    const race = rec({ sessionType: 'Race', distance: 10, movingTime: secs('41:21'), intensity: 'very hard', date: '2026-09-20T08:00:00.000Z' });
    const tempo = rec({ sessionType: 'Threshold', distance: 8, movingTime: 2160, intensity: 'hard' });
    const old = rec({ sessionType: 'Race', distance: 5, movingTime: secs('17:03'), date: '2025-01-01T08:00:00.000Z' });
    const res = currentVdot([...easy, race, tempo, old], new Date('2026-10-10T00:00:00Z'));
    expect(res).not.toBeNull();
    expect(res!.vdot).toBeCloseTo(50, 0);
    expect(res!.evidence[0]).toMatchObject({ workoutId: race.id, kind: 'race', distanceKm: 10 });
    expect(res!.evidence.map((e) => e.workoutId)).not.toContain(old.id);
    expect(res!.evidence.some((e) => e.kind === 'top_effort' && e.workoutId === tempo.id)).toBe(true);
    // The fastest easy run of the 10 km band is not hard: never evidence.
    expect(res!.evidence.every((e) => e.workoutId === race.id || e.workoutId === tempo.id)).toBe(true);
  });

  it('is null for a history of easy running only, and ignores other sports', () => {
    const easy = Array.from({ length: 10 }, () => rec({}));
    expect(currentVdot(easy, new Date('2026-10-10T00:00:00Z'))).toBeNull();
    expect(vdotEvidence([rec({ workoutType: 'Ride', sessionType: 'Race', distance: 40, movingTime: 3600 })])).toEqual([]);
  });
});

describe('paceJournal', () => {
  it('compares actual pace with the planned Daniels zone per session type', () => {
    const j = paceJournal(
      [
        rec({ sessionType: 'Easy', pace: 5.4 }),
        rec({ sessionType: 'Easy', pace: 4.6 }),
        rec({ sessionType: 'Threshold', pace: 5, mainSet: { work: '4 x 8 min', reps: 4, workTime: 1920, workDistance: 7.5, pace: '4:16/km', avgHr: 170, avgWatts: null, pctThresholdPace: 99, pctLthr: 100 } }),
        rec({ sessionType: 'Race', pace: 4.1 }),
      ],
      50,
    );
    expect(j.map((e) => e.sessionType)).toEqual(['Easy', 'Threshold']);
    expect(j[0]).toMatchObject({ zone: 'E', sessions: 2, within: 1, faster: 1, slower: 0 });
    expect(j[1]).toMatchObject({ zone: 'T', sessions: 1, within: 1, actualSecPerKm: 256 });
  });
});
