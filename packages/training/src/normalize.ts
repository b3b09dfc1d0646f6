import type {
  AthleteThresholds,
  IntervalsActivity,
  IntervalsEvent,
  IntervalsGroup,
  IntervalsInterval,
  IntervalsIntervalsDto,
  IntervalsStream,
  IntervalsWellness,
  PlannedComparison,
  RecordInterval,
  WellnessContext,
  WorkoutRecord,
} from '@splits/contracts';
import { isUnavailableActivity } from './activity-source.js';
import { intensityLabel } from './intensity.js';
import { intervalSummaryOf, recordIntervals } from './interval-summary.js';
import { splitsFromStreams } from './splits.js';
import { movingSpeed, sportMetrics, zoneTimes } from './sport-metrics.js';
import { formatPace, kmh, minPer100m, minPerKm, num, positive, round, rounded, speedUnit, sportFamily } from './units.js';

/** The record without its stable id, which the repository assigns (same type as @splits/db's). */
export type WorkoutRecordInput = Omit<WorkoutRecord, 'id'>;

export interface NormalizeInput {
  activity: IntervalsActivity;
  /** `GET /activity/{id}/intervals`; not needed when the activity was fetched with intervals=true. */
  intervals?: IntervalsIntervalsDto | null;
  streams?: IntervalsStream[] | null;
  /** The wellness row of the activity's local date (a row of another date is ignored). */
  wellness?: IntervalsWellness | null;
  /** The planned event the activity is paired with (used only when its id is activity.paired_event_id). */
  plannedEvent?: IntervalsEvent | null;
  /** The athlete's sport settings: fill a threshold (FTP, threshold pace) the activity lacks. */
  thresholds?: AthleteThresholds | null;
}

export const intervalsActivityUrl = (id: string) => `https://intervals.icu/activities/${id}`;

/**
 * Intervals.icu activity (+ intervals, streams, wellness, planned event) → the workout record of
 * DESIGN §5. Pure; every value comes from a source field, and a missing field gives null (a zero HR,
 * cadence, power or distance is a missing sensor, not a measurement). Runs start as 'Unclassified'
 * (classifySession decides); other sports keep their type as the session type.
 *
 * Units: distance km; movingTime/elapsedTime s; pace min/km as a decimal for runs, walks and hikes
 * (4.92 = 4:55/km) and min/100 m for swims, both from distance over moving time (Intervals.icu's
 * `pace`); speed km/h for rides and other sports that move; elevation m; HR bpm.
 */
export function normalizeActivity(input: NormalizeInput): WorkoutRecordInput {
  const a = input.activity;
  // A Strava stub has no data: a record from it would be all nulls. Callers check
  // isUnavailableActivity first; a deleted stub fails below for want of a start date.
  if (isUnavailableActivity(a) === 'strava') throw new Error(`activity ${a.id} is not available (strava stub)`);
  // start_date (UTC) is always present on real activities; the local time read as UTC is only a
  // last resort that keeps localDate right.
  const start = a.start_date ?? (a.start_date_local ? `${a.start_date_local}Z` : null);
  if (!start || Number.isNaN(Date.parse(start))) throw new Error(`activity ${a.id} has no start date`);
  const workoutType = a.type ?? 'Other';
  const family = sportFamily(workoutType);
  const localDate = a.start_date_local ? a.start_date_local.slice(0, 10) : null;
  const ctl = num(a.icu_ctl);
  const atl = num(a.icu_atl);
  // DESIGN §5: fitness/fatigue/form are null while provisional (no analysis or no CTL/ATL yet).
  const provisional = ctl === null || atl === null || !a.analyzed;
  const intervals = input.intervals?.icu_intervals ?? a.icu_intervals ?? null;
  const groups = input.intervals?.icu_groups ?? a.icu_groups ?? null;

  const speed = movingSpeed(a);
  const unit = speedUnit(workoutType);
  const pace = unit === 'min/km' ? minPerKm(speed) : unit === 'min/100m' ? minPer100m(speed) : null;
  const speedKmh = unit === 'km/h' ? kmh(speed) : null;
  const distance = positive(a.distance);
  // has_heartrate:false with zeros in the HR fields means no strap: nothing to report.
  const hasHr = a.has_heartrate !== false;
  const hrZoneTimes = hasHr ? zoneTimes(a.icu_hr_zone_times) : null;

  return {
    intervalsActivityId: a.id,
    intervalsUrl: intervalsActivityUrl(a.id),
    date: new Date(start).toISOString(),
    localDate,
    workoutType,
    sessionType: family === 'run' ? 'Unclassified' : workoutType,
    activityName: a.name ?? null,
    distance: distance === null ? null : round(distance / 1000, 2),
    movingTime: rounded(a.moving_time),
    elapsedTime: rounded(positive(a.elapsed_time)),
    pace: pace === null ? null : round(pace, 2),
    speed: speedKmh === null ? null : round(speedKmh, 1),
    avgHr: hasHr ? rounded(positive(a.average_heartrate)) : null,
    maxHr: hasHr ? rounded(positive(a.max_heartrate)) : null,
    load: rounded(a.icu_training_load),
    fitness: provisional || ctl === null ? null : round(ctl, 1),
    fatigue: provisional || atl === null ? null : round(atl, 1),
    form: provisional || ctl === null || atl === null ? null : round(ctl - atl, 1),
    intensity: intensityLabel(a),
    elevationGain: rounded(a.total_elevation_gain),
    hrZoneTimes,
    hrZones: hrZoneTimes && a.icu_hr_zones?.length ? a.icu_hr_zones.map((b) => Math.round(b)) : null,
    splitsKm: family === 'run' ? splitsFromStreams(input.streams) : null,
    intervalSummary: intervalSummaryOf(intervals, family),
    userReport: null,
    vdot: null, // issue 4
    sportMetrics: sportMetrics(a, workoutType, input.thresholds ?? null),
    wellness: localDate && input.wellness && input.wellness.id !== localDate ? null : wellnessContext(input.wellness),
    rpe: rounded(positive(a.icu_rpe)),
    feel: rounded(positive(a.feel)),
    calories: rounded(positive(a.calories)),
    indoor: typeof a.trainer === 'boolean' ? a.trainer : null,
    race: a.race === true || a.sub_type === 'RACE' ? true : typeof a.race === 'boolean' ? false : null,
    planned: plannedComparison(a, input.plannedEvent ?? null),
    provisional,
    intervals: intervalDetails(recordIntervals(intervals, family), intervals, groups, workoutType),
  };
}

