import type { RiskFlag } from './condition.js';
import type { SummaryWorkout } from './input.js';
import { addDays, daysBetween } from './time.js';

/** When a pause in training becomes worth saying; plain numbers a coach can argue with. */
export const BREAK_RULES = {
  /** No session of any sport for more than this many days is a gap. */
  gapDays: 10,
  /** A break this long (days without any session) makes the weeks after it a return… */
  returnBreakDays: 14,
  /** …for this many days after the first session back. */
  returnWindowDays: 28,
} as const;

const weeks = (days: number) => (days < 14 ? `${days} days` : `${Math.round(days / 7)} weeks`);

/** What VDOT rests on, for saying how old it is. */
export interface VdotBasis {
  vdot: number;
  /** ISO date (or instant) of the evidence the value rests on. */
  date: string;
  kind: string;
}

/**
 * Gap and return flags: the athlete has not trained for more than 10 days (with the last date), or
 * came back in the last 4 weeks from a break of 2 weeks or more; and in either case, when VDOT rests
 * on evidence from before the break, a reminder that Daniels paces from it overstate current fitness.
 * workouts: newest first, none after today.
 */
export function breakFlags(workouts: readonly SummaryWorkout[], today: string, vdot: VdotBasis | null): RiskFlag[] {
  const last = workouts.find((w) => w.day <= today)?.day;
  if (!last) return [];
  const flags: RiskFlag[] = [];
  const off = daysBetween(last, today);
  let breakStart: string | null = null;
  if (off > BREAK_RULES.gapDays) {
    breakStart = addDays(last, 1);
    flags.push({
      code: 'training_gap',
      message: `No training for ${weeks(off)}: the last session was ${last}.${
        off >= BREAK_RULES.returnBreakDays ? ' Fitness has been dropping since (detraining): start again with easy running and build up over several weeks.' : ''
      }`,
    });
  } else {
    const back = lastReturn(workouts, today);
    if (back) {
      breakStart = back.from;
      const since = workouts.filter((w) => w.day >= back.firstBack && w.day <= today).length;
      flags.push({
        code: 'returning',
        message: `Returning after ${weeks(back.days)} off (no sessions ${back.from} … ${back.to}); first session back ${back.firstBack}, ${since} session${since === 1 ? '' : 's'} since. Rebuild volume gradually before hard sessions.`,
      });
    }
  }
  if (breakStart && vdot) {
    const evidenceDay = vdot.date.slice(0, 10);
    if (evidenceDay < breakStart) {
      flags.push({
        code: 'vdot_before_break',
        message: `VDOT ${vdot.vdot} rests on a ${vdot.kind === 'race' ? 'race' : 'top effort'} of ${evidenceDay} (${weeks(daysBetween(evidenceDay, today))} ago), before the break: Daniels paces from it overstate current fitness. Run by feel and re-test (a race or time trial) before using T, I or R paces.`,
      });
    }
  }
  return flags;
}

/** The newest break of ≥ 14 days whose first session back is within the last 28 days. */
function lastReturn(workouts: readonly SummaryWorkout[], today: string): { from: string; to: string; days: number; firstBack: string } | null {
  let newer: string | null = null;
  for (const w of workouts) {
    if (w.day > today || w.day === newer) continue;
    if (newer !== null) {
      if (daysBetween(newer, today) >= BREAK_RULES.returnWindowDays) return null;
      const days = daysBetween(w.day, newer) - 1;
      if (days >= BREAK_RULES.returnBreakDays) return { from: addDays(w.day, 1), to: addDays(newer, -1), days, firstBack: newer };
    }
    newer = w.day;
  }
  return null;
}
