import type { WorkoutRecord } from '@splits/contracts';
import { breakFlags } from './breaks.js';
import { buildCondition, type ConditionSection } from './condition.js';
import { buildHistory, type HistorySection } from './history.js';
import type { AthleteProfileInput, SummaryInput, SummaryWorkout } from './input.js';
import { buildPlan, type PlannedDay } from './plan.js';
import { buildRecent, type RecentTraining } from './recent.js';
import { buildRunning, thresholdFlag, type PaceJournalLine, type RunningSection } from './running.js';
import { localDateIn } from './time.js';
import { buildWellness, type WellnessSection } from './wellness.js';

/** Bumped when the document's shape changes, so readers can tell layouts apart. */
export const SUMMARY_SCHEMA = 2;

/**
 * The athlete summary: everything an assistant reads first. Plain data, no I/O; the same input
 * always gives the same document. Version and builtAt live beside it in storage.
 */
export interface AthleteSummaryDocument {
  schema: number;
  /** The athlete's local date the summary was built for. */
  today: string;
  athlete: { name: string | null; timezone: string };
  profile: AthleteProfileInput | null;
  condition: ConditionSection;
  recentTrainings: RecentTraining[];
  history: HistorySection;
  running: RunningSection;
  paceJournal: PaceJournalLine[];
  wellness: WellnessSection;
  /** Planned workouts, today and the next 6 days. */
  next7Days: PlannedDay[];
}

const newestFirst = (a: SummaryWorkout, b: SummaryWorkout) => (a.date < b.date ? 1 : a.date > b.date ? -1 : a.id < b.id ? -1 : 1);

/** Each workout's day in the athlete's time zone: weeks, months and streaks are the athlete's, not UTC's. */
export function withLocalDays(records: readonly WorkoutRecord[], timeZone: string): SummaryWorkout[] {
  return records
    .map((r) => {
      const t = Date.parse(r.date);
      return { ...r, day: Number.isFinite(t) ? localDateIn(t, timeZone) : (r.localDate ?? r.date.slice(0, 10)) };
    })
    .sort(newestFirst);
}

export function buildAthleteSummary(input: SummaryInput): AthleteSummaryDocument {
  const tz = input.athlete.timezone;
  const today = localDateIn(input.now, tz);
  const workouts = withLocalDays(input.workouts, tz).filter((w) => w.day <= today);
  const wellness = buildWellness(input.wellness, today);
  const running = buildRunning(workouts, input.now, today, input.bestEfforts, input.runSettings ?? null, input.paceModels ?? []);
  const condition = buildCondition(input.wellness, workouts, input.planned, wellness, today);
  const basis = running.section.evidence[0];
  condition.flags.push(...breakFlags(workouts, today, running.section.vdot !== null && basis ? { vdot: running.section.vdot, date: basis.date, kind: basis.kind } : null));
  const stale = thresholdFlag(running.section.threshold);
  if (stale) condition.flags.push(stale);
  return {
    schema: SUMMARY_SCHEMA,
    today,
    athlete: { name: input.athlete.name, timezone: tz },
    profile: input.profile,
    condition,
    recentTrainings: buildRecent(workouts),
    history: buildHistory(workouts, today),
    running: running.section,
    paceJournal: running.paceJournal,
    wellness,
    next7Days: buildPlan(input.planned, today),
  };
}
