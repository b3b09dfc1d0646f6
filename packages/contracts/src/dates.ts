import { z } from 'zod';

const DATE_SHAPE = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * Whether `value` is a date that exists, written YYYY-MM-DD: `2024-02-29` is, `2023-02-29`,
 * `2024-02-30` and `2024-13-45` are not (a shape-only regex accepts all four). Anything that is not a
 * string is not a date.
 */
export function isCalendarDate(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const m = DATE_SHAPE.exec(value);
  if (!m) return false;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (month < 1 || month > 12 || day < 1) return false;
  // Day 0 of the next month is the last day of this one (UTC: no time zone or DST involved).
  return day <= new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** A real calendar date, YYYY-MM-DD (the pattern stays in the JSON schema; the refinement adds the calendar). */
export const CalendarDateSchema = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'expected YYYY-MM-DD')
  .refine(isCalendarDate, 'not a calendar date');
