import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import type { WorkoutRecord } from '@splits/contracts';
import { buildAthleteSummary } from './build.js';
import { SUMMARY_WEEKS, type WeekSummary } from './history.js';
import { rec } from './test-records.js';
import { addDays, isoWeekday, isoWeekLabel as isoWeekLabelOf, isoWeekStart, localDateIn, monthOf } from './time.js';

const ZONES = ['Europe/Berlin', 'America/New_York', 'Australia/Sydney', 'Pacific/Kiritimati', 'Pacific/Pago_Pago', 'UTC'];
const SPORTS = ['Run', 'Ride', 'Swim', 'WeightTraining'];
const NOW_MS = Date.parse('2026-04-16T12:00:00Z');
const SPAN_MS = 800 * 86_400_000;

const maybe = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: null, freq: 4 });
const recordArb = fc
  .record({
    offset: fc.integer({ min: 0, max: SPAN_MS }),
    workoutType: fc.constantFrom(...SPORTS),
    distance: maybe(fc.double({ min: 0, max: 200, noNaN: true })),
    movingTime: maybe(fc.integer({ min: 0, max: 20_000 })),
    load: maybe(fc.integer({ min: 0, max: 400 })),
  })
  .map((r) => ({ ...r, date: new Date(NOW_MS - r.offset).toISOString() }));
const historyArb = fc.array(recordArb, { maxLength: 120 }).map((list) =>
  list.map((r, i) => rec(`w${i}`, r.date, { workoutType: r.workoutType, distance: r.distance, movingTime: r.movingTime, load: r.load })),
);

/** The reference: sums computed the obvious way, record by record. */
function sums(records: WorkoutRecord[]) {
  const known = (k: 'distance' | 'movingTime' | 'load') => records.filter((r) => r[k] !== null);
  const total = (k: 'distance' | 'movingTime' | 'load') =>
    records.length === 0 ? 0 : known(k).length === 0 ? null : known(k).reduce((a, r) => a + (r[k] as number), 0);
  return { sessions: records.length, distance: total('distance'), movingTime: total('movingTime'), load: total('load') };
}

/** The summary leaves out a zero or unknown figure: absent means the sum is 0 or nothing gave it. */
function expectTotals(actual: { sessions: number; distance?: number; movingTime?: number; load?: number }, records: WorkoutRecord[]) {
  const want = sums(records);
  expect(actual.sessions).toBe(want.sessions);
  for (const k of ['distance', 'movingTime', 'load'] as const) {
    if (want[k] === null || Math.abs(want[k] as number) < 0.005) expect(actual[k]).toBeUndefined();
    else expect(Math.abs((actual[k] as number) - (want[k] as number))).toBeLessThanOrEqual(0.051);
  }
}

/** The 26 ISO weeks back from the current one, each with the entry that covers it (a run of empty weeks covers several). */
function expandWeeks(weeks: WeekSummary[], today: string) {
  const out: { start: string; entry: WeekSummary }[] = [];
  for (let i = 0; i < SUMMARY_WEEKS; i++) {
    const start = addDays(isoWeekStart(today), -7 * i);
    const entry = weeks.find((w) => w.start <= start && start <= addDays(w.start, 7 * (weekCount(w) - 1)));
    out.push({ start, entry: entry! });
  }
  return out;
}
const weekCount = (w: WeekSummary) => {
  const last = w.week.split('…')[1];
  if (!last) return 1;
  const newest = last.includes('-') ? last : `${w.week.slice(0, 4)}-${last}`;
  let n = 1;
  for (let d = w.start; isoWeekLabelOf(d) !== newest && n < 60; d = addDays(d, 7)) n++;
  return n;
};

const build = (records: WorkoutRecord[], timezone: string) =>
  buildAthleteSummary({ now: new Date(NOW_MS), athlete: { id: 'a', name: null, timezone }, profile: null, workouts: records, wellness: [], planned: [] });

