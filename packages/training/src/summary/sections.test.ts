import { describe, expect, it } from '@jest/globals';
import type { IntervalsStream } from '@splits/contracts';
import { workoutBestEfforts } from '../best-efforts.js';
import { buildAthleteSummary } from './build.js';
import type { WorkoutBestEffortsInput } from './input.js';
import { evidenceLine } from './running.js';
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
    expect(s.history.weeks[0]!.keySessions![0]).toMatch(/^04-1\d Run Threshold 10 km$/);
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

/** 1 Hz (time, distance) streams through blocks of (metres, m/s). */
function streamsOf(blocks: [number, number][], spikeAt?: number): IntervalsStream[] {
  const time = [0];
  const distance = [0];
  for (const [metres, speed] of blocks) {
    const end = distance.at(-1)! + metres;
    while (distance.at(-1)! < end - 1e-9) {
      const step = Math.min(speed, end - distance.at(-1)!);
      time.push(time.at(-1)! + step / speed);
      distance.push(distance.at(-1)! + step);
    }
  }
  // A GPS spike: 600 m in one second, and the track stays 600 m ahead.
  const shown = spikeAt === undefined ? distance : distance.map((d, i) => (i >= spikeAt ? d + 600 : d));
  return [
    { type: 'time', data: time },
    { type: 'distance', data: shown },
  ];
}
const measured = (id: string, streams: IntervalsStream[]): WorkoutBestEffortsInput => ({ workoutId: id, ...workoutBestEfforts({ streams }) });

describe('running benchmarks', () => {
  it('derives VDOT, paces, predictions and the pace journal from a race', () => {
    const race = rec('race', '2026-03-29T08:00:00Z', { sessionType: 'Race', distance: 10.02, movingTime: 2400, intensity: 'very hard' });
    const easy = Array.from({ length: 6 }, (_, i) => rec(`e${i}`, new Date(now.getTime() - (i + 1) * 86_400_000).toISOString(), { distance: 10, movingTime: 3300, pace: 5.5 }));
    const s = buildAthleteSummary(input({ workouts: [race, ...easy] }));
    expect(s.running.vdot).toBeGreaterThan(50);
    expect(s.running.vdot).toBeLessThan(53);
    expect(s.running.evidence[0]).toMatchObject({ workoutId: 'race', kind: 'race', time: '0:40:00', pace: '4:00/km' });
    expect(s.running.evidence[0]).not.toHaveProperty('whole');
    expect(s.running.paces!.T).toMatch(/^\d:\d{2}–\d:\d{2}\/km$/);
    expect(s.running.predictions.find((p) => p.distance === '10K')!.time).toMatch(/^0:(39:5\d|40:0\d)$/); // the race: 10.02 km, a 10K
    expect(s.running.bestEfforts).toEqual([]); // nothing measured, nothing claimed
    expect(s.paceJournal).toEqual([expect.objectContaining({ sessionType: 'Easy', zone: 'E', sessions: 6, actual: '5:30/km' })]);
  });

  it('takes best efforts from the fastest stretch of any run, not from whole runs that match a distance', () => {
    // A parkrun raced in 20:00 inside 9 km, a 10K race in 41:00 inside 14.27 km, an easy 5.03 km in 28:00
    // and an easy 8 km with a GPS spike that would fake a 400 m record.
    const parkrun = rec('park', '2026-03-07T08:00:00Z', { sessionType: 'Race', activityName: 'parkrun', distance: 9, movingTime: 2533 });
    const city = rec('city', '2026-03-22T08:00:00Z', { sessionType: 'Race', activityName: 'City 10K Race', distance: 14.27, movingTime: 3969 });
    const easy5 = rec('easy5', '2026-04-10T07:00:00Z', { distance: 5.03, movingTime: 1680 });
    const spiky = rec('spiky', '2026-04-12T07:00:00Z', { distance: 8, movingTime: 2667 });
    const old = rec('old', '2025-03-01T08:00:00Z', { distance: 10, movingTime: 2000 }); // over a year ago
    const efforts = [
      measured('park', streamsOf([[2000, 3], [5000, 5000 / 1200], [2000, 3]])),
      measured('city', streamsOf([[2500, 3], [10_000, 10_000 / 2460], [1770, 3]])),
      measured('easy5', streamsOf([[5030, 5030 / 1680]])),
      measured('spiky', streamsOf([[8000, 3]], 900)),
      measured('old', streamsOf([[10_000, 5]])),
    ];
    const s = buildAthleteSummary(input({ workouts: [parkrun, city, easy5, spiky, old], bestEfforts: efforts }));
    const e = Object.fromEntries(s.running.bestEfforts.map((b) => [b.effort, b]));
    expect(e['5K']).toEqual({ effort: '5K', time: '0:20:00', distance: 5, pace: '4:00/km', date: '2026-03-07', workoutId: 'park', activityName: 'parkrun', race: true, startKm: 2, startTime: '0:11:07', runKm: 9 });
    expect(e['10K']).toMatchObject({ time: '0:41:00', workoutId: 'city', race: true, startKm: 2.5, runKm: 14.27 });
    expect(e['400 m']).toMatchObject({ time: '0:01:36', workoutId: 'park' }); // not the spike
    expect(e['20 min']).toMatchObject({ workoutId: 'park', distance: 5, pace: '4:00/km' });
    expect(e['40 min']).toBeUndefined();
    expect(s.running.bestEfforts.map((b) => b.effort)).toEqual(['400 m', '1K', '1 mile', '5K', '10K', '5 min', '10 min', '20 min', '30 min', '60 min']);
    expect(s.running.bestEfforts.some((b) => b.workoutId === 'old' || b.workoutId === 'easy5' || b.workoutId === 'spiky')).toBe(false);
  });

  it('shows a raced block with the whole activity beside it', () => {
    const line = evidenceLine({ workoutId: 'city', date: '2026-03-22T08:00:00Z', distanceKm: 10, timeSec: 2460, vdot: 50.1, kind: 'race', whole: { distanceKm: 14.27, timeSec: 3969 }, block: 'laps 2–11 (10.00 km)' } as Parameters<typeof evidenceLine>[0]);
    expect(line).toEqual({ workoutId: 'city', date: '2026-03-22', kind: 'race', vdot: 50.1, distance: 10, time: '0:41:00', pace: '4:06/km', block: 'laps 2–11 (10.00 km)', whole: { distance: 14.27, time: '1:06:09', pace: '4:38/km' } });
    expect(evidenceLine({ workoutId: 'x', date: '2026-03-22', distanceKm: 5, timeSec: 1200, vdot: 49, kind: 'race', whole: { distanceKm: 5, timeSec: 1200 }, block: null } as Parameters<typeof evidenceLine>[0])).not.toHaveProperty('whole');
  });

  it('gives no VDOT from easy running alone', () => {
    const s = buildAthleteSummary(input({ workouts: [rec('e', '2026-04-10T07:00:00Z')] }));
    expect(s.running).toMatchObject({ vdot: null, paces: null, predictions: [] });
    expect(s.paceJournal).toEqual([]);
  });
});

