import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import type { IntervalsInterval, IntervalsStream } from '@splits/contracts';
import { bestEfforts, EFFORT_DISTANCES, samplesFromLaps, workoutBestEfforts, type EffortTarget } from './best-efforts.js';

/** 1 Hz samples through blocks of (metres, m/s). */
function path(blocks: [number, number][]) {
  const time = [0];
  const distance = [0];
  for (const [metres, speed] of blocks) {
    const end = distance.at(-1)! + metres;
    while (distance.at(-1)! < end - 1e-9) {
      const step = Math.min(speed, end - distance.at(-1)!);
      time.push(time.at(-1)! + step / speed);
      distance.push(distance.at(-1)! + step);
    }
  }
  return { time, distance };
}
const streams = (s: { time: number[]; distance: number[] }): IntervalsStream[] => [
  { type: 'time', data: s.time },
  { type: 'distance', data: s.distance },
];
const target = (label: string) => [...EFFORT_DISTANCES].find((t) => t.label === label)!;
const byLabel = (efforts: ReturnType<typeof bestEfforts>, label: string) => efforts.find((e) => e.label === label);

describe('bestEfforts', () => {
  // A parkrun inside a longer run: 2 km warm-up at 3 m/s, 5 km at 5000/1200 m/s (20:00), 2 km cool-down.
  const parkrun = path([
    [2000, 3],
    [5000, 5000 / 1200],
    [2000, 3],
  ]);

  it('finds the raced 5 km inside a run with a warm-up and a cool-down, with where it starts', () => {
    const e = bestEfforts(parkrun);
    expect(byLabel(e, '5K')).toMatchObject({ kind: 'distance', distanceM: 5000, timeSec: 1200, startM: 2000 });
    expect(byLabel(e, '5K')!.startSec).toBeCloseTo(2000 / 3, 0);
    expect(byLabel(e, '1K')!.timeSec).toBe(240);
    expect(byLabel(e, '20 min')).toMatchObject({ kind: 'duration', timeSec: 1200, distanceM: 5000 });
    // 9 km in all: no 10K, and a duration the run is too short for is absent.
    expect(byLabel(e, '10K')).toBeUndefined();
    expect(byLabel(e, '60 min')).toBeUndefined();
  });

  it('counts a stop inside the stretch: a record is never faster than it was run', () => {
    // 5 km at 4 m/s with 60 s standing at 2 km (time jumps, distance does not).
    const s = path([[5000, 4]]);
    const at = s.distance.indexOf(2000);
    const time = s.time.map((t, i) => (i > at ? t + 60 : t));
    expect(byLabel(bestEfforts({ time, distance: s.distance }), '5K')!.timeSec).toBe(1310);
  });

  it('starts a stretch when the athlete leaves a stop, not when they arrived at it', () => {
    // Found by the property below (seed 1928648193): 1 m, a 1 s stop, then 187 m in 3 s.
    const got = bestEfforts({ time: [0, 1, 2, 3, 4, 5], distance: [0, 1, 1, 56, 105, 188] }, [{ label: 'x', kind: 'distance', value: 187 }])[0];
    expect(got).toMatchObject({ timeSec: 3, startSec: 2, startM: 1 });
  });

  it('agrees with trying every stretch (property)', () => {
    const arb = fc.array(fc.record({ dt: fc.integer({ min: 1, max: 30 }), dd: fc.integer({ min: 0, max: 150 }) }), { minLength: 2, maxLength: 60 });
    fc.assert(
      fc.property(arb, fc.integer({ min: 50, max: 2000 }), (steps, metres) => {
        const time = [0];
        const distance = [0];
        for (const s of steps) {
          time.push(time.at(-1)! + s.dt);
          distance.push(distance.at(-1)! + s.dd);
        }
        const t: EffortTarget = { label: 'x', kind: 'distance', value: metres };
        const got = bestEfforts({ time, distance }, [t])[0];
        // Reference: every start and end on a sample or interpolated, on a fine grid of starts. A
        // stretch starts when the athlete leaves its start (after a stop there) and ends on arrival.
        let best = Infinity;
        const total = distance.at(-1)!;
        for (let k = 0; k <= 400; k++) {
          const start = ((total - metres) * k) / 400;
          if (start < 0) break;
          best = Math.min(best, at(time, distance, start + metres) - leave(time, distance, start));
        }
        for (const startD of distance) if (startD + metres <= total) best = Math.min(best, at(time, distance, startD + metres) - leave(time, distance, startD));
        for (const endD of distance) if (endD - metres >= 0) best = Math.min(best, at(time, distance, endD) - leave(time, distance, endD - metres));
        if (best === Infinity) expect(got).toBeUndefined();
        else expect(Math.abs(got!.timeSec - best)).toBeLessThanOrEqual(0.06);
      }),
      // A fixed seed: the same 300 cases on every run (FC_RANDOM=1 explores new ones).
      { numRuns: 300, ...(process.env.FC_RANDOM ? {} : { seed: 20261206 }) },
    );
  });
});

