import { buildIntervals, rangeStats, type FakeGroup, type FakeInterval } from './laps.js';
import type { FakeAthleteProfile } from './profile.js';
import { round } from './prng.js';
import type { SessionPlan } from './sessions.js';
import { generateStreams, streamTypesFor, type FakeStreams } from './streams.js';
import { localIso, offsetIso, utcIso } from './time.js';

// Local aliases: under jest's vm context every global lookup in a 1 Hz loop is costly.
const { exp: M_exp, floor: M_floor, max: M_max, min: M_min, round: M_round } = Math;

/** An Intervals.icu activity object as `GET /activity/{id}` returns it (without intervals). */
export type FakeActivityJson = Record<string, unknown> & {
  id: string;
  icu_athlete_id: string;
  start_date: string;
  start_date_local: string;
  type: string;
  icu_training_load: number;
  icu_ctl?: number;
  icu_atl?: number;
};

/** One generated activity: the JSON Intervals.icu would serve, its intervals, and the plan its streams regenerate from. */
export interface FakeActivity {
  id: string;
  activity: FakeActivityJson;
  icu_intervals: FakeInterval[];
  icu_groups: FakeGroup[];
  plan: SessionPlan;
  profile: FakeAthleteProfile;
}

/** Seconds per zone; `reference` turns values into % of it (pace, power), or null for absolute bounds (HR). */
function zoneTimes(values: ArrayLike<number>, bounds: number[], reference: number | null): number[] {
  const out = bounds.map(() => 0);
  for (let i = 0; i < values.length; i++) {
    const raw = values[i] ?? 0;
    const v = reference === null ? raw : (raw / reference) * 100;
    let z = 0;
    while (z < bounds.length - 1 && v > (bounds[z] as number)) z++;
    out[z] = (out[z] as number) + 1;
  }
  return out;
}

/** 30 s rolling mean, 4th-power mean, 4th root: normalised power (or the same maths on speed). */
function normalised(values: number[]): number {
  let acc = 0;
  let sum4 = 0;
  for (let i = 0; i < values.length; i++) {
    acc += values[i] ?? 0;
    if (i >= 30) acc -= values[i - 30] ?? 0;
    const avg = acc / M_min(i + 1, 30);
    sum4 += avg ** 4;
  }
  return (sum4 / M_max(values.length, 1)) ** 0.25;
}

export interface BuildActivityInput {
  id: string;
  athleteId: string;
  start: Date;
  plan: SessionPlan;
  profile: FakeAthleteProfile;
  externalId: string;
}

