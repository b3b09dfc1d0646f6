import { round } from '../units.js';
import type { SummaryWorkout } from './input.js';
import { SportTotalsAcc, type Totals, type TotalsBySport } from './totals.js';
import { addDays, daysBetween, isoWeekLabel, isoWeekStart, monthOf, monthsBack, quarterOf, quartersBack } from './time.js';

export const SUMMARY_WEEKS = 26;
export const SUMMARY_MONTHS = 12;
export const SUMMARY_QUARTERS = 8;
export const KEY_SESSIONS = 10;
const GAP_DAYS = 7;

const KEY_RUN_TYPES = new Set(['Long', 'Threshold', 'Interval', 'Repetition', 'Race']);

/** A session that carries a training block: quality runs, long runs, races, and other hard efforts. */
export function isKeySession(w: Pick<SummaryWorkout, 'sessionType' | 'intensity'>): boolean {
  return KEY_RUN_TYPES.has(w.sessionType) || w.intensity === 'hard' || w.intensity === 'very hard';
}

/**
 * Totals as the summary writes them: sessions always; distance (km), movingTime (s) and load only
 * when non-zero and known; per sport only when there was any.
 */
export interface CompactTotals {
  sessions: number;
  distance?: number;
  movingTime?: number;
  load?: number;
}
export interface CompactTotalsBySport extends CompactTotals {
  bySport?: Record<string, CompactTotals>;
}

export interface WeekSummary extends CompactTotalsBySport {
  /** ISO week, e.g. 2026-W16; a run of empty weeks is one entry, e.g. 2026-W30…W49 (sessions 0). */
  week: string;
  /** Monday (of the first week of a run of empty weeks) */
  start: string;
  /** Only on the current week: it is not over yet. */
  inProgress?: true;
  /** "04-14 Run Threshold 12.4 km"; absent when none. */
  keySessions?: string[];
}
export type MonthSummary = { month: string } & CompactTotalsBySport;
export type QuarterSummary = { quarter: string } & CompactTotalsBySport;

function compactTotals(t: Totals): CompactTotals {
  const out: CompactTotals = { sessions: t.sessions };
  if (t.distance) out.distance = t.distance;
  if (t.movingTime) out.movingTime = t.movingTime;
  if (t.load) out.load = t.load;
  return out;
}
export function compact(t: TotalsBySport): CompactTotalsBySport {
  const out: CompactTotalsBySport = compactTotals(t);
  const sports = Object.entries(t.bySport);
  if (sports.length) out.bySport = Object.fromEntries(sports.map(([k, v]) => [k, compactTotals(v)]));
  return out;
}

/** "2026-W30…W49" within a year, "2025-W50…2026-W03" across one. */
const weekRange = (first: string, last: string) => (first === last ? first : first.slice(0, 4) === last.slice(0, 4) ? `${first}…${last.slice(5)}` : `${first}…${last}`);

/** Newest first in, newest first out: each run of finished empty weeks becomes one entry. */
function collapseEmptyWeeks(weeks: { week: string; start: string; inProgress: boolean; totals: TotalsBySport; key: string[] }[]): WeekSummary[] {
  const out: WeekSummary[] = [];
  let run: { newest: string; oldest: string; start: string } | null = null;
  const flush = () => {
    if (run) out.push({ week: weekRange(run.oldest, run.newest), start: run.start, sessions: 0 });
    run = null;
  };
  for (const w of weeks) {
    if (w.totals.sessions === 0 && !w.inProgress) {
      if (run) {
        run.oldest = w.week;
        run.start = w.start;
      } else run = { newest: w.week, oldest: w.week, start: w.start };
      continue;
    }
    flush();
    out.push({ week: w.week, start: w.start, ...(w.inProgress ? { inProgress: true as const } : {}), ...compact(w.totals), ...(w.key.length ? { keySessions: w.key } : {}) });
  }
  flush();
  return out;
}
export interface KeySession {
  id: string;
  date: string;
  workoutType: string;
  sessionType: string;
  activityName: string | null;
  distance: number | null;
  movingTime: number | null;
  pace: number | null;
  avgHr: number | null;
  load: number | null;
  work: string | null;
}

