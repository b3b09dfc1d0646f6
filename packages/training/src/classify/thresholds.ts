import type { AthleteThresholds, IntervalsActivity, WorkoutRecord } from '@splits/contracts';
import { GPS_MAX_RUN_SPEED, median, positive, sportFamily } from '../units.js';
import type { CalibrationSource, ThresholdCalibration } from '../calibration/calibrate.js';

/** The thresholds the rules judge a run against, and where each came from. */
export interface RunThresholds {
  /** Threshold pace as a speed, m/s. */
  thresholdSpeed: number | null;
  lthr: number | null;
  maxHr: number | null;
  source: { pace: ThresholdSource | null; hr: ThresholdSource | null };
  /** The best VDOT the athlete's recent running shows (calibration evidence), when known. */
  bestVdot?: number | null;
}
/**
 * Where a threshold came from: the athlete's own running (race, efforts, heart rate: see
 * calibrateThreshold), the sport settings, what Intervals.icu stamped on the activity, or an
 * estimate from history (LTHR from the highest max HR).
 */
export type ThresholdSource = CalibrationSource | 'activity' | 'history';

/** What the athlete's history says about their running (what a long run is for them, fitness). */
export interface RunHistory {
  /** Runs in the history window. */
  runs: number;
  /** Median moving time of those runs, s. */
  medianSecs: number | null;
  /** Median speed of those runs (m/s): the athlete's usual running, judged without thresholds. */
  usualSpeed: number | null;
  /** Highest max HR seen, bpm. */
  maxHrSeen: number | null;
}

type HistoryRecord = Pick<WorkoutRecord, 'date' | 'workoutType' | 'distance' | 'movingTime' | 'maxHr'>;

/**
 * Summarises an athlete's runs before `now` (any order; the last 120 days) for the rules; pure. Reads
 * only what Intervals.icu measured, never an earlier label, so the answer does not depend on the
 * order activities arrived in.
 */
export function runHistoryOf(records: readonly HistoryRecord[], now: Date = new Date()): RunHistory {
  const from = now.getTime() - 120 * 86_400_000;
  const runs = records.filter((r) => sportFamily(r.workoutType) === 'run' && r.movingTime && Date.parse(r.date) >= from && Date.parse(r.date) < now.getTime());
  const maxHrs = runs.map((r) => r.maxHr).filter((h): h is number => h !== null && h > 100 && h < 230);
  const speeds = runs.map((r) => (r.distance ? (r.distance * 1000) / (r.movingTime as number) : null)).filter((v): v is number => v !== null && v > 0.5 && v < GPS_MAX_RUN_SPEED);
  return {
    runs: runs.length,
    medianSecs: runs.length >= 5 ? median(runs.map((r) => r.movingTime as number)) : null,
    usualSpeed: speeds.length >= 5 ? median(speeds) : null,
    maxHrSeen: maxHrs.length >= 5 ? Math.max(...maxHrs) : null,
  };
}

/**
 * Threshold pace: the calibration (the athlete's own running, which already weighed the settings);
 * without one, the sport settings, then what Intervals.icu stamped on the activity. LTHR and max
 * HR: settings, activity, then estimates from history (LTHR ≈ 90 % of the highest max HR seen).
 * A threshold nobody knows stays null.
 */
export function resolveThresholds(
  settings: Pick<AthleteThresholds, 'lthr' | 'maxHr' | 'thresholdPaceMps' | 'hrZones'> | null | undefined,
  activity: Pick<IntervalsActivity, 'threshold_pace' | 'lthr' | 'icu_hr_zones' | 'athlete_max_hr'> | null | undefined,
  history?: RunHistory | null,
  calibration?: Pick<ThresholdCalibration, 'thresholdSpeed' | 'source' | 'evidence'> | null,
): RunThresholds {
  const pick = <T>(...c: Array<[T | null, ThresholdSource]>): [T | null, ThresholdSource | null] => c.find(([v]) => v !== null) ?? [null, null];

  // Intervals.icu's default run HR zones put the top of Z4 just below LTHR.
  const zones = settings?.hrZones ?? activity?.icu_hr_zones ?? null;
  const lthrFromZones = zones && zones.length >= 5 ? (zones[3] as number) + 1 : null;
  const maxHr = positive(settings?.maxHr) ?? positive(activity?.athlete_max_hr) ?? history?.maxHrSeen ?? null;
  const [thresholdSpeed, paceSource] = pick<number>(
    [calibration?.source ? positive(calibration.thresholdSpeed) : null, calibration?.source ?? 'settings'],
    [positive(settings?.thresholdPaceMps), 'settings'],
    [positive(activity?.threshold_pace), 'activity'],
  );
  const [lthr, hrSource] = pick<number>(
    [positive(settings?.lthr), 'settings'],
    [positive(activity?.lthr), 'activity'],
    [lthrFromZones, 'activity'],
    [maxHr !== null ? Math.round(maxHr * 0.9) : null, 'history'],
  );
  const bestVdot = calibration?.evidence.length ? Math.max(...calibration.evidence.map((e) => e.vdot)) : null;
  return { thresholdSpeed, lthr, maxHr, source: { pace: paceSource, hr: hrSource }, bestVdot };
}

/** The threshold settings the calibration weighs: the sport settings, else what the activity carries. */
export function calibrationSettingsOf(
  settings: Pick<AthleteThresholds, 'lthr' | 'maxHr' | 'thresholdPaceMps'> | null | undefined,
  activity: Pick<IntervalsActivity, 'threshold_pace' | 'lthr' | 'athlete_max_hr'> | null | undefined,
): { thresholdSpeed: number | null; lthr: number | null; maxHr: number | null } {
  return {
    thresholdSpeed: positive(settings?.thresholdPaceMps) ?? positive(activity?.threshold_pace),
    lthr: positive(settings?.lthr) ?? positive(activity?.lthr),
    maxHr: positive(settings?.maxHr) ?? positive(activity?.athlete_max_hr),
  };
}
