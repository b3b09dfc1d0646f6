/**
 * bench:classify — the rule classifier on the labelled evaluation set (packages/training/src/eval:
 * ≥ 200 seeded sessions with realistic laps and noise, each from an athlete with 90 days of stored
 * runs, labelled by construction, plus the captured real payloads), next to the naive baseline
 * (share of time in HR Z1–Z2 ⇒ Easy). Then the same sessions under stale settings (threshold pace
 * −8 … +8 % off the truth) and with no settings at all; every race's VDOT against its raced block;
 * and two shuffled arrival orders per athlete. Pure CPU, no services. Flags: --seed 2026.
 * The last line printed is one JSON object.
 */
import { parseArgs } from 'node:util';
import { evaluate, evaluateScenarios, evaluationSet, orderStability } from '@splits/training/eval';

const { values } = parseArgs({ options: { seed: { type: 'string', default: '2026' } } });
const started = performance.now();
const cases = evaluationSet(Number(values.seed));
const report = evaluate(cases);
const pct = (v: number) => `${(v * 100).toFixed(1)}%`;
const classes = Object.keys(report.perClass);

console.log(`evaluation set: ${report.total} sessions (seed ${values.seed}), settings as the athletes keep them\n`);
console.log('class          n    rules   baseline');
for (const c of classes) {
  const n = Object.values(report.confusion[c] ?? {}).reduce((a, b) => a + b, 0);
  console.log(`${c.padEnd(13)} ${String(n).padStart(3)}  ${pct(report.perClass[c] ?? 0).padStart(7)}  ${pct(report.baselinePerClass[c] ?? 0).padStart(8)}`);
}
console.log(`${'overall'.padEnd(13)} ${String(report.total).padStart(3)}  ${pct(report.accuracy).padStart(7)}  ${pct(report.baselineAccuracy).padStart(8)}\n`);

const predicted = [...new Set([...classes, ...Object.values(report.confusion).flatMap((r) => Object.keys(r))])];
console.log(`confusion (rows: label, columns: rules)\n${''.padEnd(13)}${predicted.map((p) => p.slice(0, 6).padStart(7)).join('')}`);
for (const c of classes) console.log(`${c.padEnd(13)}${predicted.map((p) => String(report.confusion[c]?.[p] ?? 0).padStart(7)).join('')}`);

console.log('\nhard cases');
for (const [v, r] of Object.entries(report.perVariant)) console.log(`  ${v.padEnd(20)} n=${String(r.n).padStart(3)}  ${pct(r.accuracy)}`);
console.log('\nmisses');
for (const m of report.misses) console.log(`  ${m.id} ${m.label} (${m.variant}) → ${m.predicted} @${m.confidence.toFixed(2)} [${m.thresholdSource}]: ${m.reason}`);

const scenarios = evaluateScenarios(cases);
console.log('\nscenario           accuracy  worst class');
const scenarioAcc: Record<string, number> = { 'settings as kept': report.accuracy };
for (const { name, report: r } of scenarios) {
  scenarioAcc[name] = r.accuracy;
  const [worst, worstAcc] = Object.entries(r.perClass).sort((a, b) => a[1] - b[1])[0] ?? ['-', 1];
  console.log(`${name.padEnd(18)} ${pct(r.accuracy).padStart(8)}  ${worst} ${pct(worstAcc)}`);
}
for (const { name, report: r } of scenarios) {
  if (!r.misses.length) continue;
  console.log(`\nmisses with ${name}`);
  for (const m of r.misses) console.log(`  ${m.id} ${m.label} (${m.variant}) → ${m.predicted} @${m.confidence.toFixed(2)} [${m.thresholdSource}]: ${m.reason}`);
}

console.log('\nraces: VDOT from the pipeline vs the raced block');
for (const race of report.races) console.log(`  ${race.id.padEnd(9)} ${race.variant.padEnd(22)} truth ${race.truth.toFixed(1)}  got ${race.vdot === null ? '  —' : race.vdot.toFixed(1)}  error ${race.error === null ? 'not a race' : race.error.toFixed(1)}`);

const order = orderStability(cases);
console.log(`\narrival order: ${order.checked} runs of ${Math.min(24, cases.length)} athletes replayed in two shuffled orders: ${order.stable ? 'same labels' : `${order.differing.length} differ`}`);
for (const d of order.differing.slice(0, 10)) console.log(`  ${d}`);

const r4 = (v: number) => Math.round(v * 10000) / 10000;
const worstScenario = Object.entries(scenarioAcc).sort((a, b) => a[1] - b[1])[0]!;
console.log(`\n(${((performance.now() - started) / 1000).toFixed(1)} s)`);
console.log(
  JSON.stringify({
    sessions: report.total,
    accuracy: r4(report.accuracy),
    baselineAccuracy: r4(report.baselineAccuracy),
    perClass: Object.fromEntries(Object.entries(report.perClass).map(([k, v]) => [k, r4(v)])),
    scenarios: Object.fromEntries(Object.entries(scenarioAcc).map(([k, v]) => [k, r4(v)])),
    worstScenario: { name: worstScenario[0], accuracy: r4(worstScenario[1]) },
    vdotWithin05: r4(report.vdotWithin05),
    orderStable: order.stable,
  }),
);