export interface HistorySection {
  /** 26 ISO weeks, newest first; a run of empty weeks is one entry (sessions 0), so gaps show. */
  weeks: WeekSummary[];
  /** Sums of the last 4 and 12 ISO weeks (the current one included). */
  last4Weeks: CompactTotalsBySport & { from: string; to: string };
  last12Weeks: CompactTotalsBySport & { from: string; to: string };
  months: MonthSummary[];
  quarters: QuarterSummary[];
  /** Share of moving time per sport over the last 12 weeks, %. */
  sportMix: { sport: string; sessions: number; movingTime: number | null; sharePct: number | null }[];
  load: { last7Days: number | null; weeklyAvg4w: number | null; weeklyAvg12w: number | null; acuteChronicRatio: number | null };
  consistency: {
    weeksTrained: number;
    weeks: number;
    currentStreakWeeks: number;
    longestStreakWeeks: number;
    daysSinceLastSession: number | null;
    /** Stretches of ≥ 7 days without any session in the 26 weeks. */
    gaps: { from: string; to: string; days: number }[];
  };
  /** The last 10 key sessions, newest first. */
  keySessions: KeySession[];
}

const fmtKm = (km: number | null) => (km === null ? '' : ` ${round(km, 1)} km`);

/** workouts: newest first, each with its local day. */
export function buildHistory(workouts: readonly SummaryWorkout[], today: string): HistorySection {
  const currentWeek = isoWeekStart(today);
  const firstWeek = addDays(currentWeek, -7 * (SUMMARY_WEEKS - 1));
  const weekAcc = new Map<string, { acc: SportTotalsAcc; key: string[] }>();
  const weekStarts: string[] = [];
  for (let i = 0; i < SUMMARY_WEEKS; i++) {
    const start = addDays(currentWeek, -7 * i);
    weekStarts.push(start);
    weekAcc.set(start, { acc: new SportTotalsAcc(), key: [] });
  }
  const months = new Map<string, SportTotalsAcc>();
  for (let i = 0; i < SUMMARY_MONTHS; i++) months.set(monthsBack(today, i), new SportTotalsAcc());
  const quarters = new Map<string, SportTotalsAcc>();
  for (let i = 0; i < SUMMARY_QUARTERS; i++) quarters.set(quartersBack(today, i), new SportTotalsAcc());
  const last7 = new SportTotalsAcc();
  const keySessions: KeySession[] = [];
  const trainedDays = new Set<string>();
  let lastDay: string | null = null;
  let hasOlder = false;

  for (const w of workouts) {
    if (w.day > today) continue; // clock skew: a workout "tomorrow" belongs to no past period yet
    lastDay ??= w.day;
    const key = isKeySession(w);
    if (w.day < firstWeek) hasOlder = true;
    else {
      const week = weekAcc.get(isoWeekStart(w.day))!;
      week.acc.add(w);
      if (key) week.key.push(`${w.day.slice(5)} ${w.sessionType === w.workoutType ? w.workoutType : `${w.workoutType} ${w.sessionType}`}${fmtKm(w.distance)}`);
      trainedDays.add(w.day);
    }
    if (daysBetween(w.day, today) < 7) last7.add(w);
    months.get(monthOf(w.day))?.add(w);
    quarters.get(quarterOf(w.day))?.add(w);
    if (key && keySessions.length < KEY_SESSIONS) {
      keySessions.push({
        id: w.id,
        date: w.day,
        workoutType: w.workoutType,
        sessionType: w.sessionType,
        activityName: w.activityName,
        distance: w.distance === null ? null : round(w.distance, 2),
        movingTime: w.movingTime,
        pace: w.pace,
        avgHr: w.avgHr,
        load: w.load,
        work: w.intervalSummary?.work ?? null,
      });
    }
  }

  const fullWeeks = weekStarts.map((start, i) => {
    const { acc, key } = weekAcc.get(start)!;
    return { week: isoWeekLabel(start), start, inProgress: i === 0, totals: acc.toSportTotals(), key: key.reverse() };
  });
  const span = (n: number) => {
    const acc = new SportTotalsAcc();
    for (const s of weekStarts.slice(0, n)) acc.merge(weekAcc.get(s)!.acc);
    return { acc, from: weekStarts[n - 1]!, to: addDays(currentWeek, 6) };
  };
  const w4 = span(4);
  const w12 = span(12);
  const t4 = w4.acc.toSportTotals();
  const t12 = w12.acc.toSportTotals();

  const sportMix = Object.entries(t12.bySport).map(([sport, t]) => ({
    sport,
    sessions: t.sessions,
    movingTime: t.movingTime,
    sharePct: t.movingTime !== null && t12.movingTime ? round((100 * t.movingTime) / t12.movingTime, 1) : null,
  }));

  const avg4 = t4.load === null ? null : t4.load / 4;
  const avg12 = t12.load === null ? null : t12.load / 12;
  const load = {
    last7Days: last7.toTotals().load,
    weeklyAvg4w: avg4 === null ? null : round(avg4, 1),
    weeklyAvg12w: avg12 === null ? null : round(avg12, 1),
    acuteChronicRatio: avg4 !== null && avg12 ? round(avg4 / avg12, 2) : null,
  };

  return {
    weeks: collapseEmptyWeeks(fullWeeks),
    last4Weeks: { from: w4.from, to: w4.to, ...compact(t4) },
    last12Weeks: { from: w12.from, to: w12.to, ...compact(t12) },
    months: [...months].map(([month, acc]) => ({ month, ...compact(acc.toSportTotals()) })),
    quarters: [...quarters].map(([quarter, acc]) => ({ quarter, ...compact(acc.toSportTotals()) })),
    sportMix,
    load,
    consistency: consistency(fullWeeks.map((w) => w.totals.sessions > 0), trainedDays, hasOlder ? firstWeek : [...trainedDays].sort()[0] ?? today, today, lastDay),
    keySessions,
  };
}

