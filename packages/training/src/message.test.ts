import { describe, expect, it } from '@jest/globals';
import { capturedRide, capturedRun, runWith, structuredRun } from './__fixtures__/activities.js';
import { formatWorkoutMessage } from './message.js';
import { normalizeActivity } from './normalize.js';

describe('formatWorkoutMessage', () => {
  it('announces a structured run with its session type, summary and link', () => {
    const rec = normalizeActivity({ activity: runWith(structuredRun(4, { secs: 480, speed: 3.9, hr: 165 }, { secs: 180, speed: 2.5, hr: 140 }), { max_heartrate: 174, icu_training_load: 84 }) });
    const text = formatWorkoutMessage({ ...rec, id: 'trn_1', sessionType: 'Threshold' });
    expect(text.split('\n')).toEqual([
      'Morning Run',
      'Run · Threshold',
      `13.07 km · 1:05:59 · 5:03/km`,
      'HR 150 avg / 174 max',
      'Load 84',
      'Fitness 52.1 · Fatigue 61.4 · Form -9.3',
      'Work: 4 x 8 min, recovery 3 min jog',
      'https://intervals.icu/activities/i900',
    ]);
  });

  it('says fitness is pending while provisional, and skips what is missing', () => {
    const rec = normalizeActivity({ activity: { ...capturedRun, average_heartrate: null, max_heartrate: null } });
    const text = formatWorkoutMessage({ ...rec, id: 'trn_2' });
    expect(text).toContain('Fitness pending');
    expect(text).toContain('4.5 km · 0:36:19 · 8:04/km'); // 2179 s / 4.49753 km = 484.5 s/km
    expect(text).not.toContain('HR');
    expect(text).not.toContain('Work:');
  });

  it('gives speed for rides', () => {
    const text = formatWorkoutMessage({ ...normalizeActivity({ activity: capturedRide }), id: 'trn_3' });
    expect(text.split('\n').slice(1, 3)).toEqual(['VirtualRide', '28.45 km · 0:55:07 · 31 km/h']);
    expect(text).toContain('Fitness 18.9 · Fatigue 38.3 · Form -19.3');
  });
});
