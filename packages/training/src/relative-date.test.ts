import { describe, expect, it } from '@jest/globals';
import { resolveDateBound, widenPeriod } from './relative-date.js';
import { checkReps, plannedWorkReps } from './planned-reps.js';

describe('resolveDateBound', () => {
  const today = '2026-03-04'; // a Wednesday
  it.each([
    ['today', 'oldest', '2026-03-04'],
    ['yesterday', 'oldest', '2026-03-03'],
    ['-7d', 'oldest', '2026-02-25'],
    ['7d', 'newest', '2026-03-11'],
    ['-2w', 'oldest', '2026-02-18'],
    ['-1m', 'oldest', '2026-02-04'],
    ['this-week', 'oldest', '2026-03-02'],
    ['this-week', 'newest', '2026-03-08'],
    ['last-week', 'oldest', '2026-02-23'],
    ['last-month', 'oldest', '2026-02-01'],
    ['last-month', 'newest', '2026-02-28'],
    ['next-month', 'newest', '2026-04-30'],
    ['last-year', 'newest', '2025-12-31'],
    ['2026-01-05', 'oldest', '2026-01-05'],
  ] as const)('%s as %s is %s', (bound, side, date) => expect(resolveDateBound(bound, side, today)).toBe(date));

  it('clamps a month back to the end of a shorter month, leap years included', () => {
    expect(resolveDateBound('-1m', 'oldest', '2024-03-31')).toBe('2024-02-29');
    expect(resolveDateBound('-1m', 'oldest', '2026-03-31')).toBe('2026-02-28');
  });

  it('reads a period given alone as both ends', () => {
    expect(widenPeriod({ oldest: 'last-month' })).toEqual({ oldest: 'last-month', newest: 'last-month' });
    expect(widenPeriod({ oldest: '-7d' })).toEqual({ oldest: '-7d' });
  });
});

describe('plannedWorkReps and checkReps', () => {
  const text = '- 15m Z1 HR\n\nMain Set 3x\n- 1000mtr 3:50-3:55/km Pace\n- 90s Z1 HR\n\n- 10m Z1 HR';
  it('reads the work step of a repeat block, and checks each done rep against it', () => {
    const planned = plannedWorkReps(text)!;
    expect(planned.label).toBe('3 x 1000mtr 3:50-3:55/km Pace');
    expect(planned.reps).toHaveLength(3);
    expect(checkReps(planned.reps, [{ pace: '3:52/km', avgHr: 170 }, { pace: '3:44/km' }, { pace: '4:01/km' }])).toEqual([
      { rep: 1, pace: '3:52', hr: 170, verdict: 'on target' },
      { rep: 2, pace: '3:44', verdict: 'faster', offBy: '6 s/km' },
      { rep: 3, pace: '4:01', verdict: 'slower', offBy: '6 s/km' },
    ]);
  });

  it('does not compare reps that do not align, and resolves HR zones only with the settings', () => {
    const planned = plannedWorkReps(text)!;
    expect(checkReps(planned.reps, [{ pace: '3:52' }, { pace: '3:52' }])).toBeNull();
    const hr = plannedWorkReps('Main Set 4x\n- 8m Z4 HR\n- 2m Z1 HR', { hrZones: [140, 154, 163, 171, 176] })!;
    expect(hr.reps[0]!.hr).toEqual({ lo: 164, hi: 171 });
    expect(plannedWorkReps('Main Set 4x\n- 8m Z4 HR\n- 2m Z1 HR')!.reps[0]!.hr).toBeUndefined();
    expect(plannedWorkReps('- 45m Z2 HR')).toBeNull();
  });
});
