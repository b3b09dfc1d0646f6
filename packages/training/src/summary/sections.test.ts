import { describe, expect, it } from '@jest/globals';
import { buildAthleteSummary } from './build.js';
import type { PlannedEventInput, SummaryInput, WellnessDayInput } from './input.js';
import { splitSummary } from './parts.js';
import { rec } from './test-records.js';
import { addDays, isoWeekLabel } from './time.js';

const now = new Date('2026-04-16T10:00:00Z'); // Thursday; Berlin 12:00
const today = '2026-04-16';
const tz = 'Europe/Berlin';

function wellnessDays(n: number, f: (ago: number) => Record<string, unknown>): WellnessDayInput[] {
  return Array.from({ length: n }, (_, i) => ({ date: addDays(today, -(n - 1 - i)), data: f(n - 1 - i) }));
}
const planned = (date: string, over: Partial<PlannedEventInput> = {}): PlannedEventInput => ({
  date,
  category: 'WORKOUT',
  type: 'Run',
  name: 'Easy run',
  description: null,
  movingTime: 2700,
  distance: 8000,
  load: 40,
  ...over,
});
const input = (over: Partial<SummaryInput>): SummaryInput => ({
  now,
  athlete: { id: 'ath', name: 'Anna', timezone: tz },
  profile: null,
  workouts: [],
  wellness: [],
  planned: [],
  ...over,
});

describe('ISO weeks', () => {
  it('labels weeks by the year of their Thursday', () => {
    expect(isoWeekLabel('2021-01-03')).toBe('2020-W53');
    expect(isoWeekLabel('2024-12-30')).toBe('2025-W01');
    expect(isoWeekLabel('2026-04-16')).toBe('2026-W16');
  });
});

describe('current condition', () => {
  it('takes fitness, fatigue, form, ramp rate and their change from the wellness rows', () => {
    const rows = wellnessDays(40, (ago) => ({ ctl: 60 - ago * 0.5, atl: 70 - ago * 0.2, rampRate: 3.5 }));
    const c = buildAthleteSummary(input({ wellness: rows })).condition;
    expect(c).toMatchObject({ date: today, source: 'wellness', fitness: 60, fatigue: 70, form: -10, rampRate: 3.5, trend: 'building' });
    expect(c.change7d).toEqual({ fitness: 3.5, fatigue: 1.4, form: 2.1 });
    expect(c.change28d.fitness).toBe(14);
    expect(c.flags).toEqual([]);
  });

  it('ignores projected future rows and falls back to the last workout when there is no wellness', () => {
    const future = [{ date: addDays(today, 3), data: { ctl: 99, atl: 1 } }];
    const c = buildAthleteSummary(input({ wellness: future, workouts: [rec('w', '2026-04-15T07:00:00Z', { fitness: 41.26, fatigue: 50, form: -8.74 })] })).condition;
    expect(c).toMatchObject({ source: 'workout', date: '2026-04-15', fitness: 41.3, fatigue: 50, form: -8.7, rampRate: null, trend: null });
  });

  it('knows nothing when nothing is known', () => {
    const c = buildAthleteSummary(input({})).condition;
    expect(c).toMatchObject({ source: null, fitness: null, fatigue: null, form: null, rampRate: null, flags: [] });
  });

  it('raises each risk flag by its rule', () => {
    const rows = wellnessDays(60, (ago) => ({ ctl: 70, atl: 105, rampRate: 9.4, hrv: ago < 7 ? 50 : 65 }));
    const workouts = [rec('d', '2026-04-09T07:00:00Z', { workoutType: 'Ride' })];
    const plan = [
      planned('2026-04-09', { name: '5x1000m intervals' }), // a ride that day does not make up for a run
      planned('2026-04-11', { name: 'Long run 28 km' }),
      planned('2026-04-12', { name: 'Easy run' }), // not key
      planned('2026-03-20', { name: 'Threshold 3x10' }), // outside 14 days
    ];
    const c = buildAthleteSummary(input({ wellness: rows, workouts, planned: plan })).condition;
    expect(c.flags.map((f) => f.code)).toEqual(['ramp_rate_steep', 'form_very_negative', 'hrv_below_baseline', 'missed_key_sessions']);
    expect(c.missedKeySessions.map((m) => m.date)).toEqual(['2026-04-09', '2026-04-11']);
    expect(c.flags[0]!.message).toMatch(/9\.4 points a week/);
    expect(c.flags[1]!.message).toMatch(/-35/);
  });

  it('does not flag HRV on too few values', () => {
    const rows = wellnessDays(60, (ago) => ({ ctl: 50, atl: 50, hrv: ago < 7 ? (ago < 2 ? 40 : null) : 65 }));
    expect(buildAthleteSummary(input({ wellness: rows })).condition.flags).toEqual([]);
  });
});