export function buildActivity(input: BuildActivityInput): FakeActivity {
  const { plan, profile: p } = input;
  const s: FakeStreams = generateStreams(plan, p, { latlng: false });
  const n = s.time.length;
  const all = rangeStats(s, p, 0, n);
  const { intervals, groups, summary } = buildIntervals(plan, s, p);
  const isRun = plan.sport === 'Run';
  const isRide = plan.sport === 'Ride' || plan.sport === 'VirtualRide';
  const isSwim = plan.sport === 'Swim';
  const hours = n / 3600;

  const hrr = (all.hr - p.restingHr) / (p.maxHr - p.restingHr);
  const hrrL = (p.lthr - p.restingHr) / (p.maxHr - p.restingHr);
  const trimp = (n / 60) * hrr * 0.64 * M_exp(1.92 * hrr);
  const hrLoad = M_round((trimp / (60 * hrrL * 0.64 * M_exp(1.92 * hrrL))) * 100);

  let intensity: number;
  const ride: Record<string, unknown> = {};
  if (isRide && s.watts) {
    const np = normalised(s.watts);
    intensity = (np / p.ftp) * 100;
    const ss = s.watts.filter((w) => w >= p.ftp * 0.84 && w <= p.ftp * 0.97).length;
    Object.assign(ride, {
      icu_average_watts: all.watts,
      icu_weighted_avg_watts: M_round(np),
      icu_ftp: p.ftp,
      icu_power_zones: p.powerZones,
      icu_zone_times: zoneTimes(s.watts, p.powerZones, p.ftp)
        .map((secs, k) => ({ id: `Z${k + 1}`, secs }))
        .concat({ id: 'SS', secs: ss }),
      icu_variability_index: round(np / M_max(all.watts ?? 1, 1), 4),
      icu_efficiency_factor: round(np / all.hr, 4),
      icu_power_hr: round((all.watts ?? 0) / all.hr, 4),
      icu_joules: (all.watts ?? 0) * n,
      power_load: M_round(hours * (np / p.ftp) ** 2 * 100),
      device_watts: true,
    });
  } else if (s.velocity_smooth) {
    const threshold = isSwim ? p.swimThresholdPace : p.thresholdPace;
    intensity = (normalised(s.velocity_smooth) / threshold) * 100;
  } else {
    intensity = (hrr / hrrL) * 75;
  }
  const load = M_round(hours * (intensity / 100) ** 2 * 100 * (plan.sport === 'WeightTraining' ? 0.8 : 1));

  const analyzedAt = new Date(input.start.getTime() + (all.elapsed + 90 + (plan.seed % 500)) * 1000);
  const half = M_floor(n / 2);
  const ef = (a: number, b: number) => {
    const st = rangeStats(s, p, a, b);
    return (st.speed ?? st.watts ?? 0) / M_max(st.hr, 1);
  };
  const ef1 = n > 1200 && (isRun || isRide) ? ef(0, half) : 0;
  const decoupling = ef1 > 0 ? round(((ef1 - ef(half, n)) / ef1) * 100, 2) : null;

  const activity: FakeActivityJson = {
    id: input.id,
    icu_athlete_id: input.athleteId,
    start_date_local: localIso(input.start, p.timezone),
    start_date: utcIso(input.start),
    timezone: p.timezone,
    type: plan.sport,
    sub_type: plan.race ? 'RACE' : 'NONE',
    name: plan.name,
    description: null,
    source: 'GARMIN_CONNECT',
    external_id: input.externalId,
    device_name: isRide && !plan.outdoor ? 'Zwift' : 'Garmin Forerunner 965',
    file_type: 'fit',
    trainer: isRide && !plan.outdoor,
    commute: false,
    race: plan.race,
    has_heartrate: true,
    device_watts: false,
    distance: all.distance,
    icu_distance: all.distance,
    moving_time: n,
    elapsed_time: all.elapsed,
    icu_recording_time: all.elapsed,
    total_elevation_gain: all.gain,
    total_elevation_loss: all.gain === null ? null : round(all.gain * 0.97, 1),
    average_altitude: all.altMin === null || all.altMax === null ? null : round((all.altMin + all.altMax) / 2, 1),
    min_altitude: all.altMin,
    max_altitude: all.altMax,
    average_speed: all.speed,
    max_speed: all.maxSpeed,
    pace: all.speed,
    gap: isRun ? all.gap : null,
    gap_model: isRun ? 'STRAVA_RUN' : null,
    threshold_pace: isRun ? p.thresholdPace : isSwim ? p.swimThresholdPace : null,
    average_heartrate: all.hr,
    max_heartrate: all.hrMax,
    average_cadence: all.cadence,
    average_stride: isRun && all.speed && all.cadence ? round((all.speed * 60) / (all.cadence * 2), 3) : null,
    calories: M_round(isRide ? ((all.watts ?? 0) * n) / 1000 : hours * p.weight * (isRun ? 10 : 6)),
    lthr: p.lthr,
    athlete_max_hr: p.maxHr,
    icu_resting_hr: p.restingHr,
    icu_weight: p.weight,
    icu_hr_zones: p.hrZones,
    icu_hr_zone_times: zoneTimes(s.heartrate, p.hrZones, null),
    pace_zones: isRun ? p.paceZones : null,
    pace_zone_times: isRun && s.velocity_smooth ? zoneTimes(s.velocity_smooth, p.paceZones, p.thresholdPace) : null,
    gap_zone_times: isRun && s.velocity_smooth ? zoneTimes(s.velocity_smooth, p.paceZones, p.thresholdPace) : null,
    icu_power_zones: null,
    icu_zone_times: null,
    icu_ftp: null,
    icu_average_watts: null,
    icu_weighted_avg_watts: null,
    ...ride,
    icu_intensity: round(intensity, 4),
    icu_training_load: load,
    trimp: round(trimp, 3),
    hr_load: hrLoad,
    hr_load_type: 'HRSS',
    pace_load: isRun || isSwim ? load : null,
    pace_load_type: isRun ? 'RUN' : isSwim ? 'SWIM' : null,
    decoupling,
    icu_warmup_time: 600,
    icu_cooldown_time: 600,
    icu_rpe: null,
    feel: null,
    compliance: 0,
    paired_event_id: null,
    pool_length: isSwim ? p.poolLength : null,
    lengths: isSwim && all.distance ? M_round(all.distance / p.poolLength) : null,
    kg_lifted: null,
    stream_types: streamTypesFor(plan),
    interval_summary: summary,
    icu_lap_count: intervals.length,
    created: offsetIso(new Date(analyzedAt.getTime() - 250)),
    icu_sync_date: offsetIso(new Date(analyzedAt.getTime() - 250)),
    analyzed: offsetIso(analyzedAt),
  };
  return { id: input.id, activity, icu_intervals: intervals, icu_groups: groups, plan, profile: p };
}
