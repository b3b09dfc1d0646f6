import type { IntervalsInterval, RecordInterval } from '@splits/contracts';
import { detectReps, lapsFromIntervals, type Lap, type RepStructure } from './laps.js';
import { cv, formatPace, median, minPerKm, round, type SportFamily } from './units.js';
import type { Locale } from './telegram-catalog.js';

export interface IntervalSummary {
  work: string;
  recovery: string | null;
}

/**
 * The seconds formatRepTime shows: 5-s steps below 2 min, whole minutes within 10 s of one, else
 * 15-s steps. Formatting the result again gives the same text, so a reason can store it.
 */
export function roundRepTime(secs: number): number {
  if (secs < 120) {
    const d = Math.round(secs / 5) * 5;
    if (d < 120) return d;
  }
  const whole = Math.round(secs / 60);
  if (Math.abs(secs - whole * 60) <= 10) return whole * 60;
  return Math.round(secs / 15) * 15;
}

const REP_UNITS: Record<Locale, { s: string; min: string; m: string }> = { en: { s: 's', min: 'min', m: 'm' }, ru: { s: 'с', min: 'мин', m: 'м' } };

/** "8 min", "3:30 min", "45 s" (ru: "8 мин", "3:30 мин", "45 с"). */
export function formatRepTime(secs: number, locale: Locale = 'en'): string {
  const d = roundRepTime(secs);
  const u = REP_UNITS[locale];
  if (d < 120) return `${d} ${u.s}`;
  if (d % 60 === 0) return `${d / 60} ${u.min}`;
  return `${Math.floor(d / 60)}:${String(d % 60).padStart(2, '0')} ${u.min}`;
}

/** Measured rep distances rounded to what was meant: 50 m steps below 2 km, 100 m above. */
export function roundRepDistance(m: number): number {
  const step = m < 2000 ? 50 : 100;
  return Math.round(m / step) * step;
}

export function formatRepDistance(m: number, locale: Locale = 'en'): string {
  return `${roundRepDistance(m)} ${REP_UNITS[locale].m}`;
}

/**
 * `{work: "4 x 8 min", recovery: "3 min jog"}` when the session has structure. Time or distance,
 * whichever the reps repeat more exactly (a distance rep varies in time and vice versa); swims by
 * distance, rides by time.
 */
export function summariseStructure(laps: readonly Lap[], s: RepStructure, family: SportFamily): IntervalSummary {
  const reps = s.reps.map((k) => laps[k] as Lap);
  const times = reps.map((l) => l.movingTime ?? 0);
  const dists = reps.map((l) => l.distance);
  const distanceKnown = family !== 'ride' && dists.every((d): d is number => d !== null && d > 0);
  // Pool sets are written in metres; elsewhere the more regular measure is the one that was meant.
  const byDistance = distanceKnown && (family === 'swim' || cv(dists as number[]) < cv(times));
  const work = `${reps.length} x ${byDistance ? formatRepDistance(median(dists as number[])) : formatRepTime(median(times))}`;

  const gapSecs = s.gaps.map((g) => g.reduce((a, k) => a + ((laps[k]?.elapsedTime ?? laps[k]?.movingTime) ?? 0), 0));
  if (gapSecs.every((t) => t === 0)) return { work, recovery: null };
  const gapLaps = s.gaps.flat().map((k) => laps[k] as Lap);
  const moved = gapLaps.reduce((a, l) => a + (l.distance ?? 0), 0);
  const speed = moved / Math.max(1, gapLaps.reduce((a, l) => a + ((l.elapsedTime ?? l.movingTime) ?? 0), 0));
  const how =
    family === 'run' ? (speed >= 1.6 ? 'jog' : speed >= 0.6 ? 'walk' : 'rest') : family === 'ride' ? 'easy' : 'rest';
  return { work, recovery: `${formatRepTime(median(gapSecs))} ${how}` };
}

export function intervalSummaryOf(intervals: readonly IntervalsInterval[] | null | undefined, family: SportFamily): IntervalSummary | null {
  if (!intervals?.length) return null;
  const laps = lapsFromIntervals(intervals);
  const s = detectReps(laps, family === 'ride');
  return s ? summariseStructure(laps, s, family) : null;
}

/**
 * The full interval list (full=1). Detected reps are "Work 1…n" and what lies between them
 * "Recovery 1…"; around them "Warm-up"/"Cool-down". Without structure, Intervals.icu's label or
 * its own WORK/RECOVERY typing names them. Run cadence is in steps/min like the record's.
 */
export function recordIntervals(intervals: readonly IntervalsInterval[] | null | undefined, family: SportFamily): RecordInterval[] {
  if (!intervals?.length) return [];
  const sorted = [...intervals].sort((a, b) => (a.start_index ?? a.start_time ?? 0) - (b.start_index ?? b.start_time ?? 0));
  const laps = lapsFromIntervals(sorted);
  const s = detectReps(laps, family === 'ride');
  const names = nameLaps(laps, s);
  return sorted.map((i, k) => {
    const lap = laps[k] as Lap;
    const pace = family === 'run' ? minPerKm(lap.speed) : null;
    const cadence = i.average_cadence ?? null;
    return {
      name: i.label || (names[k] as string),
      type: i.type ?? null,
      moving_time: lap.movingTime,
      distance: lap.distance === null ? null : Math.round(lap.distance),
      avg_hr: lap.hr === null ? null : Math.round(lap.hr),
      max_hr: i.max_heartrate ?? null,
      pace: pace === null ? null : `${formatPace(pace)}/km`,
      avg_watts: lap.watts,
      cadence: cadence === null ? null : family === 'run' && cadence < 120 ? Math.round(cadence * 2) : round(cadence),
    };
  });
}

function nameLaps(laps: readonly Lap[], s: RepStructure | null): string[] {
  if (s) {
    const first = s.reps[0] as number;
    const last = s.reps[s.reps.length - 1] as number;
    return laps.map((_, k) => {
      if (k < first) return 'Warm-up';
      if (k > last) return 'Cool-down';
      const rep = s.reps.indexOf(k);
      return rep >= 0 ? `Work ${rep + 1}` : `Recovery ${s.gaps.findIndex((g) => g.includes(k)) + 1}`;
    });
  }
  let work = 0;
  let rec = 0;
  return laps.map((l) => (l.type === 'RECOVERY' ? `Recovery ${++rec}` : `Work ${++work}`));
}
