import type { FakeAthleteProfile } from './profile.js';
import { Random, round } from './prng.js';
import type { SessionPlan } from './sessions.js';

// Local aliases: under jest's vm context every global lookup in a 1 Hz loop is costly.
const { PI: M_PI, cos: M_cos, max: M_max, min: M_min, round: M_round, sin: M_sin } = Math;

/** 1 Hz samples of one activity. Index i is the i-th recorded (moving) second. */
export interface FakeStreams {
  time: number[];
  distance?: number[];
  velocity_smooth?: number[];
  heartrate: number[];
  cadence?: number[];
  altitude?: number[];
  watts?: number[];
  lat?: number[];
  lng?: number[];
}

/** Stream types an activity of this plan carries (the activity's `stream_types`). */
export function streamTypesFor(plan: SessionPlan): string[] {
  if (plan.sport === 'WeightTraining') return ['time', 'heartrate'];
  const t = ['time', 'distance', 'velocity_smooth', 'heartrate', 'cadence'];
  if (plan.sport === 'Ride' || plan.sport === 'VirtualRide') t.push('watts');
  if (plan.outdoor) t.push('altitude', 'latlng');
  return t;
}

/**
 * Pure function of (plan, profile): regenerating gives identical arrays, which is what lets the
 * fake drop streams after computing the activity's summary and serve them lazily later.
 */
export function generateStreams(plan: SessionPlan, p: FakeAthleteProfile, opts: { latlng?: boolean } = {}): FakeStreams {
  const withLatLng = opts.latlng ?? true;
  const rng = new Random(plan.seed);
  const total = plan.segments.reduce((s, g) => s + g.secs, 0);
  const isRide = plan.sport === 'Ride' || plan.sport === 'VirtualRide';
  const isSwim = plan.sport === 'Swim';
  const moving = plan.sport !== 'WeightTraining';
  const time = new Array<number>(total);
  const hrArr = new Array<number>(total);
  const dist: number[] = [];
  const vel: number[] = [];
  const cad: number[] = [];
  const alt: number[] = [];
  const watts: number[] = [];
  const lat: number[] = [];
  const lng: number[] = [];

  const phase1 = rng.float(0, 2 * M_PI);
  const phase2 = rng.float(0, 2 * M_PI);
  const heading = rng.float(0, 2 * M_PI);
  const amp = plan.outdoor ? p.hilliness : 0;
  const baseAlt = rng.float(30, 300);
  let v = plan.segments[0]?.speed ?? 0;
  let hr = p.restingHr + 25;
  let w = plan.segments[0]?.watts ?? 0;
  let d = 0;
  let vNoise = 0;
  let i = 0;
  const pauseAt = plan.pause?.atIndex ?? -1;
  const pauseSecs = plan.pause?.secs ?? 0;
  for (const seg of plan.segments) {
    for (let k = 0; k < seg.secs; k++, i++) {
      time[i] = i >= pauseAt && pauseAt >= 0 ? i + pauseSecs : i;
      // Speed eases to the target in a few seconds; HR lags (faster up than down) with slow drift.
      vNoise = 0.8 * vNoise + rng.jitter(0.035 * M_max(seg.speed, 0.2));
      v += (seg.speed - v) * (isSwim ? 0.5 : 0.25);
      const speed = M_max(0, v + vNoise);
      const drift = 1 + 0.04 * (i / M_max(total, 1));
      const target = seg.hr * drift;
      hr += (target - hr) / (target > hr ? 22 : 38);
      hrArr[i] = M_round(M_min(p.maxHr, hr + rng.jitter(0.8)));
      if (!moving) continue;
      d += speed;
      dist[i] = round(d, 1);
      vel[i] = round(speed, 3);
      if (isRide) {
        w += ((seg.watts ?? 0) - w) * 0.3;
        watts[i] = M_max(0, M_round(w + rng.jitter(0.08 * w)));
        cad[i] = M_round(88 + rng.jitter(3));
      } else if (isSwim) {
        cad[i] = M_round(seg.speed > 0.5 ? 26 + 6 * (speed / p.swimThresholdPace - 0.9) + rng.jitter(1) : 0);
      } else {
        // Intervals.icu reports run cadence in strides (not steps) per minute.
        cad[i] = M_round(M_min(96, M_max(74, 74 + 13 * (speed / p.thresholdPace) + rng.jitter(0.8))));
      }
      if (plan.outdoor) {
        alt[i] = round(baseAlt + amp * M_sin(d / 1700 + phase1) + amp * 0.35 * M_sin(d / 430 + phase2), 1);
        if (!withLatLng) continue;
        lat[i] = round(p.lat + (M_cos(heading + d / 5000) * d) / 111_000 / 4, 6);
        lng[i] = round(p.lng + (M_sin(heading + d / 5000) * d) / 71_000 / 4, 6);
      }
    }
  }
  const out: FakeStreams = { time, heartrate: hrArr };
  if (moving) {
    out.distance = dist;
    out.velocity_smooth = vel;
    out.cadence = cad;
  }
  if (isRide) out.watts = watts;
  if (plan.outdoor && moving) {
    out.altitude = alt;
    if (withLatLng) {
      out.lat = lat;
      out.lng = lng;
    }
  }
  return out;
}

/** Wire shape of `GET /activity/{id}/streams.json`: a bare array of ActivityStream. */
export function streamsToWire(s: FakeStreams, types: string[] | null): Array<Record<string, unknown>> {
  const out: Array<Record<string, unknown>> = [];
  const want = (t: string) => !types || types.includes(t);
  const add = (type: string, data: number[] | undefined, data2?: number[]) => {
    if (!data || !want(type)) return;
    out.push({ type, name: null, data, data2: data2 ?? null, valueTypeIsArray: false, anomalies: null, custom: false, allNull: false });
  };
  add('time', s.time);
  add('distance', s.distance);
  add('velocity_smooth', s.velocity_smooth);
  add('heartrate', s.heartrate);
  add('cadence', s.cadence);
  add('watts', s.watts);
  add('altitude', s.altitude);
  add('latlng', s.lat, s.lng);
  return out;
}
