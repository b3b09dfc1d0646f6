import { createHash } from 'node:crypto';
import { buildAthleteSummary, type AthleteSummaryDocument } from './build.js';
import { SUMMARY_QUARTERS } from './history.js';
import type { SummaryInput } from './input.js';
import { MISSED_WINDOW_DAYS } from './condition.js';
import { PLAN_DAYS } from './plan.js';
import { addDays, isValidTimeZone, localDateIn, quartersBack } from './time.js';
import { BASELINE_DAYS } from './wellness.js';

export interface SummaryWindows {
  timezone: string;
  today: string;
  /** ISO instant: the oldest workout any section reads (start of the oldest quarter, with a day of slack for time zones). */
  workoutsSince: string;
  wellnessOldest: string;
  plannedOldest: string;
  plannedNewest: string;
}

/** What a build must load, for an athlete in `timezone` (an unknown zone falls back to UTC). */
export function summaryWindows(now: Date, timezone: string): SummaryWindows {
  const tz = isValidTimeZone(timezone) ? timezone : 'UTC';
  const today = localDateIn(now, tz);
  const q = quartersBack(today, SUMMARY_QUARTERS - 1);
  const quarterStart = `${q.slice(0, 4)}-${String((Number(q.slice(6)) - 1) * 3 + 1).padStart(2, '0')}-01`;
  return {
    timezone: tz,
    today,
    workoutsSince: `${addDays(quarterStart, -1)}T00:00:00.000Z`,
    wellnessOldest: addDays(today, -BASELINE_DAYS),
    plannedOldest: addDays(today, -MISSED_WINDOW_DAYS),
    plannedNewest: addDays(today, PLAN_DAYS - 1),
  };
}

export interface PreparedSummary {
  document: AthleteSummaryDocument;
  /** sha256 of the document's JSON: the same content always hashes the same. */
  contentHash: string;
  sizeChars: number;
}

export function prepareSummary(input: SummaryInput): PreparedSummary {
  const tz = isValidTimeZone(input.athlete.timezone) ? input.athlete.timezone : 'UTC';
  const document = buildAthleteSummary({ ...input, athlete: { ...input.athlete, timezone: tz } });
  const json = JSON.stringify(document);
  return { document, contentHash: createHash('sha256').update(json).digest('hex'), sizeChars: json.length };
}
