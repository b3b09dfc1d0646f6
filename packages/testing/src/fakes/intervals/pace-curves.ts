import type { StoredActivity } from './state.js';

/** The distances the fake's curve lists (Intervals.icu lists many more; these cover 1–60 min). */
const DISTANCES = [400, 800, 1000, 1500, 1609, 2000, 3000, 5000, 8000, 10000, 15000, 21097, 42195];
const RUN_TYPES = new Set(['Run', 'TrailRun', 'VirtualRun']);

/**
 * `GET /athlete/{id}/pace-curves.json?type=Run&curves=42d` as Intervals.icu answers it: per curve,
 * the best time (s) for each distance (m) over the window ending now, the activity it came from,
 * and a critical-speed model fitted to the bests of about 2.5–20 min. The fake measures its own
 * activities' laps (even pace inside a lap), which is what the real one does with streams.
 */
export function paceCurvesOf(activities: readonly StoredActivity[], type: string, curves: string, now = Date.now()) {
  return {
    list: curves.split(',').map((id) => {
      const days = /^(\d+)d$/.exec(id.trim())?.[1];
      const from = days ? now - Number(days) * 86_400_000 : -Infinity;
      const runs = activities.filter((st) => {
        const a = st.fa.activity;
        const t = Date.parse(a.start_date ?? '');
        return (type === 'Run' ? RUN_TYPES.has(a.type ?? '') : a.type === type) && t >= from && t <= now;
      });
      const best = DISTANCES.map(() => ({ time: Infinity, activity: null as string | null }));
      for (const st of runs) {
        const track = trackOf(st);
        DISTANCES.forEach((d, k) => {
          const t = fastest(track, d);
          if (t < best[k]!.time) best[k] = { time: t, activity: st.fa.id };
        });
      }
      const have = DISTANCES.map((d, k) => ({ d, t: best[k]!.time, a: best[k]!.activity })).filter((p) => Number.isFinite(p.t));
      return {
        id: id.trim(),
        distance: have.map((p) => p.d),
        values: have.map((p) => Math.round(p.t)),
        activity_id: have.map((p) => p.a),
        paceModels: csModel(have.filter((p) => p.t >= 150 && p.t <= 1300)),
      };
    }),
  };
}

/** Cumulative [time, distance] at each lap boundary. */
function trackOf(st: StoredActivity): Array<[number, number]> {
  const out: Array<[number, number]> = [[0, 0]];
  for (const l of st.fa.icu_intervals ?? []) {
    const prev = out[out.length - 1]!;
    const t = typeof l.moving_time === 'number' ? l.moving_time : 0;
    const d = typeof l.distance === 'number' ? l.distance : 0;
    if (t > 0 && d >= 0 && d / t < 10) out.push([prev[0] + t, prev[1] + d]);
  }
  return out;
}

/** Fastest time over `d` metres anywhere on the track (each end at a lap boundary, the other interpolated). */
function fastest(track: ReadonlyArray<[number, number]>, d: number): number {
  let best = Infinity;
  const at = (dist: number) => {
    for (let j = 1; j < track.length; j++) {
      const [t0, d0] = track[j - 1]!;
      const [t1, d1] = track[j]!;
      if (d1 >= dist) return d1 === d0 ? t1 : t0 + ((dist - d0) / (d1 - d0)) * (t1 - t0);
    }
    return null;
  };
  const total = track[track.length - 1]![1];
  for (const [t, x] of track) {
    if (x + d <= total) {
      const end = at(x + d);
      if (end !== null) best = Math.min(best, end - t);
    }
    if (x - d >= 0) {
      const start = at(x - d);
      if (start !== null) best = Math.min(best, t - start);
    }
  }
  return best;
}

function csModel(points: Array<{ d: number; t: number }>) {
  if (points.length < 3) return [];
  const n = points.length;
  const mt = points.reduce((a, p) => a + p.t, 0) / n;
  const md = points.reduce((a, p) => a + p.d, 0) / n;
  let stt = 0;
  let std = 0;
  let sdd = 0;
  for (const p of points) {
    stt += (p.t - mt) ** 2;
    std += (p.t - mt) * (p.d - md);
    sdd += (p.d - md) ** 2;
  }
  if (stt === 0 || sdd === 0) return [];
  const cs = std / stt;
  const r2 = (std * std) / (stt * sdd);
  return [{ type: 'CS', criticalSpeed: Math.round(cs * 1000) / 1000, dPrime: Math.round(md - cs * mt), r2: Math.round(r2 * 1000) / 1000 }];
}