/** `from`: where gaps can start (the window, or the athlete's first session if history is shorter). */
function consistency(trained: boolean[], trainedDays: Set<string>, from: string, today: string, lastDay: string | null) {
  // The current week may just have begun: a streak still counts if last week was trained.
  let current = 0;
  for (let i = trained[0] ? 0 : 1; i < trained.length && trained[i]; i++) current++;
  let longest = 0;
  let run = 0;
  for (const t of [...trained].reverse()) {
    run = t ? run + 1 : 0;
    longest = Math.max(longest, run);
  }
  const gaps: { from: string; to: string; days: number }[] = [];
  let emptyFrom: string | null = null;
  for (let d = from; d <= today; d = addDays(d, 1)) {
    if (!trainedDays.has(d)) {
      emptyFrom ??= d;
      continue;
    }
    if (emptyFrom) {
      const days = daysBetween(emptyFrom, d);
      if (days >= GAP_DAYS) gaps.push({ from: emptyFrom, to: addDays(d, -1), days });
      emptyFrom = null;
    }
  }
  if (emptyFrom) {
    const days = daysBetween(emptyFrom, today) + 1;
    if (days >= GAP_DAYS) gaps.push({ from: emptyFrom, to: today, days });
  }
  return {
    weeksTrained: trained.filter(Boolean).length,
    weeks: trained.length,
    currentStreakWeeks: current,
    longestStreakWeeks: longest,
    daysSinceLastSession: lastDay === null ? null : daysBetween(lastDay, today),
    gaps: gaps.reverse(),
  };
}
