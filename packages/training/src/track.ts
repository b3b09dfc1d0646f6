import type { IntervalsStream } from '@splits/contracts';

/** Faster than this (1:40/km) no runner moves for a whole sample: the distance jump is a GPS spike. */
export const MAX_RUN_MS = 10;

/**
 * A run's path as cleaned (time, distance) samples: `time[i]` s as recorded (pauses included),
 * `distance[i]` m from the first sample, never decreasing; `source[i]` is the index of the stream
 * sample it came from (for reading other streams, e.g. heart rate, at the same point).
 */
export interface Track {
  time: Float64Array;
  distance: Float64Array;
  source: Int32Array;
  length: number;
}

export const streamSeries = (streams: readonly IntervalsStream[], type: string): (number | null)[] | null => {
  const s = streams.find((x) => x.type === type);
  return s?.data?.length ? s.data.map((v) => (typeof v === 'number' && Number.isFinite(v) ? v : null)) : null;
};

/**
 * The spike rule every distance figure from streams shares (km splits, best efforts):
 *
 * - Samples with a null distance or time are skipped (the next good sample spans the gap); a time
 *   stream that is missing means 1 Hz samples; a repeated or backwards timestamp is dropped.
 * - A step faster than 10 m/s advances the distance at the last plausible moving speed instead (a
 *   GPS spike), and a distance that goes backwards adds nothing; so one bad fix can make neither an
 *   absurd split nor a record. The cleaned distance can end a little short of the watch's total.
 *
 * `movingMs`: a step at least this fast counts as moving and sets the "last plausible speed".
 */
export function cleanTrack(dist: readonly (number | null)[], time: readonly (number | null)[] | null, movingMs: number): Track {
  const n = dist.length;
  const t = new Float64Array(n);
  const d = new Float64Array(n);
  const src = new Int32Array(n);
  let k = 0;
  let prevRawD: number | null = null;
  let prevT = 0;
  let lastSpeed = 0;
  for (let i = 0; i < n; i++) {
    const rawD = dist[i] ?? null;
    const ti = time ? (time[i] ?? null) : i;
    if (rawD === null || ti === null) continue;
    if (prevRawD === null) {
      // The stream may start a few metres in: distance counts from the first sample.
      t[0] = ti;
      d[0] = 0;
      src[0] = i;
      k = 1;
      prevRawD = rawD;
      prevT = ti;
      continue;
    }
    if (ti <= prevT) continue;
    const dt = ti - prevT;
    let dd = Math.max(0, rawD - prevRawD);
    if (dd / dt > MAX_RUN_MS) dd = lastSpeed * dt;
    if (dd / dt >= movingMs) lastSpeed = dd / dt;
    t[k] = ti;
    d[k] = d[k - 1]! + dd;
    src[k] = i;
    k++;
    prevRawD = rawD;
    prevT = ti;
  }
  return { time: t, distance: d, source: src, length: k };
}

/** The cleaned track of a run's streams, or null without a distance stream. */
export function trackFromStreams(streams: readonly IntervalsStream[] | null | undefined, movingMs: number): Track | null {
  if (!streams?.length) return null;
  const dist = streamSeries(streams, 'distance');
  if (!dist) return null;
  return cleanTrack(dist, streamSeries(streams, 'time'), movingMs);
}
