import type { AthleteThresholds, IntervalsActivity, WorkoutRecord } from '@splits/contracts';
import { median, num, sportFamily } from '../units.js';
import { currentVdot } from '../vdot-history.js';
import { danielsPaces } from '../vdot.js';

/** The thresholds the rules judge a run against, and where each came from. */
export interface RunThresholds {
  /** Threshold pace as a speed, m/s. */
  thresholdSpeed: number | null;
  lthr: number | null;
  maxHr: number | null;
  source: { pace: ThresholdSource | null; hr: ThresholdSource | null };
}
export type ThresholdSource = 'settings' | 'activity' | 'history';

/** What the athlete's history says about their running (what a long run is for them, fitness). */
export interface RunHistory {
  /** Runs in the history window. */
  runs: number;
  /** Median moving time of those runs, s. */
  medianSecs: number | null;
  /** Threshold speed (m/s) from the current VDOT (races and top efforts), when there is one. */
  thresholdSpeed: number | null;
  /** Highest max HR seen, bpm. */
  maxHrSeen: number | null;
}

type HistoryRecord = Pick<WorkoutRecord, 'id' | 'date' | 'workoutType' | 'sessionType' | 'distance' | 'movingTime' | 'intensity' | 'maxHr'>;

/** Summarises an athlete's earlier runs (any order) for the rules; pure. */
export function runHistoryOf(records: readonly HistoryRecord[], now: Date = new Date()): RunHistory {
  const from = now.getTime() - 120 * 86_400_000;
  const runs = records.filter((r) => sportFamily(r.workoutType) === 'run' && r.movingTime && Date.parse(r.date) >= from && Date.parse(r.date) < now.getTime());
  const vdot = currentVdot(records, now);
  const maxHrs = runs.map((r) => r.maxHr).filter((h): h is number => h !== null && h > 100 && h < 230);
  return {
    runs: runs.length,
    medianSecs: runs.length >= 5 ? median(runs.map((r) => r.movingTime as number)) : null,
    // Daniels T pace is a pace, not a zone: its faster end is the athlete's threshold speed.
    thresholdSpeed: vdot ? 1000 / danielsPaces(vdot.vdot).T.fromSecPerKm : null,
    maxHrSeen: maxHrs.length >= 5 ? Math.max(...maxHrs) : null,
  };
}

/**
 * Sport settings first; then what Intervals.icu stamped on the activity (threshold_pace, lthr,
 * icu_hr_zones, athlete_max_hr); then estimates from history (threshold pace from the current
 * VDOT, LTHR ≈ 90 % of the highest max HR seen). A threshold nobody knows stays null.
 */
export function resolveThresholds(
  settings: Pick<AthleteThresholds, 'lthr' | 'maxHr' | 'thresholdPaceMps' | 'hrZones'> | null | undefined,
  activity: Pick<IntervalsActivity, 'threshold_pace' | 'lthr' | 'icu_hr_zones' | 'athlete_max_hr'> | null | undefined,
  history?: RunHistory | null,
): RunThresholds {
  const positive = (v: unknown) => {
    const n = num(v);
    return n !== null && n > 0 ? n : null;
  };
  const pick = <T>(...c: Array<[T | null, ThresholdSource]>): [T | null, ThresholdSource | null] => c.find(([v]) => v !== null) ?? [null, null];

  // Intervals.icu's default run HR zones put the top of Z4 just below LTHR.
  const zones = settings?.hrZones ?? activity?.icu_hr_zones ?? null;
  const lthrFromZones = zones && zones.length >= 5 ? (zones[3] as number) + 1 : null;
  const maxHr = positive(settings?.maxHr) ?? positive(activity?.athlete_max_hr) ?? history?.maxHrSeen ?? null;
  const [thresholdSpeed, paceSource] = pick<number>(
    [positive(settings?.thresholdPaceMps), 'settings'],
    [positive(activity?.threshold_pace), 'activity'],
    [history?.thresholdSpeed ?? null, 'history'],
  );
  const [lthr, hrSource] = pick<number>(
    [positive(settings?.lthr), 'settings'],
    [positive(activity?.lthr), 'activity'],
    [lthrFromZones, 'activity'],
    [maxHr !== null ? Math.round(maxHr * 0.9) : null, 'history'],
  );
  return { thresholdSpeed, lthr, maxHr, source: { pace: paceSource, hr: hrSource } };
}
