export {
  normalizeActivity,
  wellnessContext,
  plannedComparison,
  intervalsActivityUrl,
  type NormalizeInput,
  type WorkoutRecordInput,
} from './normalize.js';
export { isUnavailableActivity, activityRevision, REVISION_FIELDS, type UnavailableReason } from './activity-source.js';
export { classifySession, type Classification, type ClassifyContext } from './classify/classify.js';
export { analyzeStructure, type StructureAnalysis, type Segment, type LapRole } from './classify/structure.js';
export { classifyRun, raceSpeedRel, longRunSecs, type RuleDecision, type RunTotals } from './classify/rules.js';
export { calibrateThreshold, thresholdSpeedOfVdot, CALIBRATION_DAYS, type ThresholdCalibration, type CalibrationEvidence, type CalibrationRun, type CalibrationSource, type PaceModel } from './calibration/calibrate.js';
export { classificationInputs, inputsHash, STALE_GAP, STALE_DAYS, type ClassificationInputs } from './calibration/as-of.js';
export { declaredRace, raceWordIn, standardDistanceOf, RACE_WORDS, STANDARD_DISTANCES, type RaceEvidence } from './calibration/race-evidence.js';
export { resolveThresholds, calibrationSettingsOf, runHistoryOf, type RunThresholds, type RunHistory, type ThresholdSource } from './classify/thresholds.js';
export { formatWorkoutMessage, formatWorkoutCard, formatPlannedDay, workoutLabel, cardReason, CARD_REASON_MAX, type CardOptions } from './message.js';
export { localeOf, texts, LOCALES, BOT_COMMANDS, type Locale, type PlannedItem } from './telegram-catalog.js';
export { sportName, sessionTypeName, intensityWord, eventCategoryName, SPORT_NAMES, SESSION_TYPE_NAMES } from './card-words.js';
export { renderReason, type ReasonOptions } from './reason-text.js';
export { formatSetWork, formatSetRecovery, parseIntervalSummary, ruPlural } from './set-text.js';
export { mergeReportIntoDescription, stripReportSection, REPORT_START, REPORT_END } from './report-section.js';
export * from './summary/index.js';
export { splitsFromStreams, MIN_PARTIAL_M } from './splits.js';
export { cleanTrack, trackFromStreams, MAX_RUN_MS, type Track } from './track.js';
export {
  bestEfforts,
  samplesFromLaps,
  workoutBestEfforts,
  parseStoredEfforts,
  StretchEffortSchema,
  EFFORT_DISTANCES,
  EFFORT_DURATIONS,
  EFFORT_TARGETS,
  BEST_EFFORTS_VERSION,
  type EffortTarget,
  type EffortSamples,
  type StretchEffort,
  type WorkoutEfforts,
} from './best-efforts.js';
export { intervalSummaryOf, recordIntervals, formatRepTime, formatRepDistance, type IntervalSummary } from './interval-summary.js';
export { detectReps, lapsFromIntervals, lapsFromRecord, type Lap, type RepStructure } from './laps.js';
export { intensityLabel, labelFromIntensity, labelFromHrZones, type IntensityLabel } from './intensity.js';
export { sportMetrics, runCadenceSpm, movingSpeed, zoneTimes, type SportMetrics } from './sport-metrics.js';
export {
  formatPace,
  formatDuration,
  sportFamily,
  RUN_WORKOUT_TYPES,
  isFootSport,
  speedUnit,
  minPerKm,
  minPer100m,
  kmh,
  type SportFamily,
  type SpeedUnit,
} from './units.js';
export { unavailableReason, structureSignature } from './revision.js';
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
export { chartSeriesOf, paceToMinutes, type ChartSeries } from './chart-data.js';
export { checkWorkoutText, formatWorkoutTextIssues, type WorkoutTextIssue } from './workout-text.js';
export { resolveDateBound, isRelativeDateBound, widenPeriod } from './relative-date.js';
export { plannedWorkReps, checkReps, type PlannedRep, type PlannedReps, type RepCheck, type RepSettings, type DoneRep } from './planned-reps.js';
