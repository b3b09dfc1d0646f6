import type { IntervalsActivity } from '@splits/contracts';
import { detectReps, lapsFromIntervals, lapsFromRecord, type Lap } from './laps.js';
import type { WorkoutRecordInput } from './normalize.js';
import { median, num, sportFamily } from './units.js';

export interface ClassifyContext {
  /** m/s, as Intervals.icu gives threshold_pace. */
  thresholdPace?: number | null;
  /** bpm. */
  lthr?: number | null;
}

export interface Classification {
  sessionType: string;
  /** 0–1: how sure the rules are; the classify worker asks the LLM below its threshold. */
  confidence: number;
  reason: string;
}

/** Reps shorter than this are Repetitions (speed/economy), longer ones at most Intervals. */
const REPETITION_MAX_S = 120;
/** Reps of at least this length near threshold are Threshold work. */
const THRESHOLD_MIN_S = 360;
const LONG_KM = 18;
const LONG_S = 90 * 60;
const TOO_SHORT_S = 10 * 60;

/**
 * First classification from the lap structure (brief/architecture-article.txt): aggregate zone
 * shares cannot tell an interval session from an easy run, laps can.
 *
 * - non-runs keep their workoutType (confidence 1);
 * - Intervals.icu race flag (race / sub_type RACE) → Race;
 * - reps alternating with easier laps: median rep < 2 min → Repetition; ≥ 6 min → Threshold unless
 *   clearly faster than threshold pace (≥ 104 %) → Interval; 2–6 min → Interval, or Threshold when at
 *   or below threshold pace (< 102 %);
 * - no structure: < 10 min or no distance → Unclassified; ≥ 18 km or ≥ 90 min → Long; slower than
 *   71 % of threshold pace and HR under 80 % of LTHR (≤ 50 min) → Recovery; a steady ≥ 15 min run at
 *   ≥ 92 % of threshold pace → Threshold (tempo); laps whose paces differ by > 60 s/km without a
 *   pattern → Unclassified; otherwise Easy.
 *
 * Thresholds come from `ctx`, else from the activity (threshold_pace, lthr). The structure comes
 * from the activity's icu_intervals when given, else from the record's own interval list.
 */
export function classifySession(
  record: WorkoutRecordInput,
  activity?: IntervalsActivity | null,
  ctx: ClassifyContext = {},
): Classification {
  if (sportFamily(record.workoutType) !== 'run') {
    return { sessionType: record.workoutType, confidence: 1, reason: 'not a run: the sport is the session type' };
  }
  if (activity?.race === true || activity?.sub_type === 'RACE') {
    return { sessionType: 'Race', confidence: 0.95, reason: 'marked as a race in Intervals.icu' };
  }
  const thresholdPace = num(ctx.thresholdPace) ?? num(activity?.threshold_pace);
  const lthr = num(ctx.lthr) ?? num(activity?.lthr);
  const laps = activity?.icu_intervals?.length ? lapsFromIntervals(activity.icu_intervals) : lapsFromRecord(record.intervals ?? []);

  const structure = laps.length >= 3 ? detectReps(laps) : null;
  if (structure) {
    const reps = structure.reps.map((k) => laps[k] as Lap);
    const repSecs = median(reps.map((l) => l.movingTime ?? 0));
    const speeds = reps.map((l) => l.speed).filter((s): s is number => s !== null);
    const rel = thresholdPace && speeds.length ? median(speeds) / thresholdPace : null;
    const hrRel = lthr ? relHr(reps, lthr) : null;
    const sure = rel !== null ? 0.8 : 0.6;
    const what = `${reps.length} reps of ~${Math.round(repSecs)} s${rel !== null ? ` at ${Math.round(rel * 100)} % of threshold pace` : ''}`;
    if (repSecs < REPETITION_MAX_S) return { sessionType: 'Repetition', confidence: sure, reason: `${what}: short fast reps` };
    // Pace relative to threshold decides; rep HR relative to LTHR stands in when pace is unknown.
    if (repSecs >= THRESHOLD_MIN_S) {
      const fasterThanThreshold = rel !== null ? rel >= 1.04 : hrRel !== null && hrRel >= 1.03;
      return fasterThanThreshold
        ? { sessionType: 'Interval', confidence: sure - 0.1, reason: `${what}: long reps faster than threshold` }
        : { sessionType: 'Threshold', confidence: sure, reason: `${what}: long reps near threshold` };
    }
    const atOrBelow = rel !== null ? rel < 1.02 : hrRel !== null && hrRel < 1.0;
    return atOrBelow
      ? { sessionType: 'Threshold', confidence: sure - 0.1, reason: `${what}: medium reps at or below threshold` }
      : { sessionType: 'Interval', confidence: sure, reason: `${what}: 2–6 min hard reps` };
  }

  const km = record.distance;
  const secs = record.movingTime;
  if (km === null || secs === null || km <= 0 || secs < TOO_SHORT_S) {
    return { sessionType: 'Unclassified', confidence: 0.3, reason: 'too little data to classify' };
  }
  if (km >= LONG_KM || secs >= LONG_S) return { sessionType: 'Long', confidence: 0.85, reason: `steady ${km} km / ${Math.round(secs / 60)} min` };

  const speed = (km * 1000) / secs;
  const rel = thresholdPace ? speed / thresholdPace : null;
  const hrRel = lthr && record.avgHr ? record.avgHr / lthr : null;
  if ((rel !== null || hrRel !== null) && (rel ?? 0) < 0.71 && (hrRel ?? 0) < 0.8 && secs <= 50 * 60) {
    return { sessionType: 'Recovery', confidence: rel !== null && hrRel !== null ? 0.75 : 0.6, reason: 'short, very easy pace and heart rate' };
  }
  if (rel !== null && rel >= 0.92 && secs >= 15 * 60) {
    return { sessionType: 'Threshold', confidence: 0.55, reason: `steady run at ${Math.round(rel * 100)} % of threshold pace` };
  }
  const paces = laps.filter((l) => (l.distance ?? 0) >= 400 && l.speed).map((l) => 1000 / (l.speed as number));
  if (paces.length >= 3 && Math.max(...paces) - Math.min(...paces) > 60) {
    return { sessionType: 'Unclassified', confidence: 0.4, reason: 'lap paces vary without a repeating pattern' };
  }
  return { sessionType: 'Easy', confidence: rel !== null || hrRel !== null ? 0.75 : 0.6, reason: 'uniform, comfortable pace' };
}

function relHr(reps: Lap[], lthr: number): number | null {
  const hrs = reps.map((l) => l.hr).filter((h): h is number => h !== null);
  return hrs.length ? median(hrs) / lthr : null;
}
