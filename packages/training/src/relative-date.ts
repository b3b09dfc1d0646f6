import { addDays, isoWeekStart } from './summary/time.js';

/**
 * A date bound as the gateway's reads accept it (DateBoundSchema): YYYY-MM-DD as it is, or a
 * relative form resolved against `today` (the athlete's local date). A period (this-week,
 * last-month, …) resolves to its first day as a lower bound and its last day as an upper bound;
 * weeks start on Monday (ISO). `-3m` is the same day three months back, clamped to the month's end.
 */
export function resolveDateBound(bound: string, side: 'oldest' | 'newest', today: string): string {
  if (/^\d{4}-\d{2}-\d{2}$/.test(bound)) return bound;
  if (bound === 'today') return today;
  if (bound === 'yesterday') return addDays(today, -1);
  if (bound === 'tomorrow') return addDays(today, 1);
  const offset = /^([+-]?)(\d{1,4})([dwm])$/.exec(bound);
  if (offset) {
    const n = Number(offset[2]) * (offset[1] === '-' ? -1 : 1);
    if (offset[3] === 'd') return addDays(today, n);
    if (offset[3] === 'w') return addDays(today, 7 * n);
    return addMonths(today, n);
  }
  const period = /^(this|last|next)-(week|month|year)$/.exec(bound);
  if (!period) throw new RangeError(`not a date bound: ${bound}`);
  const shift = period[1] === 'last' ? -1 : period[1] === 'next' ? 1 : 0;
  let first: string;
  let last: string;
  if (period[2] === 'week') {
    first = addDays(isoWeekStart(today), 7 * shift);
    last = addDays(first, 6);
  } else if (period[2] === 'month') {
    first = addMonths(`${today.slice(0, 7)}-01`, shift);
    last = addDays(addMonths(first, 1), -1);
  } else {
    const year = String(Number(today.slice(0, 4)) + shift).padStart(4, '0');
    first = `${year}-01-01`;
    last = `${year}-12-31`;
  }
  return side === 'oldest' ? first : last;
}

const PERIOD = /^(?:this|last|next)-(?:week|month|year)$/;

/** A period given as one bound alone stands for both: oldest=last-month is the whole of last month. */
export function widenPeriod<Q extends { oldest?: string; newest?: string }>(q: Q): Q {
  if (q.oldest !== undefined && q.newest === undefined && PERIOD.test(q.oldest)) return { ...q, newest: q.oldest };
  if (q.newest !== undefined && q.oldest === undefined && PERIOD.test(q.newest)) return { ...q, oldest: q.newest };
  return q;
}

/** True when the bound is a relative form (needs the athlete's today). */
export const isRelativeDateBound = (bound: string | undefined): boolean => bound !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(bound);

function addMonths(date: string, months: number): string {
  const idx = Number(date.slice(0, 4)) * 12 + Number(date.slice(5, 7)) - 1 + months;
  const year = Math.floor(idx / 12);
  const month = (idx % 12) + 1;
  const lastDay = month === 2 ? (isLeap(year) ? 29 : 28) : [4, 6, 9, 11].includes(month) ? 30 : 31;
  const day = Math.min(Number(date.slice(8, 10)), lastDay);
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

const isLeap = (y: number) => y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);
