import type { IntervalsActivity } from '@splits/contracts';
import { capturedRide, capturedRun } from '../__fixtures__/activities.js';
import { classifySession } from '../classify/classify.js';
import { runHistoryOf } from '../classify/thresholds.js';
import { normalizeActivity } from '../normalize.js';
import { sportFamily } from '../units.js';
import { generateEvalSet, type EvalCase } from './generator.js';

/** The captured real payloads, labelled by what they are (reference §1.6 A, §2.4). */
export function capturedCases(): EvalCase[] {
  return [
    { id: 'captured-run', label: 'Easy', variant: 'captured', activity: capturedRun, settings: null, history: [] },
    { id: 'captured-ride', label: 'VirtualRide', variant: 'captured', activity: capturedRide, settings: null, history: [] },
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
}

/** Runs the rules on one case exactly as the classify worker does (record + activity + settings + history). */
export function evaluateCase(c: EvalCase): EvalResult {
  const record = normalizeActivity({ activity: c.activity });
  const history = c.history.length ? runHistoryOf(c.history, new Date(record.date)) : null;
  const res = classifySession(record, c.activity, { thresholds: c.settings, history });
  return { id: c.id, label: c.label, variant: c.variant, predicted: res.sessionType, baseline: naiveBaseline(c.activity), confidence: res.confidence, reason: res.reason };
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
  return {
    total: results.length,
    accuracy: acc(results, 'predicted'),
    baselineAccuracy: acc(results, 'baseline'),
    perClass: Object.fromEntries(classes.map((c) => [c, acc(results.filter((r) => r.label === c), 'predicted')])),
    baselinePerClass: Object.fromEntries(classes.map((c) => [c, acc(results.filter((r) => r.label === c), 'baseline')])),
    confusion,
    perVariant,
    misses: results.filter((r) => r.predicted !== r.label),
  };
}