/**
 * Planned vs actual. Intervals.icu sends `compliance: 0` on every activity without a plan, so a
 * compliance counts only with a paired_event_id (or when it is above 0: list rows can lack the id).
 */
export function plannedComparison(a: IntervalsActivity, event: IntervalsEvent | null): PlannedComparison | null {
  const eventId = positive(a.paired_event_id);
  const compliance = num(a.compliance);
  if (eventId === null && !(compliance !== null && compliance > 0)) return null;
  const ev = event && eventId !== null && event.id === eventId ? event : null;
  const plannedKm = positive(ev?.distance);
  return {
    eventId,
    compliance: compliance === null ? null : Math.round(compliance),
    name: ev?.name ?? null,
    movingTime: rounded(positive(ev?.moving_time)),
    distance: plannedKm === null ? null : round(plannedKm / 1000, 2),
    load: rounded(ev?.icu_training_load),
  };
}

/**
 * Adds to the interval list (built by interval-summary's recordIntervals, one entry per source
 * interval in start order) what it leaves out: intensity, normalized power, the position in an
 * icu_groups repeat group, and the pace of swims and walks. Keys without a value stay absent.
 */
function intervalDetails(
  list: RecordInterval[],
  intervals: readonly IntervalsInterval[] | null,
  groups: readonly IntervalsGroup[] | null,
  workoutType: string,
): RecordInterval[] {
  if (!intervals || list.length !== intervals.length) return list;
  const sorted = [...intervals].sort((x, y) => (x.start_index ?? x.start_time ?? 0) - (y.start_index ?? y.start_time ?? 0));
  const groupCount = new Map((groups ?? []).map((g) => [g.id, positive(g.count)]));
  const members = new Map<string, number>();
  for (const i of sorted) if (i.group_id) members.set(i.group_id, (members.get(i.group_id) ?? 0) + 1);
  const seen = new Map<string, number>();
  const unit = speedUnit(workoutType);

  return list.map((entry, k) => {
    const i = sorted[k] as IntervalsInterval;
    const out: RecordInterval = { ...entry };
    const intensity = rounded(positive(i.intensity));
    if (intensity !== null) out.intensity = intensity;
    const np = rounded(positive(i.weighted_average_watts));
    if (np !== null) out.np = np;
    if (i.group_id) {
      const rep = (seen.get(i.group_id) ?? 0) + 1;
      seen.set(i.group_id, rep);
      const reps = groupCount.get(i.group_id) ?? members.get(i.group_id) ?? 1;
      if (reps > 1) {
        out.rep = rep;
        out.reps = reps;
      }
    }
    if (out.pace === null && unit !== 'km/h') {
      const moving = positive(i.moving_time);
      const dist = positive(i.distance);
      const v = positive(i.average_speed) ?? (dist !== null && moving !== null ? dist / moving : null);
      const p = unit === 'min/km' ? minPerKm(v) : minPer100m(v);
      if (p !== null) out.pace = `${formatPace(p)}/${unit === 'min/km' ? 'km' : '100m'}`;
    }
    return out;
  });
}

/** The day's context; null when there is no row or the row says nothing. */
export function wellnessContext(w: IntervalsWellness | null | undefined): WellnessContext | null {
  if (!w) return null;
  const sleep = positive(w.sleepSecs);
  const ctx: WellnessContext = {
    hrv: rounded(positive(w.hrv), 1),
    restingHr: rounded(positive(w.restingHR)),
    sleepHours: sleep === null ? null : round(sleep / 3600, 1),
    sleepScore: rounded(w.sleepScore),
    weight: rounded(positive(w.weight), 1),
  };
  const extra: [keyof WellnessContext, number | null][] = [
    ['sleepQuality', rounded(positive(w.sleepQuality))],
    ['avgSleepingHr', rounded(positive(w.avgSleepingHR))],
    ['readiness', rounded(w.readiness)],
    ['soreness', rounded(positive(w.soreness))],
    ['feltFatigue', rounded(positive(w.fatigue))],
    ['stress', rounded(positive(w.stress))],
    ['mood', rounded(positive(w.mood))],
    ['motivation', rounded(positive(w.motivation))],
  ];
  for (const [key, v] of extra) if (v !== null) (ctx as Record<string, number | null>)[key] = v;
  return Object.values(ctx).some((v) => v !== null) ? ctx : null;
}
