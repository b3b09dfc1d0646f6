import type { IntervalsStream, SplitKm } from '@splits/contracts';
import { formatPace, round } from './units.js';

/** Below this speed a step counts as standing (lights, auto-pause gaps): its time is not pace. */
const MOVING_MS = 0.5;
/** Faster than this (1:40/km) no runner moves for a whole sample: the distance jump is a GPS spike. */
const MAX_RUN_MS = 10;
/** A last partial km shorter than this is left out: its pace says more about stopping the watch than the run. */
export const MIN_PARTIAL_M = 200;

const series = (streams: readonly IntervalsStream[], type: string): (number | null)[] | null => {
  const s = streams.find((x) => x.type === type);
  return s?.data?.length ? s.data.map((v) => (typeof v === 'number' && Number.isFinite(v) ? v : null)) : null;
};

/**
 * Kilometre splits from the distance (m), time (s) and heartrate (bpm) streams of a run.
 *
 * - Pace counts moving time only: a step slower than 0.5 m/s (standing) adds no time.
 * - Samples with a null distance or time are skipped (the next good sample spans the gap); a time
 *   stream that is missing means 1 Hz samples.
 * - GPS spikes: a step faster than 10 m/s advances the distance at the last plausible speed
 *   instead, and a distance that goes backwards adds nothing; so one bad fix cannot make an absurd
 *   split. The splits' distance can then be a little shorter than the watch's total.
 * - avgHr is the moving-time-weighted mean of the heart-rate samples in the km (absent without a
 *   heartrate stream, null when the km has no heart-rate sample).
 * - The last partial km is kept when it is at least 200 m, labelled with the run's total in km
 *   (e.g. 10.63) and paced per km like the others; shorter remainders are dropped.
 */
export function splitsFromStreams(streams: readonly IntervalsStream[] | null | undefined): SplitKm[] | null {
  if (!streams?.length) return null;
  const dist = series(streams, 'distance');
  if (!dist) return null;
  const time = series(streams, 'time');
  const hr = series(streams, 'heartrate');

  const splits: SplitKm[] = [];
  let prevRawD: number | null = null;
  let prevT: number | null = null;
  let d = 0; // cleaned distance
  let moving = 0; // moving seconds since the start
  let lastSpeed = 0; // last plausible moving speed, m/s
  let kmStartD = 0;
  let kmStartMoving = 0;
  let hrSecs = 0; // moving seconds with a heart-rate sample in the current km
  let hrSum = 0;

  const push = (km: number, secs: number, metres: number) => {
    const split: SplitKm = { km, pace: `${formatPace(((secs / metres) * 1000) / 60)}/km` };
    if (hr) split.avgHr = hrSecs > 0 ? Math.round(hrSum / hrSecs) : null;
    splits.push(split);
    hrSum = 0;
    hrSecs = 0;
  };
  const addHr = (bpm: number | null, secs: number) => {
    if (bpm === null || bpm <= 0 || secs <= 0) return;
    hrSum += bpm * secs;
    hrSecs += secs;
  };

  for (let i = 0; i < dist.length; i++) {
    const rawD = dist[i] ?? null;
    const t = time ? (time[i] ?? null) : i;
    if (rawD === null || t === null) continue;
    if (prevRawD === null || prevT === null) {
      // The stream may start a few metres in; splits count from the first sample.
      prevRawD = rawD;
      prevT = t;
      continue;
    }
    if (t <= prevT) continue; // a repeated or backwards timestamp carries no time
    const dt = t - prevT;
    let dd = Math.max(0, rawD - prevRawD);
    if (dd / dt > MAX_RUN_MS) dd = lastSpeed * dt;
    const movingDt = dd / dt >= MOVING_MS ? dt : 0;
    if (movingDt > 0) lastSpeed = dd / dt;
    const bpm = hr ? (hr[i] ?? null) : null;

    // Every km boundary crossed inside this step, at its interpolated moving time.
    let from = d;
    let usedDt = 0;
    while (dd > 0 && d + dd >= kmStartD + 1000) {
      const boundary = kmStartD + 1000;
      const part = ((boundary - from) / dd) * movingDt;
      addHr(bpm, part);
      usedDt += part;
      const at = moving + ((boundary - d) / dd) * movingDt;
      push(round(boundary / 1000), at - kmStartMoving, 1000);
      kmStartD = boundary;
      kmStartMoving = at;
      from = boundary;
    }
    addHr(bpm, movingDt - usedDt);
    d += dd;
    moving += movingDt;
    prevRawD = rawD;
    prevT = t;
  }
  const rest = d - kmStartD;
  if (rest >= MIN_PARTIAL_M && moving > kmStartMoving) push(round(d / 1000, 2), moving - kmStartMoving, rest);
  return splits.length ? splits : null;
}
