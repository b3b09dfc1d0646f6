import type { FakeAthleteProfile } from './profile.js';
import { round } from './prng.js';
import type { SessionPlan } from './sessions.js';
import type { FakeStreams } from './streams.js';
import { shortDuration } from './time.js';

// Local aliases: under jest's vm context every global lookup in a 1 Hz loop is costly.
const { max: M_max, min: M_min, round: M_round } = Math;

export type FakeInterval = Record<string, unknown> & {
  id: number;
  type: 'WORK' | 'RECOVERY';
  start_index: number;
  end_index: number;
  moving_time: number;
  group_id: string | null;
};
export type FakeGroup = Record<string, unknown> & { id: string; count: number };

interface Cut {
  start: number;
  end: number;
  type: 'WORK' | 'RECOVERY';
  role: string;
}

function cuts(plan: SessionPlan, s: FakeStreams): Cut[] {
  const n = s.time.length;
  if (plan.laps === 'single') return [{ start: 0, end: n, type: 'WORK', role: 'steady' }];
  if (plan.laps === 'km' && s.distance) {
    const out: Cut[] = [];
    let start = 0;
    let nextKm = 1000;
    for (let i = 0; i < n; i++) {
      if ((s.distance[i] ?? 0) >= nextKm) {
        out.push({ start, end: i + 1, type: 'WORK', role: 'lap' });
        start = i + 1;
        nextKm += 1000;
      }
    }
    const last = out[out.length - 1];
    if (start < n) {
      const rest = (s.distance[n - 1] ?? 0) - (s.distance[start - 1] ?? 0);
      if (rest < 50 && last) last.end = n;
      else out.push({ start, end: n, type: 'WORK', role: 'lap-rest' });
    }
    return out;
  }
  const out: Cut[] = [];
  let i = 0;
  for (const seg of plan.segments) {
    out.push({ start: i, end: i + seg.secs, type: seg.role === 'work' || seg.role === 'steady' ? 'WORK' : 'RECOVERY', role: seg.role });
    i += seg.secs;
  }
  return out;
}

/** Stats over samples [start, end) — the same maths for intervals, groups and the whole activity. */
export function rangeStats(s: FakeStreams, p: FakeAthleteProfile, start: number, end: number) {
  const n = end - start;
  let hrSum = 0;
  let hrMax = 0;
  let hrMin = 999;
  let cadSum = 0;
  let wSum = 0;
  let vMax = 0;
  let gain = 0;
  let altMin = Infinity;
  let altMax = -Infinity;
  for (let i = start; i < end; i++) {
    const h = s.heartrate[i] ?? 0;
    hrSum += h;
    if (h > hrMax) hrMax = h;
    if (h < hrMin) hrMin = h;
    cadSum += s.cadence?.[i] ?? 0;
    wSum += s.watts?.[i] ?? 0;
    const v = s.velocity_smooth?.[i] ?? 0;
    if (v > vMax) vMax = v;
    if (s.altitude) {
      const a = s.altitude[i] ?? 0;
      const prev = s.altitude[i - 1];
      if (i > start && prev !== undefined && a > prev) gain += a - prev;
      altMin = M_min(altMin, a);
      altMax = M_max(altMax, a);
    }
  }
  const distance = s.distance ? (s.distance[end - 1] ?? 0) - (start > 0 ? (s.distance[start - 1] ?? 0) : 0) : null;
  const speed = distance !== null && n > 0 ? distance / n : null;
  const elapsed = (s.time[end - 1] ?? 0) + 1 - (s.time[start] ?? 0);
  return {
    n,
    elapsed,
    distance: distance === null ? null : round(distance, 1),
    speed: speed === null ? null : round(speed, 3),
    maxSpeed: s.velocity_smooth ? round(vMax, 3) : null,
    gap: speed === null || !distance ? null : round(speed * (1 + (4 * gain) / distance), 3),
    hr: M_round(hrSum / M_max(n, 1)),
    hrMax,
    hrMin,
    cadence: s.cadence ? round(cadSum / M_max(n, 1), 2) : null,
    watts: s.watts ? M_round(wSum / M_max(n, 1)) : null,
    gain: s.altitude ? round(gain, 1) : null,
    altMin: s.altitude ? altMin : null,
    altMax: s.altitude ? altMax : null,
    zone: M_max(1, p.hrZones.findIndex((z) => hrSum / M_max(n, 1) <= z) + 1),
  };
}

