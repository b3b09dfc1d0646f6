import { describe, expect, it } from '@jest/globals';
import { intensityLabel } from './intensity.js';

/** Seconds in Intervals.icu's seven HR zones from shares of an hour (Z1…Z7). */
const zones = (...shares: number[]) => shares.map((s) => Math.round(s * 3600));

describe('the intensity word: one rule for every session type', () => {
  // [session type, icu_intensity, HR zone shares, word]. The intensity (IF) decides; the zones may lift it up to "hard", never past it.
  const cases: Array<[string, number, number[], string]> = [
    ['Recovery', 62, zones(0.9, 0.1, 0, 0, 0, 0, 0), 'easy'],
    ['Easy', 72, zones(0.5, 0.45, 0.05, 0, 0, 0, 0), 'easy'],
    // HR drift over a long run: half the time in Z3+ lifts it one step, as the zones say.
    ['Long', 74, zones(0.2, 0.3, 0.4, 0.1, 0, 0, 0), 'moderate'],
    // The case: a threshold session at IF 92 whose HR drifted over LTHR for 35 % of the time is hard, not very hard.
    ['Threshold (HR drift)', 92, zones(0.2, 0.1, 0.1, 0.25, 0.3, 0.05, 0), 'hard'],
    ['Threshold', 88, zones(0.3, 0.1, 0.1, 0.4, 0.1, 0, 0), 'hard'],
    // Intervals: the easy recoveries pull the average to moderate; 30 % over LTHR lifts them to hard (not past it).
    ['Interval', 84, zones(0.3, 0.2, 0.1, 0.1, 0.2, 0.1, 0), 'hard'],
    // Short reps barely move HR: the average and the zones both say moderate.
    ['Repetition', 80, zones(0.4, 0.3, 0.15, 0.1, 0.05, 0, 0), 'moderate'],
    // A 10K race: above threshold on average.
    ['Race (10K)', 103, zones(0.05, 0.05, 0.05, 0.1, 0.5, 0.25, 0), 'very hard'],
    // A half marathon is run at threshold: hard by its average, whatever the drift.
    ['Race (half marathon)', 97, zones(0.02, 0.03, 0.05, 0.2, 0.6, 0.1, 0), 'hard'],
  ];

  it.each(cases)('%s at IF %d → %s', (_type, icu, hr, word) => {
    expect(intensityLabel({ icu_intensity: icu, icu_hr_zone_times: hr })).toBe(word);
  });

  it('uses the zones alone when there is no intensity, the intensity alone when there are no zones, and says nothing with neither', () => {
    expect(intensityLabel({ icu_intensity: null, icu_hr_zone_times: zones(0.1, 0.1, 0.1, 0.2, 0.4, 0.1, 0) })).toBe('very hard');
    expect(intensityLabel({ icu_intensity: 104, icu_hr_zone_times: null })).toBe('very hard');
    expect(intensityLabel({ icu_intensity: null, icu_hr_zone_times: null })).toBeNull();
  });
});