/** Latest time the athlete is at x before moving past it (a stop at the start of a stretch is not in it). */
function leave(time: number[], distance: number[], x: number): number {
  for (let i = 1; i < distance.length; i++) {
    if (distance[i]! > x) return time[i - 1]! + ((x - distance[i - 1]!) / (distance[i]! - distance[i - 1]!)) * (time[i]! - time[i - 1]!);
  }
  return time.at(-1)!;
}

/** Earliest time the cumulative distance reaches x (linear within a step). */
function at(time: number[], distance: number[], x: number): number {
  for (let i = 1; i < distance.length; i++) {
    if (distance[i]! >= x && distance[i]! > distance[i - 1]!) {
      if (distance[i - 1]! >= x) return time[i - 1]!;
      return time[i - 1]! + ((x - distance[i - 1]!) / (distance[i]! - distance[i - 1]!)) * (time[i]! - time[i - 1]!);
    }
  }
  return x <= 0 ? time[0]! : Infinity;
}

describe('workoutBestEfforts', () => {
  it('filters a GPS spike with the km splits’ rule: one bad fix makes no record', () => {
    // 6 km at 3 m/s; at t = 600 the distance jumps 500 m in one second and stays ahead.
    const s = path([[6000, 3]]);
    const distance = s.distance.map((d, i) => (i >= 600 ? d + 500 : d));
    const { basis, efforts } = workoutBestEfforts({ streams: streams({ time: s.time, distance }) });
    expect(basis).toBe('streams');
    expect(byLabel(efforts, '400 m')!.timeSec).toBeCloseTo(400 / 3, 0);
    expect(byLabel(efforts, '5K')!.timeSec).toBeCloseTo(5000 / 3, 0);
  });

  it('falls back to laps without a distance stream, never faster than the laps', () => {
    const laps = [
      { start_index: 0, elapsed_time: 600, moving_time: 590, distance: 2000 },
      { start_index: 600, elapsed_time: 2460, moving_time: 2460, distance: 10_000 },
      { start_index: 3060, elapsed_time: 900, moving_time: 900, distance: 2270 },
      { start_index: 3960, elapsed_time: 1, distance: 400 }, // a spike lap: its distance counts nothing
    ] as IntervalsInterval[];
    const { basis, efforts } = workoutBestEfforts({ streams: [{ type: 'heartrate', data: [120] }], laps });
    expect(basis).toBe('laps');
    expect(byLabel(efforts, '10K')).toMatchObject({ timeSec: 2460, startM: 2000, startSec: 600 });
    expect(byLabel(efforts, '5K')!.timeSec).toBe(1230);
    const fromLaps = samplesFromLaps(laps)!;
    expect(fromLaps.distance[fromLaps.distance.length - 1]).toBe(14_270);
    expect(workoutBestEfforts({ streams: null, laps: [] })).toEqual({ basis: null, efforts: [] });
  });
});

it('names every standard distance once', () => {
  expect(EFFORT_DISTANCES.map((d) => d.label)).toEqual(['400 m', '1K', '1 mile', '5K', '10K', 'Half marathon', 'Marathon']);
  expect(target('1 mile').value).toBeCloseTo(1609.3, 1);
});
