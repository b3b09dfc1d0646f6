import { describe, expect, it } from '@jest/globals';
import type { IntervalsActivity } from '@splits/contracts';
import { capturedRide, capturedRun, intervalsOf, runWith, structuredRun } from './__fixtures__/activities.js';
import { classifySession } from './classify/classify.js';
import { normalizeActivity } from './normalize.js';

const classify = (a: IntervalsActivity) => classifySession(normalizeActivity({ activity: a }), a);

/** 5 × 1000 m: the distance repeats exactly, the time does not. */
function kmReps(): IntervalsActivity {
  const parts = [{ secs: 900, speed: 2.9, hr: 135 }];
  [4.2, 4.3, 4.25, 4.35, 4.28].forEach((speed, i) => {
    parts.push({ secs: Math.round(1000 / speed), speed, hr: 172 });
    if (i < 4) parts.push({ secs: 120, speed: 2.4, hr: 145 });
  });
  parts.push({ secs: 600, speed: 2.8, hr: 130 });
  return runWith(intervalsOf(parts));
}

describe('classifySession', () => {
  it('keeps the sport as the session type for non-runs', () => {
    expect(classify(capturedRide)).toMatchObject({ sessionType: 'VirtualRide', confidence: 1 });
  });

  it('calls a race a race', () => {
    expect(classify(runWith([], { race: true, distance: 10000, moving_time: 2400 })).sessionType).toBe('Race');
    expect(classify(runWith([], { sub_type: 'RACE', distance: 5000, moving_time: 1200 })).sessionType).toBe('Race');
  });

  it('finds threshold work: 4 x 8 min near threshold pace', () => {
    const a = runWith(structuredRun(4, { secs: 480, speed: 3.9, hr: 165 }, { secs: 180, speed: 2.5, hr: 140 }));
    const c = classify(a);
    expect(c.sessionType).toBe('Threshold');
    expect(c.confidence).toBeGreaterThanOrEqual(0.7);
  });

  it('finds intervals: 5 x 1000 m faster than threshold, summarised by distance', () => {
    const a = kmReps();
    expect(classify(a).sessionType).toBe('Interval');
    expect(normalizeActivity({ activity: a }).intervalSummary).toEqual({ work: '5 x 1000 m', recovery: '2 min jog' });
  });

  it('finds repetitions: 10 x 400 m with walking recoveries', () => {
    const a = runWith(structuredRun(10, { secs: 80, speed: 5, hr: 168 }, { secs: 90, speed: 1.2, hr: 130 }));
    expect(classify(a).sessionType).toBe('Repetition');
    expect(normalizeActivity({ activity: a }).intervalSummary).toEqual({ work: '10 x 80 s', recovery: '90 s walk' });
  });

  it('classifies from the stored record alone (no activity)', () => {
    const rec = normalizeActivity({ activity: runWith(structuredRun(4, { secs: 480, speed: 3.9, hr: 165 }, { secs: 180, speed: 2.5, hr: 140 })) });
    expect(classifySession(rec, undefined, { thresholdPace: 3.9 }).sessionType).toBe('Threshold');
    expect(classifySession(rec).sessionType).toBe('Threshold');
  });

  it('judges a race broken once by a stop as one block, and calls it a race only with evidence', () => {
    // 60 min at 99% of threshold pace, a 2 min stop, then the last 15 min: not 2 x threshold reps.
    const laps = intervalsOf([{ secs: 600, speed: 2.9, hr: 135 }, { secs: 3600, speed: 3.85, hr: 171 }, { secs: 120, speed: 1.0, hr: 140 }, { secs: 900, speed: 3.85, hr: 174 }]);
    const unnamed = classify(runWith(laps));
    expect(unnamed.sessionType).toBe('Threshold');
    expect(unnamed.reason).toMatch(/^60 min tempo at .*possibly a race/);
    const named = classify(runWith(laps, { name: 'Riverside 15K race' }));
    expect(named).toMatchObject({ sessionType: 'Race', reason: expect.stringMatching(/^named "Riverside 15K race"/) });
    // Two equal blocks with the same recovery stay a threshold session.
    const reps = runWith(intervalsOf([{ secs: 600, speed: 2.9, hr: 135 }, { secs: 1200, speed: 3.85, hr: 168 }, { secs: 120, speed: 2.4, hr: 140 }, { secs: 1200, speed: 3.85, hr: 170 }, { secs: 600, speed: 2.8, hr: 130 }]));
    expect(classify(reps).sessionType).toBe('Threshold');
  });

  it('calls an even marathon at race pace a race (the distance is the evidence), and an even long run at long-run pace Long', () => {
    // 42.2 km in 3 h at 94% of threshold pace, LTHR-ish heart rate: a marathon, flagged or not.
    const marathon = runWith(intervalsOf(Array.from({ length: 18 }, (_, k) => ({ secs: 600 + (k % 2), speed: 3.906, hr: 165 }))));
    expect(classify(marathon)).toMatchObject({ sessionType: 'Race', reason: expect.stringMatching(/^Marathon in 3:00:\d\d( \(the sustained block\))?: an all-out effort over a standard race distance/) });
    // The same 3 h of running short of any race distance is a long run, never a 3-hour "tempo".
    const short = runWith(intervalsOf(Array.from({ length: 18 }, (_, k) => ({ secs: 600 + (k % 2), speed: 3.7, hr: 165 }))));
    expect(classify(short)).toMatchObject({ sessionType: 'Long', reason: expect.stringMatching(/longer than a tempo is held/) });
    const long = runWith(intervalsOf(Array.from({ length: 12 }, (_, k) => ({ secs: 600 + (k % 2), speed: 3.0, hr: 145 }))));
    expect(classify(long)).toMatchObject({ sessionType: 'Long', reason: expect.stringMatching(/steady \(\d+% of threshold pace\): long/) });
  });

  it('calls an evenly split run Easy, not structured', () => {
    const laps = intervalsOf([0, 1, 2, 3, 4, 5, 6, 7].map((k) => ({ secs: 345 + (k % 3), speed: 1000 / (345 + (k % 3)), hr: 140 })));
    const a = runWith(laps);
    expect(normalizeActivity({ activity: a }).intervalSummary).toBeNull();
    expect(classify(a).sessionType).toBe('Easy');
  });

  it('calls a steady 20 km run Long', () => {
    expect(classify(runWith([], { distance: 20000, moving_time: 6900, average_speed: 2.9 })).sessionType).toBe('Long');
  });

  it('calls a short very easy run Recovery', () => {
    expect(classify(runWith([], { distance: 5000, moving_time: 1920, average_speed: 2.6, average_heartrate: 128 })).sessionType).toBe('Recovery');
  });

  it('leaves runs with too little data Unclassified', () => {
    expect(classify(runWith([], { distance: 900, moving_time: 300 })).sessionType).toBe('Unclassified');
    expect(classify({ id: 'i5', type: 'Run', start_date: '2026-04-16T07:00:00Z' })).toMatchObject({ sessionType: 'Unclassified', method: 'rules' });
  });

  it('classifies the captured easy run as Easy', () => {
    expect(classify(capturedRun).sessionType).toBe('Easy');
  });
});
