import { formatDuration, formatPace, round, sportFamily } from '../units.js';
import type { AthleteThresholds } from '@splits/contracts';
import { classificationInputs } from '../calibration/as-of.js';
import type { RiskFlag } from './condition.js';
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

/** The threshold pace the classifier judges runs against, where it came from, and the settings beside it. */
export interface ThresholdSection {
  /** "4:12/km", null when nothing supports one. */
  pace: string | null;
  /** race | efforts | heart_rate | settings (see the record's classification.thresholdSource). */
  source: string | null;
  /** The Intervals.icu setting, "4:25/km", null when none. */
  settingsPace: string | null;
  /** Calibrated vs settings, %: +5 means the athlete is 5 % faster than the settings say. */
  settingsGapPct: number | null;
  /** Off by more than 5 % for two weeks: the summary's flags say so too. */
  staleSettings: boolean;
  /** Critical speed and D′ fitted to the best efforts of 3–20 min, when the fit is good. */
  criticalSpeedPace: string | null;
  dPrimeM: number | null;
  /** The efforts behind the value (at most 3). */
  evidence: { workoutId: string; date: string; kind: string; distance: number; time: string; block: string | null; vdot: number }[];
}

export interface RunningSection {
  threshold: ThresholdSection;
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
export function buildRunning(
  workouts: readonly SummaryWorkout[],
  now: Date,
  today: string,
  settings: Pick<AthleteThresholds, 'thresholdPaceMps' | 'lthr' | 'maxHr'> | null = null,
): { section: RunningSection; paceJournal: PaceJournalLine[] } {
  const runs = workouts.filter((w) => sportFamily(w.workoutType) === 'run');
  const current = currentVdot(runs, now);
  const bestEfforts = efforts(runs, today);
  const threshold = thresholdSection(runs, now, settings);
  if (!current) return { section: { threshold, vdot: null, evidence: [], paces: null, predictions: [], bestEfforts }, paceJournal: [] };

  const paces = danielsPaces(current.vdot);
  const recent = runs.filter((w) => daysBetween(w.day, today) < JOURNAL_DAYS);
  return {
    section: {
      threshold,
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

/** The calibration as of now from the athlete's runs, beside the settings (issue 12). */
function thresholdSection(runs: readonly SummaryWorkout[], now: Date, settings: Pick<AthleteThresholds, 'thresholdPaceMps' | 'lthr' | 'maxHr'> | null): ThresholdSection {
  const { calibration: c, staleSettings } = classificationInputs(runs, now, settings);
  const pace = (mps: number | null) => (mps ? secPace(1000 / mps) : null);
  return {
    pace: pace(c.thresholdSpeed),
    source: c.source,
    settingsPace: pace(c.settingsSpeed),
    settingsGapPct: c.settingsGap === null ? null : round(c.settingsGap * 100, 1),
    staleSettings,
    criticalSpeedPace: pace(c.criticalSpeed),
    dPrimeM: c.dPrime,
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
