import type { IntervalsStream, SplitKm } from '@splits/contracts';
import { formatPace, round } from './units.js';

/** Below this speed a sample counts as standing (lights, auto-pause gaps): its time is not pace. */
const MOVING_MS = 0.5;
const MIN_PARTIAL_M = 500;

const series = (streams: readonly IntervalsStream[], type: string): (number | null)[] | null => {
  const s = streams.find((x) => x.type === type);
  return s?.data ? s.data.map((v) => (typeof v === 'number' && Number.isFinite(v) ? v : null)) : null;
};

/**
 * Kilometre splits from the distance (m) and time (s) streams: every full km, then the last
 * partial km when it is at least 0.5 km (labelled with the total, e.g. 10.6). Pace counts moving
 * time only; avgHr is the mean heart-rate sample inside the km when a heartrate stream exists.
 */
export function splitsFromStreams(streams: readonly IntervalsStream[] | null | undefined): SplitKm[] | null {
  if (!streams?.length) return null;
  const dist = series(streams, 'distance');
  if (!dist) return null;
  const time = series(streams, 'time');
  const hr = series(streams, 'heartrate');

  const splits: SplitKm[] = [];
  let prevD: number | null = null;
  let prevT: number | null = null;
  let moving = 0; // moving seconds since the start
  let kmStartMoving = 0;
  let kmStartD = 0;
  let hrSum = 0;
  let hrN = 0;
  const push = (km: number, secs: number, metres: number) => {
    const split: SplitKm = { km, pace: `${formatPace(((secs / metres) * 1000) / 60)}/km` };
    if (hr) split.avgHr = hrN ? Math.round(hrSum / hrN) : null;
    splits.push(split);
    hrSum = 0;
    hrN = 0;
  };

  for (let i = 0; i < dist.length; i++) {
    const d = dist[i];
    const t = time ? time[i] : i;
    if (d == null || t == null) continue;
    if (prevD !== null && prevT !== null && t > prevT && d >= prevD) {
      const dt = t - prevT;
      const dd = d - prevD;
      const movingDt = dd / dt >= MOVING_MS ? dt : 0;
      // Every km boundary crossed inside this step, at its interpolated moving time.
      while (d >= kmStartD + 1000 && dd > 0) {
        const boundary = kmStartD + 1000;
        const at = moving + ((boundary - prevD) / dd) * movingDt;
        push(round(boundary / 1000), at - kmStartMoving, 1000);
        kmStartD = boundary;
        kmStartMoving = at;
      }
      moving += movingDt;
    }
    const h = hr?.[i];
    if (h != null && h > 0) {
      hrSum += h;
      hrN++;
    }
    prevD = d;
    prevT = t;
  }
  const rest = (prevD ?? 0) - kmStartD;
  if (rest >= MIN_PARTIAL_M && moving > kmStartMoving) push(round((prevD as number) / 1000, 1), moving - kmStartMoving, rest);
  return splits.length ? splits : null;
}
