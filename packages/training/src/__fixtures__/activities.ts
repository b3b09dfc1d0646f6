import type { IntervalsActivity, IntervalsInterval, IntervalsStream } from '@splits/contracts';

/** Real ACTIVITY_UPLOADED capture, Garmin run (reference §1.6 A): no icu_ctl/icu_atl yet. */
export const capturedRun: IntervalsActivity = {
  id: 'i140263995',
  start_date_local: '2026-04-16T09:02:09',
  start_date: '2026-04-16T07:02:09Z',
  type: 'Run',
  name: 'AI: Z2 Base Run — Aerobic Build (generated)',
  distance: 4497.53,
  moving_time: 2179,
  elapsed_time: 2286,
  total_elevation_gain: 22.115707,
  average_heartrate: 128,
  max_heartrate: 150,
  average_cadence: 72.86063,
  calories: 331,
  icu_training_load: 23,
  trimp: 41.34806,
  source: 'GARMIN_CONNECT',
  pace: 2.0640337,
  gap: 2.080476,
  threshold_pace: 3.3898,
  icu_hr_zones: [129, 136, 144, 152, 157, 161, 179],
  icu_hr_zone_times: [812, 407, 791, 172, 0, 0, 0],
  pace_zone_times: [2176, 22, 0, 0, 0, 0, 0],
  lthr: 153,
  icu_resting_hr: 57,
  icu_weight: 77.769,
  icu_rpe: 2,
  feel: 2,
  icu_intensity: 61.390354,
  stream_types: ['time', 'watts', 'cadence', 'heartrate', 'distance', 'altitude', 'latlng', 'velocity_smooth'],
  interval_summary: ['3x 6m54s 134bpm', '1x 8m8s 140bpm'],
  average_speed: 2.057,
  max_speed: 2.93,
  average_stride: 0.8498556,
  athlete_max_hr: 179,
};

/** Real VirtualRide with power (reference §2.4), CTL/ATL from the later ACHIEVEMENTS event. */
export const capturedRide: IntervalsActivity = {
  id: 'i140254351',
  start_date_local: '2026-04-16T07:28:47',
  start_date: '2026-04-16T05:28:47Z',
  type: 'VirtualRide',
  name: 'CYCLING:Tempo w/ 1min Cadence-5',
  distance: 28451.42,
  moving_time: 3307,
  elapsed_time: 3307,
  trainer: true,
  commute: false,
  race: false,
  average_heartrate: 132,
  max_heartrate: 145,
  average_cadence: 93.21714,
  calories: 517,
  icu_average_watts: 131,
  icu_weighted_avg_watts: 139,
  icu_ftp: 208,
  icu_training_load: 41,
  icu_intensity: 66.82692,
  icu_efficiency_factor: 1.0530303,
  icu_variability_index: 1.0610687,
  decoupling: 4.5139484,
  trimp: 70.59505,
  source: 'GARMIN_CONNECT',
  icu_athlete_id: 'i317960',
  created: '2026-04-16T06:37:39.861+00:00',
  analyzed: '2026-04-16T06:37:40.111+00:00',
  icu_hr_zones: [131, 145, 151, 162, 167, 172, 179],
  lthr: 163,
  icu_power_zones: [55, 75, 90, 105, 120, 150, 999],
  icu_zone_times: [
    { id: 'Z1', secs: 1619 },
    { id: 'Z2', secs: 556 },
    { id: 'Z3', secs: 1027 },
    { id: 'Z4', secs: 92 },
    { id: 'Z5', secs: 4 },
    { id: 'Z6', secs: 1 },
    { id: 'Z7', secs: 8 },
    { id: 'SS', secs: 211 },
  ],
  icu_hr_zone_times: [1054, 2253, 0, 0, 0, 0, 0],
  average_speed: 8.609,
  max_speed: 11.309,
  icu_lap_count: 57,
  icu_ctl: 18.94321,
  icu_atl: 38.26616,
};

type Part = { secs: number; speed: number; hr: number; type?: 'WORK' | 'RECOVERY' };

/** icu_intervals for a sequence of constant-effort parts (speed m/s), laid end to end. */
export function intervalsOf(parts: Part[]): IntervalsInterval[] {
  let t = 0;
  return parts.map((p, k) => {
    const iv: IntervalsInterval = {
      id: k + 1,
      type: p.type ?? 'WORK',
      label: null,
      start_index: t,
      end_index: t + p.secs,
      start_time: t,
      end_time: t + p.secs,
      moving_time: p.secs,
      elapsed_time: p.secs,
      distance: Math.round(p.secs * p.speed * 10) / 10,
      average_speed: p.speed,
      average_heartrate: p.hr,
      max_heartrate: p.hr + 6,
      average_cadence: 86,
    };
    t += p.secs;
    return iv;
  });
}

/** Warm-up, n × (work, recovery) without the last recovery, cool-down; Intervals.icu types the warm-up WORK. */
export function structuredRun(n: number, work: Omit<Part, 'type'>, rec: Omit<Part, 'type'>, warm = 900): IntervalsInterval[] {
  const parts: Part[] = [{ secs: warm, speed: 2.9, hr: 135, type: 'WORK' }];
  for (let i = 0; i < n; i++) {
    // Reps vary a little, as real ones do.
    parts.push({ ...work, secs: work.secs + ((i * 7) % 5) - 2, speed: work.speed * (1 - i * 0.005), type: 'WORK' });
    if (i < n - 1) parts.push({ ...rec, type: 'RECOVERY' });
  }
  parts.push({ secs: 600, speed: 2.8, hr: 130, type: 'RECOVERY' });
  return intervalsOf(parts);
}

/** A run activity around a set of intervals, analysed, with threshold pace 3.9 m/s (4:16/km) and LTHR 170. */
export function runWith(intervals: IntervalsInterval[], extra: Partial<IntervalsActivity> = {}): IntervalsActivity {
  const moving = intervals.reduce((a, i) => a + (i.moving_time ?? 0), 0);
  const dist = intervals.reduce((a, i) => a + (i.distance ?? 0), 0);
  return {
    id: 'i900',
    type: 'Run',
    name: 'Morning Run',
    start_date: '2026-04-06T07:12:00Z',
    start_date_local: '2026-04-06T09:12:00',
    distance: dist,
    moving_time: moving,
    average_speed: dist / moving,
    average_heartrate: 150,
    threshold_pace: 3.9,
    lthr: 170,
    icu_ctl: 52.1,
    icu_atl: 61.4,
    analyzed: '2026-04-06T08:30:00.000+00:00',
    icu_intervals: intervals,
    ...extra,
  };
}

/** 1 Hz streams of a steady run at `speed` m/s for `metres`, with a 40 s stop at `stopAt` s. */
export function steadyStreams(metres: number, speed: number, hr: number, stopAt?: number): IntervalsStream[] {
  const time: number[] = [];
  const distance: number[] = [];
  const heartrate: number[] = [];
  let t = 0;
  let d = 0;
  while (d < metres) {
    time.push(t);
    distance.push(Math.min(d, metres));
    heartrate.push(hr);
    if (t === stopAt) {
      // Standing at the lights: the clock runs, the distance does not.
      t += 40;
      time.push(t);
      distance.push(d);
      heartrate.push(hr);
    }
    d += speed;
    t += 1;
  }
  time.push(t);
  distance.push(metres);
  heartrate.push(hr);
  return [
    { type: 'time', data: time },
    { type: 'distance', data: distance },
    { type: 'heartrate', data: heartrate },
  ];
}
