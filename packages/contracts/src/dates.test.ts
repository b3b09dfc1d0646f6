import { describe, expect, it } from '@jest/globals';
import { CalendarDateSchema, isCalendarDate } from './dates.js';

describe('isCalendarDate', () => {
  it.each(['2024-02-29', '2000-02-29', '2023-12-31', '2024-04-30', '0001-01-01', '9999-12-31', '1970-01-01'])('accepts %s', (d) => {
    expect(isCalendarDate(d)).toBe(true);
  });

  it.each([
    '2024-02-30', // February has 29 days in a leap year
    '2023-02-29', // and 28 in others
    '1900-02-29', // centuries are not leap years…
    '2024-13-01',
    '2024-00-10',
    '2024-04-31',
    '2024-06-00',
    '0000-01-01', // no year 0 in Postgres
    '2024-1-01',
    '24-01-01',
    '2024-01-01T00:00:00Z',
    ' 2024-01-01',
    '2024-01-01\n',
    '２０２４-01-01',
    '',
  ])('refuses %j', (d) => {
    expect(isCalendarDate(d)).toBe(false);
  });

  it('…except every 400th (2000-02-29 is real)', () => {
    expect(isCalendarDate('2000-02-29')).toBe(true);
    expect(isCalendarDate('2100-02-29')).toBe(false);
  });

  it('refuses what is not a string', () => {
    for (const v of [null, undefined, 20240101, new Date('2024-01-01'), ['2024-01-01']]) expect(isCalendarDate(v)).toBe(false);
  });

  it('CalendarDateSchema says what is wrong, once', () => {
    expect(CalendarDateSchema.parse('2024-02-29')).toBe('2024-02-29');
    expect(CalendarDateSchema.safeParse('2024-02-30').error!.issues.map((i) => i.message)).toEqual(['not a calendar date']);
    expect(CalendarDateSchema.safeParse('0000-01-01').error!.issues.map((i) => i.message)).toEqual(['not a calendar date']);
    expect(CalendarDateSchema.safeParse('2024/02/01').error!.issues.map((i) => i.message)).toEqual(['expected YYYY-MM-DD']);
  });
});
