import { formatDuration, formatPace, round, sportFamily } from '../units.js';
import { currentVdot, paceJournal } from '../vdot-history.js';
import { danielsPaces, equivalentRaceTimes, type PaceRange } from '../vdot.js';
import type { SummaryWorkout } from './input.js';
import { daysBetween } from './time.js';

/** Standard distances a run may count as a best effort for: within −2 % … +5 % of the distance. */
const EFFORT_DISTANCES = [
  { name: '5K', km: 5 },
  { name: '10K', km: 10 },
  { name: 'Half marathon', km: 21.0975 },
  { name: 'Marathon', km: 42.195 },
] as const;
const EFFORT_DAYS = 365;
/** The pace journal looks at the last 12 weeks: the current block, not last year's. */
const JOURNAL_DAYS = 84;

export interface BestEffort {
  distanceName: string;
  workoutId: string;
  date: string;
  sessionType: string;
  /** The run's own distance (km) and time: never scaled to the standard distance. */
  distance: number;
  time: string;
  pace: string;
}

export interface RunningSection {
  /** null when no race or top effort supports one (never guessed from easy running). */
  vdot: number | null;
  evidence: { workoutId: string; date: string; distance: number; time: string; vdot: number; kind: string }[];
  /** Daniels training paces, "m:ss–m:ss/km". */
  paces: Record<'E' | 'M' | 'T' | 'I' | 'R', string> | null;
  predictions: { distance: string; time: string; pace: string }[];
  /** Fastest runs over the standard distances in the last 365 days. */
  bestEfforts: BestEffort[];
}

export interface PaceJournalLine {
  sessionType: string;
  zone: string;
  planned: string;
  actual: string;
  sessions: number;
  faster: number;
  within: number;
  slower: number;
}

const secPace = (secPerKm: number) => `${formatPace(secPerKm / 60)}/km`;
const range = (r: PaceRange) => `${formatPace(r.fromSecPerKm / 60)}–${formatPace(r.toSecPerKm / 60)}/km`;

/** workouts: newest first, runs and everything else. */
export function buildRunning(workouts: readonly SummaryWorkout[], now: Date, today: string): { section: RunningSection; paceJournal: PaceJournalLine[] } {
  const runs = workouts.filter((w) => sportFamily(w.workoutType) === 'run');
  const current = currentVdot(runs, now);
  const bestEfforts = efforts(runs, today);
  if (!current) return { section: { vdot: null, evidence: [], paces: null, predictions: [], bestEfforts }, paceJournal: [] };

  const paces = danielsPaces(current.vdot);
  const recent = runs.filter((w) => daysBetween(w.day, today) < JOURNAL_DAYS);
  return {
    section: {
      vdot: current.vdot,
      evidence: current.evidence.slice(0, 3).map((e) => ({
        workoutId: e.workoutId,
        date: e.date.slice(0, 10),
        distance: round(e.distanceKm, 2),
        time: formatDuration(e.timeSec),
        vdot: e.vdot,
        kind: e.kind,
      })),
      paces: { E: range(paces.E), M: range(paces.M), T: range(paces.T), I: range(paces.I), R: range(paces.R) },
      predictions: equivalentRaceTimes(current.vdot).map((p) => ({ distance: p.name, time: formatDuration(p.timeSec), pace: secPace(p.timeSec / (p.meters / 1000)) })),
      bestEfforts,
    },
    paceJournal: paceJournal(recent, current.vdot).map((j) => ({
      sessionType: j.sessionType,
      zone: j.zone,
      planned: range(j.planned),
      actual: secPace(j.actualSecPerKm),
      sessions: j.sessions,
      faster: j.faster,
      within: j.within,
      slower: j.slower,
    })),
  };
}

function efforts(runs: readonly SummaryWorkout[], today: string): BestEffort[] {
  const out: BestEffort[] = [];
  for (const d of EFFORT_DISTANCES) {
    let best: SummaryWorkout | null = null;
    for (const r of runs) {
      if (r.distance === null || !r.movingTime || daysBetween(r.day, today) >= EFFORT_DAYS) continue;
      if (r.distance < d.km * 0.98 || r.distance > d.km * 1.05) continue;
      if (!best || r.movingTime / r.distance < best.movingTime! / best.distance!) best = r;
    }
    if (best) {
      out.push({
        distanceName: d.name,
        workoutId: best.id,
        date: best.day,
        sessionType: best.sessionType,
        distance: round(best.distance!, 2),
        time: formatDuration(best.movingTime!),
        pace: secPace(best.movingTime! / best.distance!),
      });
    }
  }
  return out;
}
