import type { IntervalsActivity, WorkoutRecord } from '@splits/contracts';
import { capturedRide, capturedRun } from '../__fixtures__/activities.js';
import { classificationInputs } from '../calibration/as-of.js';
import { classifySession, type Classification } from '../classify/classify.js';
import { normalizeActivity } from '../normalize.js';
import { sportFamily } from '../units.js';
import { vdotEvidence } from '../vdot-history.js';
import { vdotFromPerformance } from '../vdot.js';
import { generateEvalSet, rng, SETTINGS_SCENARIOS, withSettings, type EvalCase } from './generator.js';

/** The captured real payloads, labelled by what they are (reference §1.6 A, §2.4). */
export function capturedCases(): EvalCase[] {
  const none = { settings: null, history: [], historyActivities: [], truth: null, raceBlock: null };
  return [
    { id: 'captured-run', label: 'Easy', variant: 'captured', activity: capturedRun, ...none },
    { id: 'captured-ride', label: 'VirtualRide', variant: 'captured', activity: capturedRide, ...none },
  ];
}

/** The full evaluation set: ≥ 200 generated sessions plus the captured payloads. */
export function evaluationSet(seed?: number): EvalCase[] {
  return [...generateEvalSet(seed), ...capturedCases()];
}

export interface EvalResult {
  id: string;
  label: string;
  variant: string;
  predicted: string;
  baseline: string;
  confidence: number;
  reason: string;
  thresholdSource: string | null;
  /** Races: the VDOT the pipeline gives it, and the VDOT of the raced block as generated. */
  vdot: number | null;
  vdotTruth: number | null;
}


/**
 * Runs one case exactly as the classify worker does: the record, the activity, the settings, the
 * calibration and the history as of the workout's start, then the workout's VDOT from the
 * classified record.
 */
export function evaluateCase(c: EvalCase): EvalResult {
  const record = normalizeActivity({ activity: c.activity });
  const res = classifyAsOf(record, c.activity, c.settings, c.history);
  const classified = { ...record, id: c.id, sessionType: res.sessionType, mainSet: res.structure?.mainSet ?? null } as WorkoutRecord;
  const vdot = res.sessionType === 'Race' ? (vdotEvidence([classified]).find((e) => e.workoutId === c.id)?.vdot ?? null) : null;
  const vdotTruth = c.raceBlock ? Math.round(vdotFromPerformance(c.raceBlock.meters, c.raceBlock.secs) * 10) / 10 : null;
  return {
    id: c.id,
    label: c.label,
    variant: c.variant,
    predicted: res.sessionType,
    baseline: naiveBaseline(c.activity),
    confidence: res.confidence,
    reason: res.reason,
    thresholdSource: res.thresholds?.source.pace ?? null,
    vdot,
    vdotTruth,
  };
}

/** Classify as the worker does, with the calibration and history as of the workout's start. */
export function classifyAsOf(record: ReturnType<typeof normalizeActivity>, activity: IntervalsActivity, settings: EvalCase['settings'], history: readonly WorkoutRecord[]): Classification {
  const inputs = classificationInputs(history, new Date(record.date), settings, activity);
  return classifySession(record, activity, { thresholds: settings, history: inputs.history, calibration: inputs.calibration });
}

/**
 * The naive baseline the issue compares against: the share of time in HR Z1–Z2 decides
 * (≥ 75 % ⇒ Easy, or Long beyond 15 km as in the article); otherwise Threshold; no HR or under
 * 10 min ⇒ Unclassified; other sports keep their type.
 */
export function naiveBaseline(a: IntervalsActivity): string {
  const type = a.type ?? 'Other';
  if (sportFamily(type) !== 'run') return type;
  const z = a.icu_hr_zone_times;
  const total = z?.reduce((s, v) => s + v, 0) ?? 0;
  if (!z || total <= 0 || (a.moving_time ?? 0) < 600) return 'Unclassified';
  const easyShare = ((z[0] ?? 0) + (z[1] ?? 0)) / total;
  if (easyShare >= 0.75) return (a.distance ?? 0) > 15000 ? 'Long' : 'Easy';
  return 'Threshold';
}

export interface EvalReport {
  total: number;
  accuracy: number;
  baselineAccuracy: number;
  perClass: Record<string, number>;
  baselinePerClass: Record<string, number>;
  confusion: Record<string, Record<string, number>>;
  perVariant: Record<string, { n: number; accuracy: number }>;
  misses: EvalResult[];
  /** Races: the pipeline's VDOT against the raced block's. */
  races: Array<{ id: string; variant: string; vdot: number | null; truth: number; error: number | null }>;
  /** Share of races whose VDOT is within ±0.5 of the raced block's (a race not called a race counts as a miss). */
  vdotWithin05: number;
}

