export { normalizeActivity, wellnessContext, intervalsActivityUrl, type NormalizeInput, type WorkoutRecordInput } from './normalize.js';
export { classifySession, type Classification, type ClassifyContext } from './classify.js';
export { formatWorkoutMessage } from './message.js';
export {
  buildAthleteSummary,
  isoWeekStart,
  RECENT_TRAININGS,
  SUMMARY_WEEKS,
  type AthleteSummary,
  type RecentTraining,
  type SportTotals,
  type WeekSummary,
} from './summary.js';
export { splitsFromStreams } from './splits.js';
export { intervalSummaryOf, recordIntervals, formatRepTime, formatRepDistance, type IntervalSummary } from './interval-summary.js';
export { detectReps, lapsFromIntervals, lapsFromRecord, type Lap, type RepStructure } from './laps.js';
export { intensityLabel, labelFromIntensity, labelFromHrZones, type IntensityLabel } from './intensity.js';
export { sportMetrics, runCadenceSpm } from './sport-metrics.js';
export { formatPace, formatDuration, sportFamily, minPerKm, minPer100m, kmh, type SportFamily } from './units.js';
export * from './revision.js';
