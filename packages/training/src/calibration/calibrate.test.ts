import { describe, expect, it } from '@jest/globals';
import type { RecordInterval } from '@splits/contracts';
import { calibrateThreshold, thresholdSpeedOfVdot, type CalibrationRun } from './calibrate.js';
import { declaredRace, raceWordIn, standardDistanceOf } from './race-evidence.js';
import { vdotFromPerformance } from '../vdot.js';

const DAY = 86_400_000;
const asOf = new Date('2026-11-01T07:00:00Z');
let n = 0;

/** A run of laps given as [seconds, metres, hr]. */
function run(daysAgo: number, laps: Array<[number, number, number | null]>, extra: Partial<CalibrationRun> = {}): CalibrationRun {
  const intervals = laps.map(([s, m, hr], k) => ({ name: `Lap ${k + 1}`, type: null, moving_time: s, distance: m, avg_hr: hr, max_hr: hr, pace: null, avg_watts: null, cadence: null }) satisfies RecordInterval);
  return {
    id: `r${++n}`,
    date: new Date(asOf.getTime() - daysAgo * DAY).toISOString(),
    workoutType: 'Run',
    activityName: 'Morning Run',
    distance: laps.reduce((a, l) => a + l[1], 0) / 1000,
    movingTime: laps.reduce((a, l) => a + l[0], 0),
    avgHr: null,
    maxHr: Math.max(...laps.map((l) => l[2] ?? 0)),
    intervals,
    ...extra,
  };
}
const easy = (daysAgo: number) => run(daysAgo, Array.from({ length: 8 }, () => [330, 1000, 140] as [number, number, number]));
/** Warm-up, 5 km in `secs`, cool-down. */
const race5k = (daysAgo: number, secs: number, extra: Partial<CalibrationRun> = {}) =>
  run(daysAgo, [[360, 1000, 140], [360, 1000, 145], ...Array.from({ length: 5 }, () => [secs / 5, 1000, 178] as [number, number, number]), [380, 1000, 150]], extra);

const settings = (paceSecPerKm: number) => ({ thresholdSpeed: 1000 / paceSecPerKm, lthr: 172, maxHr: 190 });

describe('calibrateThreshold', () => {
  const history = [easy(3), easy(5), easy(8), easy(10), easy(12)];

  it('keeps the settings when the running agrees with them', () => {
    const c = calibrateThreshold(history, asOf, settings(255));
    expect(c).toMatchObject({ source: 'settings', settingsGap: 0 });
  });

  it('rises above stale settings on a declared race, and names the raced block', () => {
    const c = calibrateThreshold([...history, race5k(20, 1140, { activityName: 'Parkrun' })], asOf, settings(270));
    expect(c.source).toBe('race');
    expect(c.thresholdSpeed).toBeCloseTo(thresholdSpeedOfVdot(vdotFromPerformance(5000, 1140)), 2);
    expect(c.settingsGap).toBeGreaterThan(0.05);
    expect(c.evidence[0]).toMatchObject({ kind: 'race', distanceKm: 5, timeSec: 1140, block: 'laps 3–7' });
  });

  it('never moves on one noisy run: a lone effort far above the rest counts only as far as the rest allow', () => {
    // One "5K" 15 % faster than anything else (a bad GPS track), with easy HR: not hard, no race word.
    const noisy = run(6, Array.from({ length: 5 }, () => [200, 1000, 150] as [number, number, number]));
    const c = calibrateThreshold([...history, noisy], asOf, settings(255));
    expect(c.source).toBe('settings');
  });

  it('falls below the settings only on a race that says so; evidence that ages out stops counting', () => {
    const slowRace = race5k(15, 1500, { race: true });
    expect(calibrateThreshold([...history, slowRace], asOf, settings(240)).source).toBe('race');
    // The same race 100 days ago is outside the window: the settings stand again.
    expect(calibrateThreshold([...history, race5k(100, 1500, { race: true })], asOf, settings(240)).source).toBe('settings');
  });

  it("takes Intervals.icu's critical-speed model first when it says the athlete is faster, as known on the day", () => {
    const model = (fetchedDaysAgo: number, cs: number, r2 = 0.97) => ({ fetchedOn: new Date(asOf.getTime() - fetchedDaysAgo * DAY).toISOString().slice(0, 10), criticalSpeed: cs, dPrime: 180, r2 });
    const S = settings(270); // 3.70 m/s
    expect(calibrateThreshold(history, asOf, S, [model(2, 3.95)])).toMatchObject({ source: 'intervals_cs', thresholdSpeed: 3.95, criticalSpeed: 3.95, csSource: 'intervals' });
    // A model fetched after the moment, or more than a week before it, or a poor fit, is not read.
    expect(calibrateThreshold(history, asOf, S, [model(-1, 3.95)]).source).toBe('settings');
    expect(calibrateThreshold(history, asOf, S, [model(9, 3.95)]).source).toBe('settings');
    expect(calibrateThreshold(history, asOf, S, [model(2, 3.95, 0.6)]).source).toBe('settings');
    // A model below the settings never lowers them alone (42 days without a hard effort look slow).
    expect(calibrateThreshold(history, asOf, S, [model(2, 3.3)]).source).toBe('settings');
    // A race since that says clearly more wins.
    expect(calibrateThreshold([...history, race5k(1, 1080, { race: true })], asOf, S, [model(2, 3.95)]).source).toBe('race');
  });

  it('reads only runs before the moment, in any order', () => {
    const runs = [...history, race5k(20, 1140, { activityName: 'Parkrun' })];
    const a = calibrateThreshold(runs, asOf, settings(270));
    const b = calibrateThreshold([...runs].reverse(), asOf, settings(270));
    expect(b).toEqual(a);
    expect(calibrateThreshold(runs, new Date(asOf.getTime() - 25 * DAY), settings(270)).source).toBe('settings');
  });
});

describe('race evidence', () => {
  it('finds race words in several languages, and not in training names', () => {
    for (const name of ['Parkrun #312', 'City 10K Race', 'Забег 10 км', 'Полумарафон', 'Berlin Marathon', 'Halbmarathon', 'Semi-marathon de Paris', 'Gara 10k']) expect([name, raceWordIn(name)]).not.toEqual([name, null]);
    for (const name of ['Morning Run', 'Marathon pace long run', 'Race pace intervals', 'Темповая тренировка', 'Carrera suave', 'Course à pied']) expect([name, raceWordIn(name)]).toEqual([name, null]);
  });

  it('takes the flag, a planned race or the name as the athlete\'s word', () => {
    expect(declaredRace({ raceFlag: true })?.kind).toBe('flag');
    expect(declaredRace({ plannedRace: true })?.kind).toBe('planned');
    expect(declaredRace({ name: 'Parkrun' })?.kind).toBe('name');
    expect(declaredRace({ name: 'Evening Run' })).toBeNull();
  });

  it('snaps a measured distance to the standard one within −1.5 … +2.5 %', () => {
    expect(standardDistanceOf(5080)?.name).toBe('5K');
    expect(standardDistanceOf(9870)?.name).toBe('10K');
    expect(standardDistanceOf(5300)).toBeNull();
  });
});
