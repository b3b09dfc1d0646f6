import { describe, expect, it } from '@jest/globals';
import { checkWorkoutText, formatWorkoutTextIssues } from './workout-text.js';

const messages = (text: string, sport = 'Run') => checkWorkoutText(text, sport).map((i) => i.message);

describe('checkWorkoutText', () => {
  it.each([
    ['Run', '- Warmup 15m 70-80% LTHR\n\nMain Set 4x\n- 8m 95-100% LTHR\n- 2m 70% LTHR\n\n- Cooldown 10m Z1 HR'],
    ['Ride', '- 10m ramp 50-70%\n- 70m Z2\n- 10m 50%'],
    ['Run', '- 2km Z2 Pace\n\n5x\n- 400mtr 3:50/km Pace\n- 90s Z1 HR\n\n- 1mi 5:00/km-5:20/km Pace'],
    ['Run', 'Warmup\n- 10m Z2 HR\n\nMain Set\n- 20m 4:30/km Pace 180rpm'],
    ['Swim', '- 400mtr Z2 Pace\n\n8x\n- 50mtr 1:40/100m Pace\n- 20s\n\n- 200mtr 70% Pace'],
    ['Ride', '- 1h2m30s 220-240w 90rpm\n- 20m freeride'],
    ['Run', "- 5' 70% HR\n- 30\" Z4 HR"],
  ])('accepts valid %s text', (sport, text) => {
    expect(checkWorkoutText(text, sport)).toEqual([]);
  });

  it('flags metres written as minutes', () => {
    const issues = checkWorkoutText('- Warmup 10m Z2 HR\n- 200m 3:45/km Pace', 'Run');
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ line: 2, text: '- 200m 3:45/km Pace' });
    expect(issues[0]!.message).toMatch(/200 minutes.*200mtr/);
  });

  it('flags durations and distances spelled out', () => {
    expect(messages('- 30 secs Z5 HR')[0]).toMatch(/30s/);
    expect(messages('- 200 metres 3:30/km Pace')[0]).toMatch(/400mtr/);
  });

  it('flags a step without duration or distance', () => {
    expect(messages('- easy Z2 HR')[0]).toMatch(/no duration or distance/);
  });

  it('flags bare power targets on runs but not on rides', () => {
    expect(messages('- 10m Z2')[0]).toMatch(/power.*Z2 HR/);
    expect(messages('- 10m 75%')[0]).toMatch(/power/);
    expect(messages('- 10m Z2', 'Ride')).toEqual([]);
    expect(messages('- 10m 250w')).toEqual([]);
  });

  it('flags a pace without the word Pace', () => {
    expect(messages('- 1km 4:00/km')[0]).toMatch(/word Pace.*4:00\/km Pace/);
  });

  it('flags repeats written as steps, missing blank lines and nested repeats', () => {
    expect(messages('- 4x\n- 1km 4:00/km Pace')[0]).toMatch(/is a step, not a repeat/);
    expect(messages('- 10m Z2 HR\nMain Set 4x\n- 1km 4:00/km Pace')[0]).toMatch(/empty line before a repeat/);
    expect(messages('4x\n- 1km 4:00/km Pace\n2x\n- 1m Z5 HR')).toEqual(
      expect.arrayContaining([expect.stringMatching(/empty line after a repeat block/)]),
    );
    expect(messages('4x\n\n- 1km Z2 HR')[0]).toMatch(/no steps after it/);
  });

  it('flags digits in the cue text', () => {
    expect(messages('- Run 4 laps 10m Z2 HR')[0]).toMatch(/digits in the cue text/);
  });

  it('flags text without steps', () => {
    expect(messages('Easy run 45 minutes')[0]).toMatch(/no steps/);
    expect(messages('')[0]).toMatch(/no steps/);
  });

  it('formats issues on one line', () => {
    expect(formatWorkoutTextIssues(checkWorkoutText('- 200m Z2 HR', 'Run'))).toMatch(/^line 1 '- 200m Z2 HR': '200m' means 200 minutes/);
  });
});