describe('summary totals (property-based over generated histories)', () => {
  it('each ISO week in the athlete time zone holds exactly its records, and its totals are their sums', () => {
    fc.assert(
      fc.property(historyArb, fc.constantFrom(...ZONES), (records, tz) => {
        const s = build(records, tz);
        const today = localDateIn(NOW_MS, tz);
        expect(s.history.weeks[0]!.start).toBe(isoWeekStart(today));
        let previous: WeekSummary | null = null;
        for (const { start, entry } of expandWeeks(s.history.weeks, today)) {
          expect(entry).toBeDefined();
          expect(isoWeekday(entry.start)).toBe(1);
          const w = { ...entry, start };
          // Only finished empty weeks merge; never two runs of them side by side.
          if (entry.week.includes('…')) expect(entry).toEqual({ week: entry.week, start: entry.start, sessions: 0 });
          else if (previous && previous !== entry) expect(previous.sessions === 0 && !previous.inProgress && entry.sessions === 0 && !entry.inProgress).toBe(false);
          previous = entry;
          const inWeek = records.filter((r) => {
            const day = localDateIn(r.date, tz);
            return day >= w.start && day <= addDays(w.start, 6) && day <= today;
          });
          expectTotals(w, inWeek);
          for (const sport of SPORTS) {
            const mine = inWeek.filter((r) => r.workoutType === sport);
            if (mine.length === 0) expect(w.bySport?.[sport]).toBeUndefined();
            else expectTotals(w.bySport![sport]!, mine);
          }
        }
      }),
      { numRuns: 60, ...(process.env.FC_RANDOM ? {} : { seed: 20261206 }) },
    );
  });

  it('4- and 12-week summaries, months and quarters are the sums of what they cover', () => {
    fc.assert(
      fc.property(historyArb, fc.constantFrom(...ZONES), (records, tz) => {
        const s = build(records, tz);
        const today = localDateIn(NOW_MS, tz);
        const days = records.map((r) => ({ r, day: localDateIn(r.date, tz) })).filter((x) => x.day <= today);
        const between = (from: string, to: string) => days.filter((x) => x.day >= from && x.day <= to).map((x) => x.r);
        expectTotals(s.history.last4Weeks, between(s.history.last4Weeks.from, s.history.last4Weeks.to));
        expectTotals(s.history.last12Weeks, between(s.history.last12Weeks.from, s.history.last12Weeks.to));
        expect(s.history.last4Weeks.sessions).toBe(expandWeeks(s.history.weeks, today).slice(0, 4).reduce((a, w) => a + w.entry.sessions, 0));
        for (const m of s.history.months) expectTotals(m, days.filter((x) => monthOf(x.day) === m.month).map((x) => x.r));
        for (const q of s.history.quarters) {
          const [y, n] = [q.quarter.slice(0, 4), Number(q.quarter.slice(6))];
          expectTotals(q, days.filter((x) => x.day.slice(0, 4) === y && Math.floor((Number(x.day.slice(5, 7)) - 1) / 3) + 1 === n).map((x) => x.r));
        }
        const mixShare = s.history.sportMix.reduce((a, m) => a + (m.sharePct ?? 0), 0);
        if (s.history.last12Weeks.movingTime) expect(Math.abs(mixShare - 100)).toBeLessThan(0.5);
      }),
      { numRuns: 60, ...(process.env.FC_RANDOM ? {} : { seed: 20261206 }) },
    );
  });

  it('leaves out what is zero or unknown, and writes a run of empty weeks as one line', () => {
    const tz = 'Europe/Berlin';
    const s = build([rec('a', '2026-04-14T07:00:00Z', { workoutType: 'WeightTraining', distance: null, load: null })], tz);
    expect(s.history.weeks[0]).toEqual({ week: '2026-W16', start: '2026-04-13', inProgress: true, sessions: 1, movingTime: 3000, bySport: { WeightTraining: { sessions: 1, movingTime: 3000 } } });
    expect(s.history.weeks.slice(1)).toEqual([{ week: '2025-W43…2026-W15', start: '2025-10-20', sessions: 0 }]);
  });

  it('puts a Sunday-night run in the athlete zone’s week, not UTC’s', () => {
    // 2026-04-12T23:30Z is Sunday in UTC but Monday 01:30 in Berlin (week 16), Sunday 19:30 in New York (week 15).
    const r = [rec('x', '2026-04-12T23:30:00Z')];
    expect(build(r, 'Europe/Berlin').history.weeks[0]).toMatchObject({ week: '2026-W16', sessions: 1 });
    expect(build(r, 'America/New_York').history.weeks[1]).toMatchObject({ week: '2026-W15', sessions: 1 });
    expect(build(r, 'America/New_York').history.weeks[0]).toEqual({ week: '2026-W16', start: '2026-04-13', inProgress: true, sessions: 0 });
  });
});