describe('wellness', () => {
  it('compares 7-day averages with the baseline, leaving unknown days null', () => {
    const rows = wellnessDays(60, (ago) => ({ hrv: ago < 7 ? 55 : 60, restingHR: ago === 0 ? null : 48, sleepSecs: ago < 7 ? 7 * 3600 : 8 * 3600 }));
    const w = buildAthleteSummary(input({ wellness: rows })).wellness;
    expect(w.hrv).toMatchObject({ latest: 55, latestDate: today, avg7d: 55, baseline: 60, baselineDays: 53, changePct: -8.3 });
    expect(w.restingHr.latestDate).toBe(addDays(today, -1));
    expect(w.restingHr.last7Days).toEqual([48, 48, 48, 48, 48, 48, null]);
    expect(w.sleepHours).toMatchObject({ avg7d: 7, baseline: 8 });
    expect(w.weight).toMatchObject({ latest: null, avg7d: null, baseline: null, changePct: null, last7Days: Array(7).fill(null) });
  });
});

describe('recent trainings, key sessions and plan', () => {
  const workouts = Array.from({ length: 40 }, (_, i) =>
    rec(`r${i}`, new Date(now.getTime() - (i + 1) * 36 * 3600_000).toISOString(), {
      sessionType: i % 5 === 0 ? 'Threshold' : 'Easy',
      intervalSummary: i % 5 === 0 ? { work: '3 x 10 min', recovery: '2 min jog' } : null,
      userReport: i === 0 ? 'x'.repeat(400) : null,
      avgHr: i === 1 ? null : 140,
    }),
  );
  const s = buildAthleteSummary(input({ workouts, planned: [planned(addDays(today, 7)), planned(addDays(today, 6), { description: 'd'.repeat(500) }), planned(today), planned(addDays(today, -1))] }));

  it('lists the last 30, newest first, leaving out what is unknown', () => {
    expect(s.recentTrainings).toHaveLength(30);
    expect(s.recentTrainings.map((t) => t.id)).toEqual(workouts.slice(0, 30).map((w) => w.id));
    expect(s.recentTrainings[0]).toMatchObject({ sessionType: 'Threshold', work: '3 x 10 min' });
    expect(s.recentTrainings[0]!.userReport).toHaveLength(280);
    expect(s.recentTrainings[1]).not.toHaveProperty('avgHr');
  });

  it('keeps the last key sessions and counts the weeks trained', () => {
    expect(s.history.keySessions.map((k) => k.id)).toEqual(workouts.filter((w) => w.sessionType === 'Threshold').slice(0, 8).map((w) => w.id));
    expect(s.history.weeks[0]!.keySessions[0]).toMatch(/^04-1\d Run Threshold 10 km$/);
    expect(s.history.consistency).toMatchObject({ weeksTrained: 10, currentStreakWeeks: 10, daysSinceLastSession: 1, gaps: [] });
  });

  it('shows the plan for today and the 6 days after it', () => {
    expect(s.next7Days.map((p) => p.date)).toEqual([today, addDays(today, 6)]);
    expect(s.next7Days[0]).toMatchObject({ distance: 8, movingTime: 2700 });
    expect(s.next7Days[1]!.description).toHaveLength(300);
  });
});

