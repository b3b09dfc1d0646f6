import { round } from '../units.js';
import { num, type WellnessDayInput } from './input.js';
import { addDays, daysBetween } from './time.js';

/** Days before the last 7 that form the baseline a 7-day average is compared with. */
export const BASELINE_DAYS = 60;

export interface WellnessTrend {
  latest: number | null;
  latestDate: string | null;
  /** Oldest → newest, one value per day of the last 7 (null = not recorded). */
  last7Days: (number | null)[];
  avg7d: number | null;
  /** Mean of days 8–60 before today. */
  baseline: number | null;
  baselineDays: number;
  /** avg7d vs baseline, %. */
  changePct: number | null;
}

export interface WellnessSection {
  hrv: WellnessTrend;
  restingHr: WellnessTrend;
  sleepHours: WellnessTrend;
  sleepScore: WellnessTrend;
  weight: WellnessTrend;
}

const METRICS: Record<keyof WellnessSection, { pick: (d: Record<string, unknown>) => number | null; digits: number }> = {
  hrv: { pick: (d) => num(d.hrv), digits: 1 },
  restingHr: { pick: (d) => num(d.restingHR), digits: 1 },
  sleepHours: { pick: (d) => (num(d.sleepSecs) === null ? null : (d.sleepSecs as number) / 3600), digits: 2 },
  sleepScore: { pick: (d) => num(d.sleepScore), digits: 1 },
  weight: { pick: (d) => num(d.weight), digits: 1 },
};

const mean = (v: number[]) => (v.length ? v.reduce((a, b) => a + b, 0) / v.length : null);

export function wellnessTrend(rows: readonly WellnessDayInput[], today: string, pick: (d: Record<string, unknown>) => number | null, digits: number): WellnessTrend {
  const last7Days: (number | null)[] = Array(7).fill(null);
  const recent: number[] = [];
  const base: number[] = [];
  let latest: number | null = null;
  let latestDate: string | null = null;
  for (const r of rows) {
    const ago = daysBetween(r.date, today);
    if (ago < 0 || ago >= BASELINE_DAYS) continue; // future rows are projections, not measurements
    const v = pick(r.data);
    if (v === null) continue;
    if (latestDate === null || r.date > latestDate) {
      latest = v;
      latestDate = r.date;
    }
    if (ago < 7) {
      last7Days[6 - ago] = round(v, digits);
      recent.push(v);
    } else base.push(v);
  }
  const avg7 = mean(recent);
  const baseline = mean(base);
  return {
    latest: latest === null ? null : round(latest, digits),
    latestDate,
    last7Days,
    avg7d: avg7 === null ? null : round(avg7, digits),
    baseline: baseline === null ? null : round(baseline, digits),
    baselineDays: base.length,
    changePct: avg7 !== null && baseline ? round((100 * (avg7 - baseline)) / baseline, 1) : null,
  };
}

export function buildWellness(rows: readonly WellnessDayInput[], today: string): WellnessSection {
  const out = {} as WellnessSection;
  for (const [k, m] of Object.entries(METRICS) as [keyof WellnessSection, (typeof METRICS)[keyof WellnessSection]][]) {
    out[k] = wellnessTrend(rows, today, m.pick, m.digits);
  }
  return out;
}

/** The first day of the wellness rows a summary needs. */
export const wellnessSince = (today: string) => addDays(today, -BASELINE_DAYS);
