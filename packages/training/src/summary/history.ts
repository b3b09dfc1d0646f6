import { round } from '../units.js';
import type { SummaryWorkout } from './input.js';
import { SportTotalsAcc, type TotalsBySport } from './totals.js';
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

export interface WeekSummary extends TotalsBySport {
  /** ISO week, e.g. 2026-W16 */
  week: string;
  /** Monday */
  start: string;
  /** Only on the current week: it is not over yet. */
  inProgress?: true;
  /** "Tue Threshold 12.4 km" */
  keySessions: string[];
}
export type MonthSummary = { month: string } & TotalsBySport;
export type QuarterSummary = { quarter: string } & TotalsBySport;
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
  /** 26 ISO weeks, newest first; empty weeks included so gaps show. */
  weeks: WeekSummary[];
  /** Sums of weeks[0..3] and weeks[0..11]. */
  last4Weeks: TotalsBySport & { from: string; to: string };
  last12Weeks: TotalsBySport & { from: string; to: string };
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

  const weeks: WeekSummary[] = weekStarts.map((start, i) => {
    const { acc, key } = weekAcc.get(start)!;
    return { week: isoWeekLabel(start), start, ...(i === 0 ? { inProgress: true as const } : {}), ...acc.toSportTotals(), keySessions: key.reverse() };
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
    weeks,
    last4Weeks: { from: w4.from, to: w4.to, ...t4 },
    last12Weeks: { from: w12.from, to: w12.to, ...t12 },
    months: [...months].map(([month, acc]) => ({ month, ...acc.toSportTotals() })),
    quarters: [...quarters].map(([quarter, acc]) => ({ quarter, ...acc.toSportTotals() })),
    sportMix,
    load,
    consistency: consistency(weeks, trainedDays, hasOlder ? firstWeek : [...trainedDays].sort()[0] ?? today, today, lastDay),
    keySessions,
  };
}

/** `from`: where gaps can start (the window, or the athlete's first session if history is shorter). */
function consistency(weeks: WeekSummary[], trainedDays: Set<string>, from: string, today: string, lastDay: string | null) {
  const trained = weeks.map((w) => w.sessions > 0);
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
    weeks: weeks.length,
    currentStreakWeeks: current,
    longestStreakWeeks: longest,
    daysSinceLastSession: lastDay === null ? null : daysBetween(lastDay, today),
    gaps: gaps.reverse(),
  };
}
