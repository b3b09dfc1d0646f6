import type {
  IntervalsActivity,
  IntervalsIntervalsDto,
  IntervalsStream,
  IntervalsWellness,
  WellnessContext,
  WorkoutRecord,
} from '@splits/contracts';
import { intensityLabel } from './intensity.js';
import { intervalSummaryOf, recordIntervals } from './interval-summary.js';
import { splitsFromStreams } from './splits.js';
import { sportMetrics } from './sport-metrics.js';
import { kmh, minPer100m, minPerKm, num, round, sportFamily } from './units.js';

/** The record without its stable id, which the repository assigns (same type as @splits/db's). */
export type WorkoutRecordInput = Omit<WorkoutRecord, 'id'>;

export interface NormalizeInput {
  activity: IntervalsActivity;
  /** `GET /activity/{id}/intervals`; not needed when the activity was fetched with intervals=true. */
  intervals?: IntervalsIntervalsDto | null;
  streams?: IntervalsStream[] | null;
  /** The wellness row of the activity's local date. */
  wellness?: IntervalsWellness | null;
}

const r = (v: unknown, digits = 0): number | null => {
  const n = num(v);
  return n === null ? null : round(n, digits);
};

export const intervalsActivityUrl = (id: string) => `https://intervals.icu/activities/${id}`;

/**
 * Intervals.icu activity (+ intervals, streams, wellness) → the workout record of DESIGN §5.
 * Pure; every value comes from a source field, and a missing field gives null. Runs start as
 * 'Unclassified' (classifySession decides); other sports keep their type as the session type.
 */
export function normalizeActivity(input: NormalizeInput): WorkoutRecordInput {
  const a = input.activity;
  // start_date (UTC) is always present on real activities; the local time read as UTC is only a
  // last resort that keeps localDate right.
  const start = a.start_date ?? (a.start_date_local ? `${a.start_date_local}Z` : null);
  if (!start || Number.isNaN(Date.parse(start))) throw new Error(`activity ${a.id} has no start date`);
  const workoutType = a.type ?? 'Other';
  const family = sportFamily(workoutType);
  const speed = num(a.average_speed) ?? num(a.pace);
  const ctl = num(a.icu_ctl);
  const atl = num(a.icu_atl);
  const intervals = input.intervals?.icu_intervals ?? a.icu_intervals ?? null;

  const pace = family === 'run' ? minPerKm(speed) : family === 'swim' ? minPer100m(speed) : null;
  const speedKmh = family === 'ride' ? kmh(speed) : null;
  const distance = num(a.distance);

  return {
    intervalsActivityId: a.id,
    intervalsUrl: intervalsActivityUrl(a.id),
    date: new Date(start).toISOString(),
    localDate: a.start_date_local ? a.start_date_local.slice(0, 10) : null,
    workoutType,
    sessionType: family === 'run' ? 'Unclassified' : workoutType,
    activityName: a.name ?? null,
    distance: distance === null ? null : round(distance / 1000, 2),
    movingTime: r(a.moving_time),
    pace: pace === null ? null : round(pace, 2),
    speed: speedKmh === null ? null : round(speedKmh, 1),
    avgHr: r(a.average_heartrate),
    maxHr: r(a.max_heartrate),
    load: r(a.icu_training_load),
    fitness: ctl === null ? null : round(ctl, 1),
    fatigue: atl === null ? null : round(atl, 1),
    form: ctl === null || atl === null ? null : round(ctl - atl, 1),
    intensity: intensityLabel(a),
    elevationGain: r(a.total_elevation_gain),
    hrZoneTimes: a.icu_hr_zone_times ? [...a.icu_hr_zone_times] : null,
    splitsKm: family === 'run' ? splitsFromStreams(input.streams) : null,
    intervalSummary: intervalSummaryOf(intervals, family),
    userReport: null,
    vdot: null, // issue 4
    sportMetrics: sportMetrics(a, family),
    wellness: wellnessContext(input.wellness),
    provisional: ctl === null || atl === null || !a.analyzed,
    intervals: recordIntervals(intervals, family),
  };
}

/** The day's context; null when there is no row or the row says nothing. */
export function wellnessContext(w: IntervalsWellness | null | undefined): WellnessContext | null {
  if (!w) return null;
  const sleep = num(w.sleepSecs);
  const ctx: WellnessContext = {
    hrv: r(w.hrv, 1),
    restingHr: r(w.restingHR),
    sleepHours: sleep === null ? null : round(sleep / 3600, 1),
    sleepScore: r(w.sleepScore),
    weight: r(w.weight, 1),
  };
  return Object.values(ctx).some((v) => v !== null) ? ctx : null;
}
