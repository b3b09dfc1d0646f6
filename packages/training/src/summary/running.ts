import { formatDuration, formatPace, round, sportFamily } from '../units.js';
import type { AthleteThresholds } from '@splits/contracts';
import { EFFORT_TARGETS, type StretchEffort } from '../best-efforts.js';
import { classificationInputs } from '../calibration/as-of.js';
import type { PaceModel } from '../calibration/calibrate.js';
import { currentVdot, paceJournal, type VdotEvidence } from '../vdot-history.js';
import type { RiskFlag } from './condition.js';
import { danielsPaces, equivalentRaceTimes, type PaceRange } from '../vdot.js';
import type { SummaryWorkout, WorkoutBestEffortsInput } from './input.js';
import { daysBetween } from './time.js';

/** Best efforts look back a year: last season's records, not the athlete's youth. */
export const EFFORT_DAYS = 365;
/** The pace journal looks at the last 12 weeks: the current block, not last year's. */
const JOURNAL_DAYS = 84;

/** The fastest stretch of any run over a standard distance (or the farthest in a standard time). */
export interface BestEffort {
  /** "5K", "1 mile", "20 min" */
  effort: string;
  /** The stretch's time, "0:20:00" (pauses inside it included). */
  time: string;
  /** km of the stretch: the distance itself, or how far the athlete got in the time. */
  distance: number;
  pace: string;
  date: string;
  workoutId: string;
  activityName: string | null;
  /** The run was a race (session type Race). */
  race: boolean;
  /** Where in the run the stretch began: km and time after the start. */
  startKm: number;
  startTime: string;
  /** The whole run's distance (km), when known. */
  runKm: number | null;
  /** Present when measured on lap totals (no streams): even pace inside each lap, so a lower bound. */
  fromLaps?: true;
}

/** VDOT evidence, with the raced block when the race was part of a longer activity. */
export interface EvidenceLine {
  workoutId: string;
  date: string;
  kind: string;
  vdot: number;
  /** The raced block (the whole activity when it is all race). */
  distance: number;
  time: string;
  pace: string;
  /** Which part was raced, e.g. "laps 3–8 (5.00 km)"; absent when the whole activity counts. */
  block?: string;
  /** The whole activity, when it differs from the block. */
  whole?: { distance: number; time: string; pace: string };
}

/** The threshold pace the classifier judges runs against, where it came from, and the settings beside it. */
export interface ThresholdSection {
  /** "4:12/km", null when nothing supports one. */
  pace: string | null;
  /** intervals_cs | race | efforts | heart_rate | settings (see the record's classification.thresholdSource). */
  source: string | null;
  /** The Intervals.icu setting, "4:25/km", null when none. */
  settingsPace: string | null;
  /** Calibrated vs settings, %: +5 means the athlete is 5 % faster than the settings say. */
  settingsGapPct: number | null;
  /** Off by more than 5 % for two weeks: the summary's flags say so too. */
  staleSettings: boolean;
  /** Critical speed and D′: Intervals.icu's model (csSource intervals) or our own fit to the best efforts of 3–20 min. */
  criticalSpeedPace: string | null;
  dPrimeM: number | null;
  csSource: 'intervals' | 'own_fit' | null;
  /** The efforts behind the value (at most 3). */
  evidence: { workoutId: string; date: string; kind: string; distance: number; time: string; block: string | null; vdot: number }[];
}

