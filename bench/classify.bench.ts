/**
 * bench:classify — the rule classifier on the labelled evaluation set (packages/training/src/eval:
 * ≥ 200 seeded sessions with realistic laps and noise, labelled by construction, plus the captured
 * real payloads), next to the naive baseline (share of time in HR Z1–Z2 ⇒ Easy). Pure CPU, no
 * services. Flags: --seed 2026. The last line printed is one JSON object.
 */
import { parseArgs } from 'node:util';
import { evaluate, evaluationSet } from '@splits/training/eval';

const { values } = parseArgs({ options: { seed: { type: 'string', default: '2026' } } });
const report = evaluate(evaluationSet(Number(values.seed)));
const pct = (v: number) => `${(v * 100).toFixed(1)}%`;
const classes = Object.keys(report.perClass);

console.log(`evaluation set: ${report.total} sessions (seed ${values.seed})\n`);
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
for (const m of report.misses) console.log(`  ${m.id} ${m.label} (${m.variant}) → ${m.predicted} @${m.confidence.toFixed(2)}: ${m.reason}`);

const r4 = (v: number) => Math.round(v * 10000) / 10000;
console.log(
  JSON.stringify({
    sessions: report.total,
    accuracy: r4(report.accuracy),
    baselineAccuracy: r4(report.baselineAccuracy),
    perClass: Object.fromEntries(Object.entries(report.perClass).map(([k, v]) => [k, r4(v)])),
  }),
);
