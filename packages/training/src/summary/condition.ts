import { round, sportFamily } from '../units.js';
import { num, type PlannedEventInput, type SummaryWorkout, type WellnessDayInput } from './input.js';
import { addDays, daysBetween } from './time.js';
import type { WellnessSection } from './wellness.js';

/** Thresholds of the risk rules; plain numbers so that a coach can read and argue with them. */
export const RISK_RULES = {
  /** CTL points per week (Intervals.icu rampRate) above which the build is too steep. */
  rampRateMax: 8,
  /** Form (CTL − ATL) below which fatigue is very high. */
  formMin: -30,
  /** 7-day HRV average below this share of its baseline. */
  hrvShareMin: 0.9,
  /** Planned key sessions are checked this many days back. */
  missedWindowDays: 14,
} as const;
export const MISSED_WINDOW_DAYS = RISK_RULES.missedWindowDays;

export interface RiskFlag {
  code: 'ramp_rate_steep' | 'form_very_negative' | 'hrv_below_baseline' | 'missed_key_sessions' | 'training_gap' | 'returning' | 'vdot_before_break' | 'threshold_settings_stale';
  message: string;
}

export interface ConditionSection {
  date: string | null;
  /** wellness: Intervals.icu's daily fitness; workout: the last workout's values (no wellness rows). */
  source: 'wellness' | 'workout' | null;
  fitness: number | null;
  fatigue: number | null;
  form: number | null;
  rampRate: number | null;
  /** Change of each value over the last 7 and 28 days. */
  change7d: { fitness: number | null; fatigue: number | null; form: number | null };
  change28d: { fitness: number | null; fatigue: number | null; form: number | null };
  trend: 'building' | 'steady' | 'declining' | null;
  missedKeySessions: { date: string; type: string | null; name: string | null }[];
  flags: RiskFlag[];
}

interface Point {
  date: string;
  ctl: number;
  atl: number;
  ramp: number | null;
}

const KEY_NAME = /interval|threshold|tempo|long|race|rep|vo2|hill|fartlek|\d\s*x\s*\d|\d\s*x\s|x\s*\d/i;

/** Key = a race, or a workout whose name says it is a quality or long session. */
export const isKeyPlanned = (e: PlannedEventInput) => e.category.startsWith('RACE') || (e.category === 'WORKOUT' && KEY_NAME.test(e.name ?? ''));

export function buildCondition(
  wellnessRows: readonly WellnessDayInput[],
  workouts: readonly SummaryWorkout[],
  planned: readonly PlannedEventInput[],
  wellness: WellnessSection,
  today: string,
): ConditionSection {
  const points = new Map<string, Point>();
  for (const r of wellnessRows) {
    const ctl = num(r.data.ctl);
    const atl = num(r.data.atl);
    if (ctl === null || atl === null || r.date > today) continue; // future rows are projections
    points.set(r.date, { date: r.date, ctl, atl, ramp: num(r.data.rampRate) });
  }
  const latestDate = [...points.keys()].sort().at(-1);
  let now: Point | null = latestDate ? points.get(latestDate)! : null;
  let source: ConditionSection['source'] = now ? 'wellness' : null;
  if (!now) {
    const last = workouts.find((w) => w.fitness !== null && w.fatigue !== null && w.day <= today);
    if (last) {
      now = { date: last.day, ctl: last.fitness!, atl: last.fatigue!, ramp: null };
      source = 'workout';
    }
  }
  const change = (days: number) => {
    const then = now ? points.get(addDays(now.date, -days)) : undefined;
    if (!now || !then || source !== 'wellness') return { fitness: null, fatigue: null, form: null };
    return { fitness: round(now.ctl - then.ctl, 1), fatigue: round(now.atl - then.atl, 1), form: round(now.ctl - now.atl - (then.ctl - then.atl), 1) };
  };
  const change7d = change(7);
  const change28d = change(28);
  const form = now ? now.ctl - now.atl : null;
  const trendBase = change7d.fitness;
  const trend = trendBase === null ? null : trendBase > 1 ? 'building' : trendBase < -1 ? 'declining' : 'steady';

  const missedKeySessions = missedKey(planned, workouts, today);
  const flags: RiskFlag[] = [];
  if (now?.ramp !== null && now?.ramp !== undefined && now.ramp > RISK_RULES.rampRateMax) {
    flags.push({ code: 'ramp_rate_steep', message: `Fitness is rising ${round(now.ramp, 1)} points a week (above ${RISK_RULES.rampRateMax}): injury and illness risk climb; hold the load steady for a few days.` });
  }
  if (form !== null && form < RISK_RULES.formMin) {
    flags.push({ code: 'form_very_negative', message: `Form is ${round(form, 1)} (below ${RISK_RULES.formMin}): very high fatigue; plan easy days before the next hard session.` });
  }
  const hrv = wellness.hrv;
  if (hrv.avg7d !== null && hrv.baseline !== null && hrv.baselineDays >= 14 && hrv.last7Days.filter((v) => v !== null).length >= 3 && hrv.avg7d < hrv.baseline * RISK_RULES.hrvShareMin) {
    flags.push({ code: 'hrv_below_baseline', message: `HRV 7-day average ${hrv.avg7d} ms is ${Math.abs(hrv.changePct ?? 0)}% below its baseline ${hrv.baseline} ms: recovery may be lagging.` });
  }
  if (missedKeySessions.length > 0) {
    const list = missedKeySessions.map((m) => `${m.date} ${m.name ?? m.type ?? 'workout'}`).join('; ');
    flags.push({ code: 'missed_key_sessions', message: `${missedKeySessions.length} planned key session(s) in the last ${RISK_RULES.missedWindowDays} days not done: ${list}.` });
  }
  return {
    date: now?.date ?? null,
    source,
    fitness: now ? round(now.ctl, 1) : null,
    fatigue: now ? round(now.atl, 1) : null,
    form: form === null ? null : round(form, 1),
    rampRate: now?.ramp === null || now?.ramp === undefined ? null : round(now.ramp, 1),
    change7d,
    change28d,
    trend,
    missedKeySessions,
    flags,
  };
}

function missedKey(planned: readonly PlannedEventInput[], workouts: readonly SummaryWorkout[], today: string) {
  const done = new Set(workouts.map((w) => `${w.day}|${sportFamily(w.workoutType)}`));
  const doneDay = new Set(workouts.map((w) => w.day));
  return planned
    .filter((e) => {
      const ago = daysBetween(e.date, today);
      if (ago < 1 || ago > RISK_RULES.missedWindowDays || !isKeyPlanned(e)) return false;
      // Without a sport on the event, any workout that day counts as done.
      return e.type ? !done.has(`${e.date}|${sportFamily(e.type)}`) : !doneDay.has(e.date);
    })
    .map((e) => ({ date: e.date, type: e.type, name: e.name }));
}