export function evaluate(cases: EvalCase[]): EvalReport {
  const results = cases.map(evaluateCase);
  const classes = [...new Set(results.map((r) => r.label))];
  const acc = (rs: EvalResult[], key: 'predicted' | 'baseline') => (rs.length ? rs.filter((r) => r[key] === r.label).length / rs.length : 0);
  const confusion: EvalReport['confusion'] = {};
  for (const r of results) {
    confusion[r.label] ??= {};
    (confusion[r.label] as Record<string, number>)[r.predicted] = ((confusion[r.label] as Record<string, number>)[r.predicted] ?? 0) + 1;
  }
  const perVariant: EvalReport['perVariant'] = {};
  for (const v of [...new Set(results.flatMap((r) => r.variant.split('+')))]) {
    const rs = results.filter((r) => r.variant.split('+').includes(v));
    perVariant[v] = { n: rs.length, accuracy: acc(rs, 'predicted') };
  }
  const races = results
    .filter((r) => r.vdotTruth !== null)
    .map((r) => ({ id: r.id, variant: r.variant, vdot: r.vdot, truth: r.vdotTruth as number, error: r.vdot === null ? null : Math.round((r.vdot - (r.vdotTruth as number)) * 10) / 10 }));
  return {
    total: results.length,
    accuracy: acc(results, 'predicted'),
    baselineAccuracy: acc(results, 'baseline'),
    perClass: Object.fromEntries(classes.map((c) => [c, acc(results.filter((r) => r.label === c), 'predicted')])),
    baselinePerClass: Object.fromEntries(classes.map((c) => [c, acc(results.filter((r) => r.label === c), 'baseline')])),
    confusion,
    perVariant,
    misses: results.filter((r) => r.predicted !== r.label),
    races,
    vdotWithin05: races.length ? races.filter((r) => r.error !== null && Math.abs(r.error) <= 0.5).length / races.length : 1,
  };
}

/** Accuracy of the generated cases under every settings scenario (stale by ±3/5/8 %, none at all). */
export function evaluateScenarios(cases: EvalCase[]): Array<{ name: string; report: EvalReport }> {
  const generated = cases.filter((c) => c.truth !== null);
  return SETTINGS_SCENARIOS.map((s) => ({ name: s.name, report: evaluate(generated.map((c) => withSettings(c, s.delta))) }));
}

/**
 * Arrival order does not change the answer: each athlete's runs (history and case) arrive in two
 * shuffled orders; every arrival is classified against what is stored so far, and every stored run
 * whose calibration or history as of its start changed is classified again (what the worker's
 * recalibration does). The final labels must match each other and the date-order answer.
 */
export function orderStability(cases: EvalCase[], seed = 7, athletes = 24): { stable: boolean; checked: number; differing: string[] } {
  const r = rng(seed);
  const differing: string[] = [];
  let checked = 0;
  for (const c of cases.filter((x) => x.truth !== null && x.historyActivities.length).slice(0, athletes)) {
    const activities = [...c.historyActivities, c.activity];
    const answers = [0, 1, 2].map((k) => {
      const order = k === 0 ? [...activities].sort((a, b) => Date.parse(a.start_date as string) - Date.parse(b.start_date as string)) : shuffle(activities, r);
      return replay(order, c.settings);
    });
    for (const [id, label] of answers[0]!) {
      checked++;
      if (answers[1]!.get(id) !== label || answers[2]!.get(id) !== label) differing.push(`${c.id}/${id}: ${label} vs ${answers[1]!.get(id)} vs ${answers[2]!.get(id)}`);
    }
  }
  return { stable: differing.length === 0, checked, differing };
}

function replay(order: IntervalsActivity[], settings: EvalCase['settings']): Map<string, string> {
  const stored: Array<{ activity: IntervalsActivity; record: WorkoutRecord; label: string; inputs: string }> = [];
  const inputsOf = (rec: WorkoutRecord, activity: IntervalsActivity) =>
    classificationInputs(
      stored.map((s) => s.record),
      new Date(rec.date),
      settings,
      activity,
    ).key;
  const classify = (s: (typeof stored)[number]) => {
    s.label = classifyAsOf(s.record, s.activity, settings, stored.map((x) => x.record).filter((x) => x !== s.record)).sessionType;
  };
  for (const activity of order) {
    const record = { ...normalizeActivity({ activity }), id: activity.id } as WorkoutRecord;
    const entry = { activity, record, label: '', inputs: '' };
    stored.push(entry);
    entry.inputs = inputsOf(record, activity);
    classify(entry);
    // Later runs whose calibration or history moved are classified again.
    for (const s of stored) {
      if (s === entry || Date.parse(s.record.date) <= Date.parse(record.date)) continue;
      const now = inputsOf(s.record, s.activity);
      if (now !== s.inputs) {
        s.inputs = now;
        classify(s);
      }
    }
  }
  return new Map(stored.map((s) => [s.activity.id, s.label]));
}

/** The same items in a seeded random order (Fisher–Yates). */
export function shuffle<T>(xs: readonly T[], r: ReturnType<typeof rng>): T[] {
  const out = [...xs];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(r.next() * (i + 1));
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}
