import { describe, expect, it } from '@jest/globals';
import { CalendarDateSchema, isCalendarDate } from './dates.js';

describe('isCalendarDate', () => {
  it('accepts dates that exist, leap days included', () => {
    for (const d of ['2024-01-01', '2024-02-29', '2000-02-29', '2023-12-31', '2026-04-30']) expect(isCalendarDate(d)).toBe(true);
  });

  it('refuses dates of the right shape that do not exist', () => {
    for (const d of ['2024-13-45', '2024-02-30', '2023-02-29', '1900-02-29', '2024-04-31', '2024-00-10', '2024-01-00', '2024-12-32']) {
      expect(isCalendarDate(d)).toBe(false);
    }
  });

  it('refuses other shapes and non-strings', () => {
    for (const d of ['2024-1-01', '2024-01-01T00:00:00', ' 2024-01-01', '20240101', '', null, undefined, 20240101]) expect(isCalendarDate(d)).toBe(false);
  });
});

describe('CalendarDateSchema', () => {
  it('parses real dates and names the problem otherwise', () => {
    expect(CalendarDateSchema.parse('2024-02-29')).toBe('2024-02-29');
    expect(CalendarDateSchema.safeParse('2024-02-30').error?.issues[0]?.message).toBe('not a calendar date');
    expect(CalendarDateSchema.safeParse('2024/02/01').error?.issues[0]?.message).toBe('expected YYYY-MM-DD');
  });
});
