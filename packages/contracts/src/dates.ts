import { z } from 'zod';

/** The calendar days every surface accepts: 4-digit years, as Postgres `date` and JS Date both hold them. */
export const FIRST_CALENDAR_DATE = '0001-01-01';
export const LAST_CALENDAR_DATE = '9999-12-31';

const YYYY_MM_DD = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * True for a day that exists, written YYYY-MM-DD: month 01-12, day within that month (leap years by
 * the Gregorian rule), year 0001-9999 (Postgres has no year 0). Date.parse is no check: it takes
 * 2024-02-30 as March 1st, and Postgres refuses it. Anything that is not a string is not a date.
 */
export function isCalendarDate(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const m = YYYY_MM_DD.exec(value);
  if (!m) return false;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  if (year < 1 || month < 1 || month > 12 || day < 1) return false;
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  const days = month === 2 ? (leap ? 29 : 28) : [4, 6, 9, 11].includes(month) ? 30 : 31;
  return day <= days;
}

/**
 * A local calendar date, YYYY-MM-DD. The pattern shows in JSON Schema (OpenAPI, MCP tool
 * definitions); the calendar check runs wherever the schema parses. One message per bad value.
 */
export const CalendarDateSchema = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, { error: 'expected YYYY-MM-DD', abort: true })
  .refine(isCalendarDate, { error: 'not a calendar date' });

/** Relative forms a read accepts for oldest/newest, resolved in the athlete's time zone. */
export const RELATIVE_DATE = /^(?:today|yesterday|tomorrow|[+-]?\d{1,4}[dwm]|(?:this|last|next)-(?:week|month|year))$/;

/**
 * A date bound of a read (oldest, newest): YYYY-MM-DD, or a relative form the gateway resolves in
 * the athlete's time zone and echoes back (`window`): today, yesterday, -7d, -2w, -3m, this-week,
 * last-month, … A period names its first day as `oldest` and its last day as `newest`.
 */
export const DateBoundSchema = z
  .string()
  // A '+' in a query string arrives as a space: "+7d" is read as " 7d", so a bare "7d" counts forward.
  .trim()
  // A refinement, not a pattern: the forms are in the description, and tool definitions stay short.
  .refine((v) => RELATIVE_DATE.test(v) || /^\d{4}-\d{2}-\d{2}$/.test(v), {
    error: 'expected YYYY-MM-DD or a relative date: today, yesterday, -7d, +3d, -2w, -3m, this-week, last-month, this-year',
    abort: true,
  })
  .refine((v) => RELATIVE_DATE.test(v) || isCalendarDate(v), { error: 'not a calendar date' });

/** The window a read answered for, after relative dates and defaults were resolved; null ends are open. */
export const ResolvedWindowSchema = z
  .object({ oldest: z.string().nullable(), newest: z.string().nullable(), timezone: z.string() })
  .describe('The local-date window answered, relative dates resolved in the athlete time zone');
export type ResolvedWindow = z.infer<typeof ResolvedWindowSchema>;
