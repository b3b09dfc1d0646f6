import type { AthleteThresholds, IntervalsActivity } from '@splits/contracts';
import { calibrationSettingsOf, runHistoryOf, type RunHistory } from '../classify/thresholds.js';
import { calibrateThreshold, type CalibrationRun, type PaceModel, type ThresholdCalibration } from './calibrate.js';

/** Settings this far off the athlete's own running, for two weeks, are worth telling them about. */
export const STALE_GAP = 0.05;
export const STALE_DAYS = 14;

export interface ClassificationInputs {
  calibration: ThresholdCalibration;
  history: RunHistory | null;
  /** The settings disagree with the athlete's own running by more than 5 %, now and two weeks ago. */
  staleSettings: boolean;
  /**
   * Everything above that can change a label, as one short string: two classifications with the
   * same key gave the same answer. Stored with the classification (workout.classified_with).
   */
  key: string;
}

type Run = CalibrationRun & { maxHr: number | null };

/**
 * What a run is classified against as of its start `at`: the calibration and the history from the
 * athlete's runs before it (any order, any number; others are ignored) and the settings. One
 * function for the classify worker, the recalibration and the evaluation, so they cannot disagree.
 */
export function classificationInputs(
  runs: readonly Run[],
  at: Date,
  settings: Pick<AthleteThresholds, 'lthr' | 'maxHr' | 'thresholdPaceMps'> | null | undefined,
  activity?: Pick<IntervalsActivity, 'threshold_pace' | 'lthr' | 'athlete_max_hr'> | null,
  paceModels: readonly PaceModel[] = [],
): ClassificationInputs {
  // What Intervals.icu stamped on the activity stands in only when there are no settings at all: the
  // classify worker and the recalibration then read the same inputs (and keys) for a run.
  const s = calibrationSettingsOf(settings, settings ? null : activity);
  const calibration = calibrateThreshold(runs, at, s, paceModels);
  const history = runs.length ? runHistoryOf(runs, at) : null;
  const earlier = calibrateThreshold(runs, new Date(at.getTime() - STALE_DAYS * 86_400_000), s, paceModels);
  const off = (c: ThresholdCalibration) => (c.source !== 'settings' && c.settingsGap !== null && Math.abs(c.settingsGap) > STALE_GAP ? Math.sign(c.settingsGap) : 0);
  const staleSettings = off(calibration) !== 0 && off(calibration) === off(earlier);
  const bestVdot = calibration.evidence.length ? Math.max(...calibration.evidence.map((e) => e.vdot)) : null;
  const key = [
    calibration.thresholdSpeed,
    calibration.source,
    bestVdot,
    s.lthr,
    s.maxHr,
    history?.medianSecs === null || history?.medianSecs === undefined ? null : Math.round(history.medianSecs),
    history?.usualSpeed === null || history?.usualSpeed === undefined ? null : Math.round(history.usualSpeed * 1000) / 1000,
    history?.maxHrSeen ?? null,
    staleSettings ? 1 : 0,
  ]
    .map((v) => (v === null || v === undefined ? '-' : String(v)))
    .join('|');
  return { calibration, history, staleSettings, key };
}

/** A short hash of an inputs key (for job ids): FNV-1a, base 36. */
export function inputsHash(key: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(36);
}
