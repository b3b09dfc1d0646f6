export { normalizeActivity, wellnessContext, intervalsActivityUrl, type NormalizeInput, type WorkoutRecordInput } from './normalize.js';
export { classifySession, type Classification, type ClassifyContext } from './classify/classify.js';
export { analyzeStructure, type StructureAnalysis, type Segment, type LapRole } from './classify/structure.js';
export { classifyRun, raceSpeedRel, longRunSecs, type RuleDecision, type RunTotals } from './classify/rules.js';
export { resolveThresholds, runHistoryOf, type RunThresholds, type RunHistory, type ThresholdSource } from './classify/thresholds.js';
export { formatWorkoutMessage } from './message.js';
export * from './summary/index.js';
export { splitsFromStreams } from './splits.js';
export { intervalSummaryOf, recordIntervals, formatRepTime, formatRepDistance, type IntervalSummary } from './interval-summary.js';
export { detectReps, lapsFromIntervals, lapsFromRecord, type Lap, type RepStructure } from './laps.js';
export { intensityLabel, labelFromIntensity, labelFromHrZones, type IntensityLabel } from './intensity.js';
export { sportMetrics, runCadenceSpm } from './sport-metrics.js';
export { formatPace, formatDuration, sportFamily, minPerKm, minPer100m, kmh, type SportFamily } from './units.js';
export {
  vdotFromPerformance,
  raceTimeForVdot,
  danielsPaces,
  equivalentRaceTimes,
  oxygenCost,
  sustainableFraction,
  velocityForVo2,
  RACE_DISTANCES,
  type DanielsPaces,
  type PaceRange,
} from './vdot.js';
export { currentVdot, vdotEvidence, paceJournal, SESSION_ZONE, type CurrentVdot, type VdotEvidence, type PaceJournalEntry } from './vdot-history.js';
