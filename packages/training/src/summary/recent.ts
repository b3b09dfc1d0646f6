import { round } from '../units.js';
import type { SummaryWorkout } from './input.js';

export const RECENT_TRAININGS = 30;
/** Reports are cut here in the summary; the full text is on GET /trainings/{id}. */
export const REPORT_CHARS = 280;

/** One line of the recent list: short enough for 30 of them, complete enough to spot a pattern. Nulls are left out. */
export interface RecentTraining {
  id: string;
  date: string;
  workoutType: string;
  sessionType: string;
  activityName?: string;
  distance?: number;
  movingTime?: number;
  pace?: number;
  speed?: number;
  avgHr?: number;
  load?: number;
  intensity?: string;
  work?: string;
  userReport?: string;
  provisional?: true;
}

export const clip = (s: string, n: number) => (s.length <= n ? s : `${s.slice(0, n - 1)}…`);

/** workouts: newest first. */
export function buildRecent(workouts: readonly SummaryWorkout[]): RecentTraining[] {
  return workouts.slice(0, RECENT_TRAININGS).map((w) => {
    const t: RecentTraining = { id: w.id, date: w.day, workoutType: w.workoutType, sessionType: w.sessionType };
    if (w.activityName) t.activityName = w.activityName;
    if (w.distance !== null) t.distance = round(w.distance, 2);
    if (w.movingTime !== null) t.movingTime = w.movingTime;
    if (w.pace !== null) t.pace = w.pace;
    if (w.speed !== null) t.speed = w.speed;
    if (w.avgHr !== null) t.avgHr = w.avgHr;
    if (w.load !== null) t.load = w.load;
    if (w.intensity) t.intensity = w.intensity;
    if (w.intervalSummary?.work) t.work = w.intervalSummary.work;
    if (w.userReport) t.userReport = clip(w.userReport, REPORT_CHARS);
    if (w.provisional) t.provisional = true;
    return t;
  });
}
