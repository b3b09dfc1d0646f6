import { describe, expect, it } from '@jest/globals';
import { intervalsOf } from '../__fixtures__/activities.js';
import { lapsFromIntervals } from '../laps.js';
import { analyzeStructure } from './structure.js';

const t = { thresholdSpeed: 4, lthr: 170 };

describe('analyzeStructure', () => {
  it('finds work and recovery from the intensity profile, whatever Intervals.icu typed the laps', () => {
    // Every lap typed WORK, one rep typed RECOVERY: the labels are wrong on purpose.
    const parts = [{ secs: 900, speed: 3.0, hr: 135, type: 'WORK' }];
    for (let i = 0; i < 4; i++) {
      parts.push({ secs: 480, speed: 3.95, hr: 166, type: i === 2 ? 'RECOVERY' : 'WORK' });
      if (i < 3) parts.push({ secs: 120, speed: 2.4, hr: 140, type: 'WORK' });
    }
    parts.push({ secs: 600, speed: 2.9, hr: 130, type: 'WORK' });
    const s = analyzeStructure(lapsFromIntervals(intervalsOf(parts as never)), t);
    expect(s.roles).toEqual(['warmup', 'work', 'recovery', 'work', 'recovery', 'work', 'recovery', 'work', 'cooldown']);
    expect(s.intervalSummary).toEqual({ work: '4 x 8 min', recovery: '2 min jog' });
    expect(s.mainSet).toMatchObject({ reps: 4, workTime: 1920, pace: '4:13/km', pctThresholdPace: 99, avgHr: 166, pctLthr: 98 });
  });

  it('keeps a steady run steady, drops a GPS spike, and judges by HR when pace is missing', () => {
    const steady = intervalsOf([
      { secs: 300, speed: 3.1, hr: 140 },
      { secs: 300, speed: 9.5, hr: 141 },
      { secs: 300, speed: 3.1, hr: 142 },
    ] as never);
    expect(analyzeStructure(lapsFromIntervals(steady), t)).toMatchObject({ pattern: 'steady', intervalSummary: null, mainSet: null });

    const hrOnly = lapsFromIntervals(intervalsOf([{ secs: 600, speed: 3, hr: 140 }, { secs: 1200, speed: 3, hr: 168 }, { secs: 600, speed: 3, hr: 135 }] as never)).map((l) => ({ ...l, speed: null, distance: null }));
    const s = analyzeStructure(hrOnly, t);
    expect(s.basis).toBe('hr');
    expect(s.roles).toEqual(['warmup', 'work', 'cooldown']);
  });
});

describe('intensity label', () => {
  it('calls a threshold session hard and a race very hard', async () => {
    const { intensityLabel } = await import('../intensity.js');
    // 4 x 8 min at threshold with warm-up/cool-down: IF ~ 90, most work in Z4.
    expect(intensityLabel({ icu_intensity: 91, icu_hr_zone_times: [900, 400, 300, 1500, 300, 0, 0] })).toBe('hard');
    expect(intensityLabel({ icu_intensity: 104, icu_hr_zone_times: [60, 60, 120, 400, 1500, 300, 0] })).toBe('very hard');
    expect(intensityLabel({ icu_intensity: 65, icu_hr_zone_times: [1800, 1200, 60, 0, 0, 0, 0] })).toBe('easy');
  });
});