export function buildIntervals(plan: SessionPlan, s: FakeStreams, p: FakeAthleteProfile) {
  const isRide = s.watts !== undefined;
  const isRun = plan.sport === 'Run';
  const intervals: FakeInterval[] = cuts(plan, s).map((c, k) => {
    const st = rangeStats(s, p, c.start, c.end);
    const intensity = isRide
      ? M_round(((st.watts ?? 0) / p.ftp) * 100)
      : st.speed !== null
        ? M_round((st.speed / (plan.sport === 'Swim' ? p.swimThresholdPace : p.thresholdPace)) * 100)
        : null;
    return {
      id: k + 1,
      type: c.type,
      label: null,
      group_id: null,
      start_index: c.start,
      end_index: c.end,
      start_time: s.time[c.start] ?? 0,
      end_time: (s.time[c.end - 1] ?? 0) + 1,
      moving_time: st.n,
      elapsed_time: st.elapsed,
      distance: st.distance,
      average_speed: st.speed,
      max_speed: st.maxSpeed,
      gap: isRun ? st.gap : null,
      average_heartrate: st.hr,
      min_heartrate: st.hrMin,
      max_heartrate: st.hrMax,
      average_cadence: st.cadence,
      average_stride: isRun && st.speed && st.cadence ? round((st.speed * 60) / (st.cadence * 2), 3) : null,
      average_watts: st.watts,
      intensity,
      zone: st.zone,
      total_elevation_gain: st.gain,
      min_altitude: st.altMin,
      max_altitude: st.altMax,
    };
  });

  // Group similar repeats the way Intervals.icu does ("4x 8m2s"): work reps / full km laps, and recoveries.
  const groups: FakeGroup[] = [];
  const summary: string[] = [];
  const makeGroup = (members: FakeInterval[], suffix: string) => {
    if (members.length < 2) return;
    const first = members[0] as FakeInterval;
    const moving = members.reduce((a, m) => a + m.moving_time, 0);
    const dist = members.reduce((a, m) => a + ((m.distance as number | null) ?? 0), 0);
    const hr = M_round(members.reduce((a, m) => a + (m.average_heartrate as number) * m.moving_time, 0) / moving);
    const watts = isRide ? M_round(members.reduce((a, m) => a + ((m.average_watts as number) ?? 0) * m.moving_time, 0) / moving) : null;
    const avgSecs = M_round(moving / members.length);
    const id = `g${avgSecs}s${isRide ? `${watts}w` : `${M_round(dist / members.length)}m`}${suffix}`;
    for (const m of members) m.group_id = id;
    groups.push({
      id,
      count: members.length,
      start_index: first.start_index,
      moving_time: moving,
      elapsed_time: members.reduce((a, m) => a + (m.elapsed_time as number), 0),
      distance: s.distance ? round(dist, 1) : null,
      average_speed: s.distance ? round(dist / moving, 3) : null,
      average_heartrate: hr,
      max_heartrate: M_max(...members.map((m) => m.max_heartrate as number)),
      average_cadence: s.cadence ? round(members.reduce((a, m) => a + ((m.average_cadence as number) ?? 0), 0) / members.length, 2) : null,
      average_watts: watts,
      intensity: M_round(members.reduce((a, m) => a + ((m.intensity as number) ?? 0), 0) / members.length),
    });
    if (suffix === '') summary.push(`${members.length}x ${shortDuration(avgSecs)} ${isRide ? `${watts}w` : `${hr}bpm`}`);
  };
  if (plan.laps === 'km') {
    makeGroup(intervals.filter((i) => (i.distance as number) >= 950), '');
  } else {
    makeGroup(intervals.filter((i) => i.type === 'WORK'), '');
    makeGroup(intervals.filter((i, k) => i.type === 'RECOVERY' && k > 0 && k < intervals.length - 1 && plan.segments[k]?.role === 'recovery'), 'r');
  }
  for (const i of intervals) {
    if (i.type === 'WORK' && i.group_id === null) summary.push(`1x ${shortDuration(i.moving_time)} ${isRide ? `${i.average_watts}w` : `${i.average_heartrate}bpm`}`);
  }
  return { intervals, groups, summary };
}
