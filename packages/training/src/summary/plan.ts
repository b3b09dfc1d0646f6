import { round } from '../units.js';
import type { PlannedEventInput } from './input.js';
import { clip } from './recent.js';
import { addDays } from './time.js';

export const PLAN_DAYS = 7;
const DESCRIPTION_CHARS = 300;

export interface PlannedDay {
  date: string;
  category: string;
  type: string | null;
  name: string | null;
  movingTime: number | null;
  /** km */
  distance: number | null;
  load: number | null;
  /** The start of the workout text; all of it is on GET /events. */
  description: string | null;
}

/** Today and the 6 days after it, in calendar order. */
export function buildPlan(planned: readonly PlannedEventInput[], today: string): PlannedDay[] {
  const last = addDays(today, PLAN_DAYS - 1);
  return planned
    .filter((e) => e.date >= today && e.date <= last)
    .sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0))
    .map((e) => ({
      date: e.date,
      category: e.category,
      type: e.type,
      name: e.name,
      movingTime: e.movingTime,
      distance: e.distance === null ? null : round(e.distance / 1000, 2),
      load: e.load,
      description: e.description ? clip(e.description, DESCRIPTION_CHARS) : null,
    }));
}