export interface RunningSection {
  threshold: ThresholdSection;
  /** null when no race or top effort supports one (never guessed from easy running). */
  vdot: number | null;
  evidence: EvidenceLine[];
  /** Daniels training paces, "m:ss–m:ss/km". */
  paces: Record<'E' | 'M' | 'T' | 'I' | 'R', string> | null;
  predictions: { distance: string; time: string; pace: string }[];
  /** Fastest stretches of any run in the last 365 days over 400 m … marathon, then farthest in 5 … 60 min. */
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
export function buildRunning(
  workouts: readonly SummaryWorkout[],
  now: Date,
  today: string,
  measured: readonly WorkoutBestEffortsInput[] = [],
  settings: Pick<AthleteThresholds, 'thresholdPaceMps' | 'lthr' | 'maxHr'> | null = null,
  paceModels: readonly PaceModel[] = [],
): { section: RunningSection; paceJournal: PaceJournalLine[] } {
  const runs = workouts.filter((w) => sportFamily(w.workoutType) === 'run');
  const current = currentVdot(runs, now);
  const bestEfforts = efforts(runs, measured, today);
  const threshold = thresholdSection(runs, now, settings, paceModels);
  if (!current) return { section: { threshold, vdot: null, evidence: [], paces: null, predictions: [], bestEfforts }, paceJournal: [] };

  const paces = danielsPaces(current.vdot);
  const recent = runs.filter((w) => daysBetween(w.day, today) < JOURNAL_DAYS);
  return {
    section: {
      threshold,
      vdot: current.vdot,
      evidence: current.evidence.slice(0, 3).map(evidenceLine),
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

/**
 * Issue 12 names the raced block of a race inside a longer activity: `distanceKm`/`timeSec` are the
 * block's, `whole` the activity's when it differs, `block` which part it was. Read defensively so
 * that evidence without those fields (top efforts, older evidence) renders as before.
 */
type RacedEvidence = VdotEvidence & { whole?: { distanceKm: number; timeSec: number } | null; block?: string | null };

export function evidenceLine(e: RacedEvidence): EvidenceLine {
  const line: EvidenceLine = {
    workoutId: e.workoutId,
    date: e.date.slice(0, 10),
    kind: e.kind,
    vdot: e.vdot,
    distance: round(e.distanceKm, 2),
    time: formatDuration(e.timeSec),
    pace: secPace(e.timeSec / e.distanceKm),
  };
  if (e.block) line.block = e.block;
  if (e.whole && (Math.abs(e.whole.distanceKm - e.distanceKm) > 0.005 || Math.abs(e.whole.timeSec - e.timeSec) >= 1)) {
    line.whole = { distance: round(e.whole.distanceKm, 2), time: formatDuration(e.whole.timeSec), pace: secPace(e.whole.timeSec / e.whole.distanceKm) };
  }
  return line;
}

/** For each standard distance and time, the best stretch among the runs of the last 365 days. */
function efforts(runs: readonly SummaryWorkout[], measured: readonly WorkoutBestEffortsInput[], today: string): BestEffort[] {
  const byId = new Map<string, SummaryWorkout>();
  for (const r of runs) if (daysBetween(r.day, today) < EFFORT_DAYS) byId.set(r.id, r);
  const best = new Map<string, { e: StretchEffort; w: SummaryWorkout; laps: boolean }>();
  for (const m of measured) {
    const w = byId.get(m.workoutId);
    if (!w) continue;
    for (const e of m.efforts) {
      const cur = best.get(e.label);
      // Distances: the shortest time; durations: the longest distance. A tie goes to the newer run.
      const better = !cur || (e.kind === 'distance' ? e.timeSec < cur.e.timeSec : e.distanceM > cur.e.distanceM) || (tie(e, cur.e) && w.day > cur.w.day);
      if (better) best.set(e.label, { e, w, laps: m.basis === 'laps' });
    }
  }
  const out: BestEffort[] = [];
  for (const target of EFFORT_TARGETS) {
    const b = best.get(target.label);
    if (!b) continue;
    const { e, w } = b;
    out.push({
      effort: e.label,
      time: formatDuration(e.timeSec),
      distance: round(e.distanceM / 1000, 2),
      pace: secPace(e.timeSec / (e.distanceM / 1000)),
      date: w.day,
      workoutId: w.id,
      activityName: w.activityName,
      race: w.sessionType === 'Race',
      startKm: round(e.startM / 1000, 2),
      startTime: formatDuration(e.startSec),
      runKm: w.distance === null ? null : round(w.distance, 2),
      ...(b.laps ? { fromLaps: true as const } : {}),
    });
  }
  return out;
}
const tie = (a: StretchEffort, b: StretchEffort) => (a.kind === 'distance' ? a.timeSec === b.timeSec : a.distanceM === b.distanceM);

/** The calibration as of now from the athlete's runs, beside the settings (issue 12). */
function thresholdSection(runs: readonly SummaryWorkout[], now: Date, settings: Pick<AthleteThresholds, 'thresholdPaceMps' | 'lthr' | 'maxHr'> | null, paceModels: readonly PaceModel[]): ThresholdSection {
  const { calibration: c, staleSettings } = classificationInputs(runs, now, settings, null, paceModels);
  const pace = (mps: number | null) => (mps ? secPace(1000 / mps) : null);
  return {
    pace: pace(c.thresholdSpeed),
    source: c.source,
    settingsPace: pace(c.settingsSpeed),
    settingsGapPct: c.settingsGap === null ? null : round(c.settingsGap * 100, 1),
    staleSettings,
    criticalSpeedPace: pace(c.criticalSpeed),
    dPrimeM: c.dPrime,
    csSource: c.csSource,
    evidence: c.evidence.slice(0, 3).map((e) => ({ workoutId: e.workoutId, date: e.date.slice(0, 10), kind: e.kind, distance: round(e.distanceKm, 2), time: formatDuration(e.timeSec), block: e.block, vdot: e.vdot })),
  };
}

/** The flag the summary raises when the settings have been stale for two weeks. */
export function thresholdFlag(t: ThresholdSection): RiskFlag | null {
  if (!t.staleSettings || !t.settingsPace || !t.pace) return null;
  const why = t.evidence[0] ? ` (best recent evidence: ${t.evidence[0].distance} km in ${t.evidence[0].time} on ${t.evidence[0].date})` : '';
  return {
    code: 'threshold_settings_stale',
    message: `Your Intervals.icu threshold pace is ${t.settingsPace}; your recent efforts say ${t.pace}${why}. Splits judges sessions against ${t.pace}; update the setting in Intervals.icu so its zones and loads agree.`,
  };
}
