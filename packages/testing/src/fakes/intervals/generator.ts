import { buildActivity, type FakeActivity } from './activity.js';
import { applyFitness, decayFitness, stepFitness, type FakeWellness } from './fitness.js';
import { Random, hashSeed, round } from './prng.js';
import { makeProfile, type FakeAthleteProfile } from './profile.js';
import { planSession, type FakeSessionKind } from './sessions.js';
import { addDays, daysBetween, localDate, zonedToUtc } from './time.js';

export type { FakeActivity, FakeActivityJson } from './activity.js';
export type { FakeWellness } from './fitness.js';
export type { FakeGroup, FakeInterval } from './laps.js';
export type { FakeAthleteProfile } from './profile.js';
export type { FakeSessionKind, SessionPlan } from './sessions.js';
export { RUN_KINDS, OTHER_KINDS } from './sessions.js';
export { generateStreams, streamsToWire, type FakeStreams } from './streams.js';
export { CTL_DAYS, ATL_DAYS } from './fitness.js';

export interface FakeAthlete {
  seed: number;
  /** Intervals.icu athlete id, `i` + digits. */
  athleteId: string;
  profile: FakeAthleteProfile;
  /** Oldest first. */
  activities: FakeActivity[];
  /** One row per local day, oldest first, up to the local date of `now`. */
  wellness: FakeWellness[];
  now: Date;
  /** Numeric part of the next activity id `makeNewActivity` hands out (mutated by it). */
  nextActivityNumber: number;
}

export interface GenerateAthleteOptions {
  seed: number;
  intervalsAthleteId?: string;
  weeks?: number;
  now?: Date;
  /**
   * Sessions per week, drawn uniformly (at most 8: the 8th is a second easy run on a Wednesday).
   * Default 4–7; any other value changes the random stream, so the default athletes stay as they are.
   */
  sessionsPerWeek?: { min: number; max: number };
}

/** Seeds 0..3999 get disjoint 9-digit activity-id ranges, so many athletes fit in one fake. */
function idSlot(seed: number): number {
  return Number.isInteger(seed) && seed >= 0 && seed < 4000 ? seed : hashSeed(seed) % 4000;
}

type Slot = { day: number; kind: FakeSessionKind };

function weekPlan(week: number, rng: Random, perWeek = { min: 4, max: 7 }): Slot[] {
  const race = week % 8 === 5;
  const slots: Slot[] = [
    { day: 6, kind: race ? 'race' : 'long' },
    { day: 1, kind: week % 2 === 0 ? 'threshold' : 'intervals' },
    { day: 3, kind: rng.chance(0.15) ? 'swim' : 'easy' },
    { day: 5, kind: week % 3 === 0 ? 'ride' : 'easy' },
    { day: 2, kind: week % 2 === 1 ? 'repetitions' : 'strength' },
    { day: 0, kind: 'recovery' },
    { day: 4, kind: rng.pick(['swim', 'sweetspot', 'easy', 'strength'] as const) },
    { day: 2, kind: 'easy' },
  ];
  return slots.slice(0, rng.int(Math.max(1, perWeek.min), Math.min(8, perWeek.max))).sort((a, b) => a.day - b.day);
}

function startTime(kind: FakeSessionKind, day: string, p: FakeAthleteProfile, rng: Random): Date {
  const morning = kind === 'long' || kind === 'race' || rng.chance(0.55);
  const h = kind === 'race' ? rng.int(8, 9) : morning ? rng.int(6, 8) : rng.int(17, 19);
  const pad = (v: number) => String(v).padStart(2, '0');
  return zonedToUtc(`${day}T${pad(h)}:${pad(rng.int(0, 59))}:${pad(rng.int(0, 59))}`, p.timezone);
}

/** A deterministic athlete: same options → identical activities, intervals, streams and wellness. */
export function generateAthlete(opts: GenerateAthleteOptions): FakeAthlete {
  const { seed, weeks = 26 } = opts;
  const now = opts.now ?? new Date();
  const rng = new Random(hashSeed(seed, 'athlete'));
  const profile = makeProfile(rng);
  const slot = idSlot(seed);
  const athleteId = opts.intervalsAthleteId ?? `i${200000 + (Number.isInteger(seed) && seed >= 0 && seed < 800000 ? seed : hashSeed(seed) % 800000)}`;
  const today = localDate(now, profile.timezone);
  const weekday = (new Date(`${today}T00:00:00Z`).getUTCDay() + 6) % 7; // Monday = 0
  const firstMonday = addDays(today, -weekday - weeks * 7);

  const activities: FakeActivity[] = [];
  let idNum = 100_000_000 + slot * 200_000;
  for (let w = 0; w <= weeks; w++) {
    for (const s of weekPlan(w, rng, opts.sessionsPerWeek)) {
      const day = addDays(firstMonday, w * 7 + s.day);
      const start = startTime(s.kind, day, profile, rng);
      const plan = planSession(s.kind, profile, rng, hashSeed(seed, 'act', activities.length));
      const secs = plan.segments.reduce((a, g) => a + g.secs, 0);
      if (start.getTime() + (secs + 900) * 1000 > now.getTime()) continue;
      idNum += rng.int(37, 900);
      activities.push(
        buildActivity({ id: `i${idNum}`, athleteId, start, plan, profile, externalId: String(21_000_000_000 + slot * 1_000_000 + activities.length * 137) }),
      );
    }
  }
  const startFitness = { ctl: rng.float(30, 50), atl: 0 };
  startFitness.atl = startFitness.ctl * rng.float(0.9, 1.2);
  const wellness = applyFitness(activities, profile, seed, firstMonday, today, startFitness);
  return { seed, athleteId, profile, activities, wellness, now, nextActivityNumber: idNum + 1000 };
}

export interface NewActivityOptions {
  kind: FakeSessionKind;
  /** Start of the activity (UTC instant). */
  at: Date;
  /** Overrides the activity name. */
  name?: string;
}

/**
 * A brand-new activity (what an ACTIVITY_UPLOADED webhook announces), with a fresh id and
 * icu_ctl/icu_atl that continue the athlete's history. Bumps `athlete.nextActivityNumber`; does
 * not append to `athlete.activities`.
 */
export function makeNewActivity(athlete: FakeAthlete, opts: NewActivityOptions): FakeActivity {
  const n = athlete.nextActivityNumber;
  athlete.nextActivityNumber += 1 + (hashSeed(athlete.seed, 'gap', n) % 500);
  const rng = new Random(hashSeed(athlete.seed, 'new', n));
  const plan = planSession(opts.kind, athlete.profile, rng, hashSeed(athlete.seed, 'newplan', n));
  if (opts.name) plan.name = opts.name;
  const fa = buildActivity({
    id: `i${n}`,
    athleteId: athlete.athleteId,
    start: opts.at,
    plan,
    profile: athlete.profile,
    externalId: String(22_000_000_000 + (n % 1_000_000_000)),
  });
  const day = localDate(opts.at, athlete.profile.timezone);
  const before = [...athlete.wellness].reverse().find((w) => w.id < day);
  let fit = before ? decayFitness(before, daysBetween(before.id, day) - 1) : { ctl: 0, atl: 0 };
  const sameDay = athlete.activities
    .filter((a) => a.activity.start_date_local.slice(0, 10) === day && Date.parse(a.activity.start_date) < opts.at.getTime())
    .reduce((s, a) => s + a.activity.icu_training_load, 0);
  fit = stepFitness(fit, sameDay + fa.activity.icu_training_load);
  fa.activity.icu_ctl = round(fit.ctl, 4);
  fa.activity.icu_atl = round(fit.atl, 4);
  return fa;
}
