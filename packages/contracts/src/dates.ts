import { z } from 'zod';

/** The calendar days every surface accepts: 4-digit years, as Postgres `date` and JS Date both hold them. */
export const FIRST_CALENDAR_DATE = '0001-01-01';
export const LAST_CALENDAR_DATE = '9999-12-31';

const YYYY_MM_DD = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * True for a day that exists: YYYY-MM-DD, month 01-12, day within that month (leap years by the
 * Gregorian rule), year 0001-9999. Date.parse is no check: it takes 2024-02-30 as March 1st, and
 * Postgres refuses it.
 */
export function isCalendarDate(s: string): boolean {
  const m = YYYY_MM_DD.exec(s);
  if (!m) return false;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  if (year < 1 || month < 1 || month > 12 || day < 1) return false;
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  const days = month === 2 ? (leap ? 29 : 28) : [4, 6, 9, 11].includes(month) ? 30 : 31;
  return day <= days;
}

const NOT_A_DATE = 'not a calendar date: expected YYYY-MM-DD, a day that exists (e.g. 2024-02-29), years 0001-9999';

/**
 * A local calendar date, YYYY-MM-DD. The pattern shows in JSON Schema (OpenAPI, MCP tool
 * definitions); the day-of-month check runs wherever the schema parses.
 */
export const CalendarDateSchema = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, { error: NOT_A_DATE, abort: true })
  .refine(isCalendarDate, { error: NOT_A_DATE });
