import type { AthleteThresholds, IntervalsActivity, SessionReason } from '@splits/contracts';
import { lapsFromIntervals, lapsFromRecord } from '../laps.js';
import type { WorkoutRecordInput } from '../normalize.js';
import { num, sportFamily } from '../units.js';
import { declaredRace } from '../calibration/race-evidence.js';
import { renderReason } from '../reason-text.js';
import { classifyRun } from './rules.js';
import type { StructureAnalysis } from './structure.js';
import type { ThresholdCalibration } from '../calibration/calibrate.js';
import { resolveThresholds, type RunHistory, type RunThresholds } from './thresholds.js';

export interface ClassifyContext {
  /** The athlete's sport settings for this workout type (@splits/db getThresholds). */
  thresholds?: Pick<AthleteThresholds, 'lthr' | 'maxHr' | 'thresholdPaceMps' | 'hrZones'> | null;
  /** The athlete's earlier runs, summarised (runHistoryOf). */
  history?: RunHistory | null;
  /** The athlete's threshold as of this workout, from their own running (calibrateThreshold). */
  calibration?: ThresholdCalibration | null;
  /** A race (RACE_A/B/C) was planned on the workout's day. */
  plannedRace?: boolean;
  /** m/s; overrides settings (kept for callers that only know the pace). */
  thresholdPace?: number | null;
  /** bpm; overrides settings. */
  lthr?: number | null;
}

export interface Classification {
  sessionType: string;
  method: 'rules';
  /** 0–1: how sure the rules are; the classify worker asks the LLM below its threshold. */
  confidence: number;
  /** One line an athlete understands, in English (what assistants read). */
  reason: string;
  /** The same reason without words (a code and its numbers), rendered per language: renderReason. */
  why: SessionReason;
  /** Runs only: the structure the decision rests on (null for other sports). */
  structure: StructureAnalysis | null;
  thresholds: RunThresholds | null;
}

/**
 * Session type by rules. Other sports keep their workoutType. Runs are judged on their lap
 * structure against the athlete's thresholds (settings → activity → history; see
 * resolveThresholds) and history (what a long run is for them). Laps come from the activity's
 * icu_intervals when given, else from the record's own interval list.
 */
export function classifySession(record: WorkoutRecordInput, activity?: IntervalsActivity | null, ctx: ClassifyContext = {}): Classification {
  if (sportFamily(record.workoutType) !== 'run') {
    const why: SessionReason = { code: 'not_a_run', params: {} };
    return { sessionType: record.workoutType, method: 'rules', confidence: 1, reason: renderReason(why, 'en'), why, structure: null, thresholds: null };
  }
  const resolved = resolveThresholds(ctx.thresholds ?? null, activity ?? null, ctx.history ?? null, ctx.calibration ?? null);
  const thresholds: RunThresholds = {
    ...resolved,
    thresholdSpeed: num(ctx.thresholdPace) ?? resolved.thresholdSpeed,
    lthr: num(ctx.lthr) ?? resolved.lthr,
  };
  const laps = activity?.icu_intervals?.length ? lapsFromIntervals(activity.icu_intervals) : lapsFromRecord(record.intervals ?? []);
  const d = classifyRun({
    laps,
    totals: { movingTime: record.movingTime, distance: record.distance === null ? null : record.distance * 1000, avgHr: record.avgHr },
    race: declaredRace({ raceFlag: activity?.race === true || activity?.sub_type === 'RACE' || record.race === true, plannedRace: ctx.plannedRace, name: record.activityName }),
    thresholds,
    history: ctx.history ?? null,
  });
  return { sessionType: d.sessionType, method: 'rules', confidence: d.confidence, reason: d.reason, why: d.why, structure: d.structure, thresholds };
}
