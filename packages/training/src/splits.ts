import type { IntervalsStream, SplitKm } from '@splits/contracts';
import { streamSeries, trackFromStreams } from './track.js';
import { formatPace, round } from './units.js';

/** Below this speed a step counts as standing (lights, auto-pause gaps): its time is not pace. */
export const MOVING_MS = 0.5;
/** A last partial km shorter than this is left out: its pace says more about stopping the watch than the run. */
export const MIN_PARTIAL_M = 200;

/**
 * Kilometre splits from the distance (m), time (s) and heartrate (bpm) streams of a run.
 *
 * - Pace counts moving time only: a step slower than 0.5 m/s (standing) adds no time.
 * - Samples, gaps and GPS spikes as `cleanTrack` (track.ts) reads them: a step faster than 10 m/s
 *   advances at the last plausible speed, a distance that goes backwards adds nothing; so one bad
 *   fix cannot make an absurd split. The splits' distance can then be a little shorter than the
 *   watch's total.
 * - avgHr is the moving-time-weighted mean of the heart-rate samples in the km (absent without a
 *   heartrate stream, null when the km has no heart-rate sample).
 * - The last partial km is kept when it is at least 200 m, labelled with the run's total in km
 *   (e.g. 10.63) and paced per km like the others; shorter remainders are dropped.
 */
export function splitsFromStreams(streams: readonly IntervalsStream[] | null | undefined): SplitKm[] | null {
  const track = trackFromStreams(streams, MOVING_MS);
  if (!track) return null;
  const hr = streamSeries(streams!, 'heartrate');

  const splits: SplitKm[] = [];
  let d = 0; // cleaned distance
  let moving = 0; // moving seconds since the start
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

  for (let i = 1; i < track.length; i++) {
    const dt = track.time[i]! - track.time[i - 1]!;
    const dd = track.distance[i]! - track.distance[i - 1]!;
    const movingDt = dd / dt >= MOVING_MS ? dt : 0;
    const bpm = hr ? (hr[track.source[i]!] ?? null) : null;

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
  }
  const rest = d - kmStartD;
  if (rest >= MIN_PARTIAL_M && moving > kmStartMoving) push(round(d / 1000, 2), moving - kmStartMoving, rest);
  return splits.length ? splits : null;
}
