import type { WorkoutRecord } from '@splits/contracts';
import { round } from './units.js';

export interface RecentTraining {
  id: string;
  date: string;
  workoutType: string;
  sessionType: string;
  activityName: string | null;
  distance: number | null;
  movingTime: number | null;
  pace: number | null;
  speed: number | null;
  avgHr: number | null;
  load: number | null;
  /** The athlete's post-workout report (Telegram or the workout page), or null. */
  userReport: string | null;
}

export interface SportTotals {
  count: number;
  distanceKm: number;
  movingTime: number;
}

export interface WeekSummary extends SportTotals {
  /** Monday of the ISO week, YYYY-MM-DD. */
  weekStart: string;
  load: number;
  bySport: Record<string, SportTotals>;
}

export interface AthleteSummary {
  generatedAt: string;
  recentTrainings: RecentTraining[];
  weeks: WeekSummary[];
}

export const RECENT_TRAININGS = 30;
export const SUMMARY_WEEKS = 26;
const DAY_MS = 86_400_000;

/** Monday (YYYY-MM-DD) of the ISO week that holds the given YYYY-MM-DD date. */
export function isoWeekStart(date: string): string {
  const d = new Date(`${date.slice(0, 10)}T00:00:00Z`);
  const back = (d.getUTCDay() + 6) % 7; // Monday → 0 … Sunday → 6
  return new Date(d.getTime() - back * DAY_MS).toISOString().slice(0, 10);
}

/**
 * The compact history an assistant reads first: the last 30 workouts and 26 ISO weeks of totals
 * (newest first, empty weeks included so gaps are visible). Weeks go by the athlete's local date.
 */
export function buildAthleteSummary(records: readonly WorkoutRecord[], now: Date): AthleteSummary {
  const newestFirst = [...records].sort((a, b) => (a.date < b.date ? 1 : a.date > b.date ? -1 : 0));
  const recentTrainings = newestFirst.slice(0, RECENT_TRAININGS).map((r) => ({
    id: r.id,
    date: r.date,
    workoutType: r.workoutType,
    sessionType: r.sessionType,
    activityName: r.activityName,
    distance: r.distance,
    movingTime: r.movingTime,
    pace: r.pace,
    speed: r.speed,
    avgHr: r.avgHr,
    load: r.load,
    userReport: r.userReport ?? null,
  }));

  const current = new Date(`${isoWeekStart(now.toISOString())}T00:00:00Z`).getTime();
  const weeks: WeekSummary[] = [];
  const byStart = new Map<string, WeekSummary>();
  for (let w = 0; w < SUMMARY_WEEKS; w++) {
    const weekStart = new Date(current - w * 7 * DAY_MS).toISOString().slice(0, 10);
    const week: WeekSummary = { weekStart, count: 0, distanceKm: 0, movingTime: 0, load: 0, bySport: {} };
    weeks.push(week);
    byStart.set(weekStart, week);
  }
  for (const r of records) {
    const week = byStart.get(isoWeekStart(r.localDate ?? r.date));
    if (!week) continue;
    const sport = (week.bySport[r.workoutType] ??= { count: 0, distanceKm: 0, movingTime: 0 });
    for (const t of [week, sport]) {
      t.count += 1;
      t.distanceKm += r.distance ?? 0;
      t.movingTime += r.movingTime ?? 0;
    }
    week.load += r.load ?? 0;
  }
  for (const w of weeks) {
    w.distanceKm = round(w.distanceKm, 2);
    w.load = round(w.load);
    for (const s of Object.values(w.bySport)) s.distanceKm = round(s.distanceKm, 2);
  }
  return { generatedAt: now.toISOString(), recentTrainings, weeks };
}