describe('gaps and returns', () => {
  // Racing through spring 2025, the last run in mid-July, read in December: 20 weeks without training.
  const dec = new Date('2026-12-03T10:00:00Z');
  const spring = Array.from({ length: 60 }, (_, i) => rec(`s${i}`, new Date(Date.parse('2026-07-14T06:00:00Z') - i * 2 * 86_400_000).toISOString()));
  const race = rec('race', '2026-07-05T08:00:00Z', { sessionType: 'Race', distance: 10, movingTime: 2460, intensity: 'very hard' });

  it('flags a gap of more than 10 days with the last date, and says how old the VDOT evidence is', () => {
    const s = buildAthleteSummary(input({ now: dec, workouts: [race, ...spring] }));
    expect(s.condition.flags.map((f) => f.code)).toEqual(['training_gap', 'vdot_before_break']);
    expect(s.condition.flags[0]!.message).toMatch(/^No training for 20 weeks: the last session was 2026-07-14\. .*detraining/);
    expect(s.condition.flags[1]!.message).toMatch(/^VDOT \d+(\.\d)? rests on a race of 2026-07-05 \(22 weeks ago\), before the break: Daniels paces from it overstate current fitness/);
    // 20 empty weeks are one line; the summary is far smaller than 26 weeks written out.
    expect(s.history.weeks.filter((w) => w.sessions === 0 && !w.inProgress)).toEqual([{ week: '2026-W30…W48', start: '2026-07-20', sessions: 0 }]);
    expect(s.history.weeks.length).toBeLessThanOrEqual(9);
  });

  it('says nothing of a gap of 10 days or less', () => {
    const s = buildAthleteSummary(input({ now: new Date('2026-07-24T10:00:00Z'), workouts: [race, ...spring] }));
    expect(s.condition.flags.filter((f) => ['training_gap', 'returning', 'vdot_before_break'].includes(f.code))).toEqual([]);
  });

  it('notes a return for the first weeks back, then stops', () => {
    const back = [rec('b2', '2026-12-02T07:00:00Z'), rec('b1', '2026-11-25T07:00:00Z')];
    const s = buildAthleteSummary(input({ now: dec, workouts: [...back, race, ...spring] }));
    expect(s.condition.flags.map((f) => f.code)).toEqual(['returning', 'vdot_before_break']);
    expect(s.condition.flags[0]!.message).toMatch(/^Returning after 19 weeks off \(no sessions 2026-07-15 … 2026-11-24\); first session back 2026-11-25, 2 sessions since\./);
    const later = buildAthleteSummary(input({ now: new Date('2027-01-05T10:00:00Z'), workouts: [...['2027-01-04', '2026-12-30', '2026-12-23', '2026-12-16', '2026-12-09'].map((d, i) => rec(`c${i}`, `${d}T07:00:00Z`)), ...back, race, ...spring] }));
    expect(later.condition.flags.map((f) => f.code)).toEqual([]);
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
