import { FIRST_CALENDAR_DATE, LAST_CALENDAR_DATE } from '@splits/contracts';
import { addDays, resolveDateBound, widenPeriod } from '@splits/training';
import { BadRequestError, TooLargeError } from '../errors.js';

/** GPT Actions reject responses of 100,000 characters or more (DESIGN §6); MCP clients get the same bound. */
export const MAX_RESPONSE_CHARS = 100_000;

const DAY_MS = 86_400_000;

export { addDays };

export function todayUtc(now = new Date()): string {
  return now.toISOString().slice(0, 10);
}

/**
 * A local-date window with defaults: given only one end, the other is `span - 1` days away;
 * given neither, it ends (or starts) today. Relative bounds (today, -7d, this-week, …) are resolved
 * against `today` (the athlete's local date; UTC's when not given). Inverted or longer-than-`maxDays`
 * windows are a 400.
 */
export function resolveWindow(
  query: { oldest?: string; newest?: string },
  opts: { defaultDays: number; maxDays: number; anchor: 'past' | 'future'; now?: Date; today?: string },
): { oldest: string; newest: string } {
  const q = widenPeriod(query);
  const today = opts.today ?? todayUtc(opts.now);
  let oldest = q.oldest === undefined ? undefined : resolveDateBound(q.oldest, 'oldest', today);
  let newest = q.newest === undefined ? undefined : resolveDateBound(q.newest, 'newest', today);
  if (!oldest && !newest) {
    if (opts.anchor === 'past') newest = today;
    else oldest = today;
  }
  oldest ??= shiftWithinCalendar(newest!, -(opts.defaultDays - 1));
  newest ??= shiftWithinCalendar(oldest, opts.defaultDays - 1);
  if (oldest > newest) throw new BadRequestError(`oldest (${oldest}) is after newest (${newest})`);
  const days = (Date.parse(newest) - Date.parse(oldest)) / DAY_MS + 1;
  if (days > opts.maxDays) throw new BadRequestError(`window of ${days} days is longer than ${opts.maxDays}; ask for a narrower oldest/newest window`);
  return { oldest, newest };
}

/**
 * `date` moved by `days`, stopped at the first and last calendar dates (a default window next to
 * 9999-12-31 ends there). Date.parse reads every 4-digit year as written, where Date.UTC (addDays)
 * takes 0001-0099 for 1901-1999.
 */
function shiftWithinCalendar(date: string, days: number): string {
  const ms = Date.parse(date) + days * DAY_MS;
  if (ms < Date.parse(FIRST_CALENDAR_DATE)) return FIRST_CALENDAR_DATE;
  if (ms > Date.parse(LAST_CALENDAR_DATE)) return LAST_CALENDAR_DATE;
  return new Date(ms).toISOString().slice(0, 10);
}

/** Throws 413 when `body` would be too large for the assistants, naming what to ask for instead. */
export function assertFits<T>(body: T, hint: string): T {
  const size = JSON.stringify(body).length;
  if (size >= MAX_RESPONSE_CHARS) {
    throw new TooLargeError(`response would be ${size} characters, over the ${MAX_RESPONSE_CHARS} limit; ${hint}`);
  }
  return body;
}
