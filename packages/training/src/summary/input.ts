import type { AthleteThresholds, RaceGoal, WorkoutRecord } from '@splits/contracts';
import type { StretchEffort } from '../best-efforts.js';
import type { PaceModel } from '../calibration/calibrate.js';

/** A stored workout as the summary reads it, with its day in the athlete's time zone. */
export type SummaryWorkout = WorkoutRecord & { day: string };

/** A wellness row as Intervals.icu sends it (`data`), keyed by its local date. */
export interface WellnessDayInput {
  date: string;
  data: Record<string, unknown>;
}

export interface PlannedEventInput {
  date: string;
  category: string;
  type: string | null;
  name: string | null;
  description: string | null;
  movingTime: number | null;
  /** metres, as Intervals.icu stores it */
  distance: number | null;
  load: number | null;
}

/** What the athlete wrote; kept verbatim. */
export interface AthleteProfileInput {
  about: string | null;
  goals: RaceGoal[];
  rules: string[];
  strategy: string | null;
  revision: number;
  updatedAt: string;
}

export type { RaceGoal };

export interface SummaryInput {
  now: Date;
  athlete: { id: string; name: string | null; timezone: string };
  profile: AthleteProfileInput | null;
  /** Not deleted; any order. */
  workouts: readonly WorkoutRecord[];
  wellness: readonly WellnessDayInput[];
  /** From at least 14 days back (missed sessions) to 7 days ahead. */
  planned: readonly PlannedEventInput[];
  /** The athlete's run settings (threshold pace, LTHR, max HR) as Intervals.icu holds them; null when none. */
  runSettings?: Pick<AthleteThresholds, 'thresholdPaceMps' | 'lthr' | 'maxHr'> | null;
  /** Intervals.icu's critical-speed models of the last weeks (pace_model), for the calibration. */
  paceModels?: readonly PaceModel[];
  /**
   * Each run's best efforts as measured on its streams or laps (`workoutBestEfforts`), for runs of
   * the last 365 days; a run without an entry adds none. Absent = no best efforts known.
   */
  bestEfforts?: readonly WorkoutBestEffortsInput[];
}

export interface WorkoutBestEffortsInput {
  workoutId: string;
  basis: 'streams' | 'laps' | null;
  efforts: readonly StretchEffort[];
}

export const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
