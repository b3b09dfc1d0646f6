/**
 * pnpm chaos [--activities N] [--minutes M] [--athletes K] [--kills K] [--drain-minutes D] [--seed S]
 *
 * The fault run of issue 15 (see bench/lib/chaos-run.ts): prints progress, a table, and a JSON last
 * line. Goal: 0 lost, 0 duplicate cards, every card sent, Intervals.icu under its ~10 requests/s in
 * every second (paced at 8), Telegram cards to a chat 1 s apart (a 1-s window may see two when the
 * network delays one send more than the next) and ≤ 30/s per bot. Exits 1 when a goal is missed.
 */
import { parseArgs } from 'node:util';
import { runChaos } from './lib/chaos-run.js';

const { values } = parseArgs({
  options: {
    activities: { type: 'string', default: '2000' },
    minutes: { type: 'string' },
    athletes: { type: 'string', default: '8' },
    kills: { type: 'string', default: '3' },
    'drain-minutes': { type: 'string' },
    seed: { type: 'string', default: '15' },
  },
});
const activities = Number(values.activities);
// About what Intervals.icu's 8 req/s lets through (a few requests per activity, more under faults).
const minutes = Number(values.minutes ?? Math.max(2, Math.ceil(activities / 150)));
const drainMinutes = Number(values['drain-minutes'] ?? Math.max(10, Math.ceil(activities / 60)));
const started = Date.now();
const r = await runChaos({
  activities,
  minutes,
  athletes: Number(values.athletes),
  killsPerWorker: Number(values.kills),
  drainTimeoutMs: drainMinutes * 60_000,
  seed: Number(values.seed),
  log: (line) => console.error(`[chaos ${((Date.now() - started) / 1000).toFixed(0).padStart(5)} s] ${line}`),
});

const rows: Array<[string, string | number]> = [
  ['activities sent', r.activities],
  ['acknowledged', r.acknowledged],
  ['stored', r.stored],
  ['classified', r.classified],
  ['in the summary', r.inSummary],
  ['Telegram cards sent', r.cardsSent],
  ['duplicate cards', r.duplicateCards],
  ['lost (acknowledged, not stored)', r.lost],
  [`max Intervals.icu requests in 1 s (paced ${r.limits.intervalsMaxRps}, limit ${r.limits.intervalsLimit})`, r.maxIntervalsRps],
  ['  the same, as the fake stamped them when its loop was free', r.maxIntervalsRpsSeenByFake],
  ['max messages/s per chat (paced 1 s apart)', r.maxMessagesPerSecondPerChat],
  ['shortest gap between messages to one chat', r.minChatGapMs === null ? '-' : `${r.minChatGapMs} ms`],
  [`max messages/s per bot (limit ${r.limits.botMps})`, r.maxMessagesPerSecondPerBot],
  ['drain time', r.drainMs === null ? 'did not drain' : `${(r.drainMs / 1000).toFixed(1)} s`],
  ...Object.entries(r.faults).map(([k, v]) => [`fault: ${k}`, v] as [string, number]),
  ...Object.entries(r.restarts).map(([k, v]) => [`restarts: ${k}`, v ?? 0] as [string, number]),
];
const w = Math.max(...rows.map(([k]) => k.length));
for (const [k, v] of rows) console.log(`${k.padEnd(w)}  ${v}`);
console.log(JSON.stringify(r));
const ok =
  r.lost === 0 &&
  r.duplicateCards === 0 &&
  r.cardsSent === r.acknowledged &&
  r.drainMs !== null &&
  r.maxIntervalsRps <= r.limits.intervalsLimit &&
  r.maxMessagesPerSecondPerChat <= 2 &&
  r.maxMessagesPerSecondPerBot <= r.limits.botMps;
process.exit(ok ? 0 : 1);