describe('consistency gaps', () => {
  it('finds a stretch of ≥ 7 days without training', () => {
    const w = [rec('a', '2026-04-15T07:00:00Z'), rec('b', '2026-04-01T07:00:00Z'), rec('c', '2026-03-31T07:00:00Z')];
    const c = buildAthleteSummary(input({ workouts: w })).history.consistency;
    expect(c.gaps).toEqual([{ from: '2026-04-02', to: '2026-04-14', days: 13 }]);
    expect(c.weeksTrained).toBe(2); // 03-31 and 04-01 share ISO week 14
  });
});

describe('profile', () => {
  it('is carried verbatim', () => {
    const profile = { about: '  Runner since 2015.\nKnee op 2023  ', goals: [{ name: 'Berlin Marathon', date: '2026-09-27', distance: 'Marathon', target: 'sub 3:15', priority: 'A' as const, notes: null }], rules: ['No running two days in a row  '], strategy: 'Base, then threshold.', revision: 3, updatedAt: '2026-04-01T10:00:00.000Z' };
    expect(buildAthleteSummary(input({ profile })).profile).toEqual(profile);
  });
});

describe('running benchmarks', () => {
  it('derives VDOT, paces, predictions, best efforts and the pace journal from a race', () => {
    const race = rec('race', '2026-03-29T08:00:00Z', { sessionType: 'Race', distance: 10.02, movingTime: 2400, intensity: 'very hard' });
    const easy = Array.from({ length: 6 }, (_, i) => rec(`e${i}`, new Date(now.getTime() - (i + 1) * 86_400_000).toISOString(), { distance: 10, movingTime: 3300, pace: 5.5 }));
    const s = buildAthleteSummary(input({ workouts: [race, ...easy] }));
    expect(s.running.vdot).toBeGreaterThan(50);
    expect(s.running.vdot).toBeLessThan(53);
    expect(s.running.evidence[0]).toMatchObject({ workoutId: 'race', kind: 'race', time: '0:40:00' });
    expect(s.running.paces!.T).toMatch(/^\d:\d{2}–\d:\d{2}\/km$/);
    expect(s.running.predictions.find((p) => p.distance === '10K')!.time).toMatch(/^0:(39:5\d|40:0\d)$/); // the race: 10.02 km, a 10K
    expect(s.running.bestEfforts).toEqual([expect.objectContaining({ distanceName: '10K', workoutId: 'race', time: '0:40:00', distance: 10.02, pace: '4:00/km' })]);
    expect(s.paceJournal).toEqual([expect.objectContaining({ sessionType: 'Easy', zone: 'E', sessions: 6, actual: '5:30/km' })]);
  });

  it('gives no VDOT from easy running alone', () => {
    const s = buildAthleteSummary(input({ workouts: [rec('e', '2026-04-10T07:00:00Z')] }));
    expect(s.running).toMatchObject({ vdot: null, paces: null, predictions: [] });
    expect(s.paceJournal).toEqual([]);
  });
});

describe('parts', () => {
  it('keeps a small summary whole and splits a large one into parts under the limit that add back up', () => {
    const doc = { a: { x: 1 }, big: Array.from({ length: 3000 }, (_, i) => ({ i, text: 'y'.repeat(90) })), tail: 'z' };
    expect(splitSummary({ a: 1 }, 100)).toEqual([{ a: 1 }]);
    const parts = splitSummary(doc, 90_000);
    expect(parts.length).toBeGreaterThan(3);
    for (const p of parts) expect(JSON.stringify(p).length).toBeLessThan(90_000);
    expect(parts.flatMap((p) => (p.big as unknown[] | undefined) ?? [])).toEqual(doc.big);
    expect(parts[0]!.a).toEqual({ x: 1 });
    expect(parts.at(-1)!.tail).toBe('z');
  });
});
