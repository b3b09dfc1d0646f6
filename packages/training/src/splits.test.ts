import { describe, expect, it } from '@jest/globals';
import type { IntervalsStream } from '@splits/contracts';
import { splitsFromStreams } from './splits.js';

/** 1 Hz samples at `speed` m/s until `metres`; `hr(t)` gives the heart rate at second t. */
function run(metres: number, speed: number, hr: (t: number) => number | null = () => 150) {
  const time: (number | null)[] = [];
  const distance: (number | null)[] = [];
  const heartrate: (number | null)[] = [];
  for (let t = 0; t * speed <= metres + 1e-9; t++) {
    time.push(t);
    distance.push(t * speed);
    heartrate.push(hr(t));
  }
  return { time, distance, heartrate };
}
const streams = (s: { time?: (number | null)[]; distance?: (number | null)[]; heartrate?: (number | null)[] }): IntervalsStream[] =>
  Object.entries(s).map(([type, data]) => ({ type, data }));

describe('splitsFromStreams', () => {
  it('paces each km from moving time and keeps a last partial km of 200 m or more', () => {
    // 4 m/s for 2250 m: every km 250 s = 4:10/km; the last 250 m in 62.5 s = 250 s/km = 4:10/km, labelled 2.25.
    const s = run(2250, 4);
    expect(splitsFromStreams(streams(s))).toEqual([
      { km: 1, pace: '4:10/km', avgHr: 150 },
      { km: 2, pace: '4:10/km', avgHr: 150 },
      { km: 2.25, pace: '4:10/km', avgHr: 150 },
    ]);
    // 1150 m: the last 150 m is under 200 m and is left out.
    expect(splitsFromStreams(streams(run(1150, 4)))?.map((x) => x.km)).toEqual([1]);
  });

  it('leaves standing time out of the pace', () => {
    // 4 m/s, then 60 s standing at 600 m (t = 150 → 210), then on: km 1 still 250 s of moving = 4:10/km.
    const s = run(2000, 4);
    const time = s.time.map((t) => ((t as number) <= 150 ? t : (t as number) + 60));
    time.splice(151, 0, 180, 210);
    const distance = [...s.distance];
    distance.splice(151, 0, 600, 600);
    const heartrate = [...s.heartrate];
    heartrate.splice(151, 0, 120, 120);
    expect(splitsFromStreams(streams({ time, distance, heartrate }))?.map((x) => x.pace)).toEqual(['4:10/km', '4:10/km']);
  });

  it('ignores a GPS spike instead of producing an absurd split', () => {
    // 4 m/s for 3000 m; at t = 100 the distance jumps 500 m in one second and stays 500 m ahead.
    // Unfiltered, km 1 would take (1000 − 500) / 4 = 125 s (2:05/km) and a partial 3.5 would appear.
    // Filtered, the spike step advances 4 m (the last speed) like every other second: three 4:10/km kms.
    const s = run(3000, 4);
    const distance = s.distance.map((d, t) => (t >= 100 ? (d as number) + 500 : d));
    const splits = splitsFromStreams(streams({ ...s, distance }));
    expect(splits?.map((x) => x.km)).toEqual([1, 2, 3]);
    expect(splits?.every((x) => x.pace === '4:10/km')).toBe(true);
  });

  it('counts a step where the distance goes backwards as standing, not as running', () => {
    // At t = 100 the distance reads 350 m instead of 400 m and goes on from there at 4 m/s. The step back
    // adds 0 m and 0 s; every later second adds its 4 m, so km 1 is reached at t = 251 after 250 moving
    // seconds: 4:10/km, and so is km 2 (t = 501). Raw 2050 m at the end = 2096 m cleaned: a 96 m rest, dropped.
    const s = run(2100, 4);
    const distance = s.distance.map((d, t) => (t >= 100 ? (d as number) - 50 : d));
    expect(splitsFromStreams(streams({ ...s, distance }))).toEqual([
      { km: 1, pace: '4:10/km', avgHr: 150 },
      { km: 2, pace: '4:10/km', avgHr: 150 },
    ]);
  });

  it('skips null samples and averages heart rate by moving time per km', () => {
    // HR 140 up to t = 250 (the sample that reaches 1000 m), 160 after; a few nulls in every stream.
    const s = run(2000, 4, (t) => (t <= 250 ? 140 : 160));
    s.heartrate[10] = null;
    s.heartrate[300] = null;
    s.distance[50] = null;
    s.time[400] = null;
    expect(splitsFromStreams(streams(s))).toEqual([
      { km: 1, pace: '4:10/km', avgHr: 140 },
      { km: 2, pace: '4:10/km', avgHr: 160 },
    ]);
  });

  it('splits heart rate at a km boundary that falls inside a step', () => {
    // 2-second samples at 3 m/s: 1000 m is crossed inside the step 996 → 1002 m (t 332 → 334), 2/3 of
    // the way. HR is 150 up to t = 332 and 180 from t = 334: km 1 = (332 × 150 + 4/3 × 180) / 333.33
    // = 150.12 → 150; km 2 is all 180. Pace: 1000 / 3 = 333.3 s = 5:33/km.
    const time: number[] = [];
    const distance: number[] = [];
    const heartrate: number[] = [];
    for (let t = 0; t <= 700; t += 2) {
      time.push(t);
      distance.push(t * 3);
      heartrate.push(t <= 332 ? 150 : 180);
    }
    expect(splitsFromStreams(streams({ time, distance, heartrate }))).toEqual([
      { km: 1, pace: '5:33/km', avgHr: 150 },
      { km: 2, pace: '5:33/km', avgHr: 180 },
    ]);
  });

  it('has no avgHr without a heartrate stream and reads 1 Hz without a time stream', () => {
    const s = run(1000, 4);
    expect(splitsFromStreams(streams({ distance: s.distance }))).toEqual([{ km: 1, pace: '4:10/km' }]);
  });

  it('gives null without a distance stream or with nothing but nulls', () => {
    const s = run(2000, 4);
    expect(splitsFromStreams(streams({ time: s.time, heartrate: s.heartrate }))).toBeNull();
    expect(splitsFromStreams(streams({ time: s.time, distance: s.distance.map(() => null) }))).toBeNull();
    expect(splitsFromStreams([])).toBeNull();
    expect(splitsFromStreams(null)).toBeNull();
  });
});
