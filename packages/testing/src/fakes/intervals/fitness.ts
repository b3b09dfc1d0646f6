import type { FakeActivity } from './activity.js';
import type { FakeAthleteProfile } from './profile.js';
import { Random, hashSeed, round } from './prng.js';
import { addDays, daysBetween, localDate, offsetIso } from './time.js';

/** Intervals.icu's impulse–response model: CTL is a 42-day, ATL a 7-day exponentially weighted load. */
export const CTL_DAYS = 42;
export const ATL_DAYS = 7;
const KC = 1 - Math.exp(-1 / CTL_DAYS);
const KA = 1 - Math.exp(-1 / ATL_DAYS);

export interface Fitness {
  ctl: number;
  atl: number;
}

/** Fitness at the end of a day that added `load` on top of yesterday's `prev`. */
export function stepFitness(prev: Fitness, load: number): Fitness {
  return { ctl: prev.ctl + (load - prev.ctl) * KC, atl: prev.atl + (load - prev.atl) * KA };
}

/** Fitness after `days` days without training. */
export function decayFitness(prev: Fitness, days: number): Fitness {
  return { ctl: prev.ctl * (1 - KC) ** days, atl: prev.atl * (1 - KA) ** days };
}

export type FakeWellness = Record<string, unknown> & { id: string; ctl: number; atl: number };

/**
 * Walks the days from `firstDay` to `lastDay`, sets icu_ctl/icu_atl on each activity (fitness
 * after that activity, counting earlier ones the same day) and returns one wellness row per day.
 */
export function applyFitness(
  activities: FakeActivity[],
  p: FakeAthleteProfile,
  seed: number,
  firstDay: string,
  lastDay: string,
  start: Fitness,
): FakeWellness[] {
  const rng = new Random(hashSeed(seed, 'wellness'));
  const byDay = new Map<string, FakeActivity[]>();
  for (const a of activities) {
    const day = localDate(new Date(Date.parse(a.activity.start_date)), p.timezone);
    const list = byDay.get(day) ?? [];
    list.push(a);
    byDay.set(day, list);
  }
  const rows: FakeWellness[] = [];
  const history: number[] = [];
  let fit = start;
  const hrvBase = rng.float(45, 85);
  const days = daysBetween(firstDay, lastDay);
  for (let d = 0; d <= days; d++) {
    const day = addDays(firstDay, d);
    let load = 0;
    let km = 0;
    for (const a of byDay.get(day) ?? []) {
      load += a.activity.icu_training_load;
      km += ((a.activity.distance as number | null) ?? 0) / 1000;
      const after = stepFitness(fit, load);
      a.activity.icu_ctl = round(after.ctl, 4);
      a.activity.icu_atl = round(after.atl, 4);
    }
    fit = stepFitness(fit, load);
    history.push(fit.ctl);
    const form = fit.ctl - fit.atl;
    const slept = rng.chance(0.92);
    const hrv = rng.chance(0.9) ? round(hrvBase + form * 0.4 + rng.normal(0, 5), 1) : null;
    rows.push({
      id: day,
      ctl: round(fit.ctl, 4),
      atl: round(fit.atl, 4),
      rampRate: round(fit.ctl - (history[history.length - 8] ?? start.ctl), 4),
      ctlLoad: load,
      atlLoad: load,
      sportInfo: [
        { type: 'Ride', eftp: p.ftp, wPrime: 17000, pMax: Math.round(p.ftp * 3) },
        { type: 'Run', eftp: null },
      ],
      updated: offsetIso(new Date(Date.parse(`${day}T06:${String(rng.int(10, 59)).padStart(2, '0')}:00Z`) + 86_400_000)),
      weight: rng.chance(0.5) ? round(p.weight + rng.normal(0, 0.4), 1) : null,
      restingHR: rng.chance(0.95) ? Math.round(p.restingHr - form * 0.15 + rng.normal(0, 1.5)) : null,
      hrv,
      hrvSDNN: hrv === null ? null : round(hrv * 1.25, 1),
      sleepSecs: slept ? rng.int(5 * 3600 + 1800, 8 * 3600 + 1800) : null,
      sleepScore: slept ? rng.int(55, 95) : null,
      sleepQuality: slept ? rng.int(1, 4) : null,
      avgSleepingHR: slept ? round(p.restingHr + rng.float(2, 6), 1) : null,
      readiness: null,
      soreness: null,
      fatigue: null,
      stress: null,
      mood: null,
      motivation: null,
      steps: rng.chance(0.97) ? Math.round(rng.int(3500, 12000) + km * 1300) : null,
      locked: null,
    });
  }
  return rows;
}
