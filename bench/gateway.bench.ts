/**
 * bench:gateway — the api-gateway as a real process against the real Postgres and Redis (per-token
 * rate-limit counters): keep-alive GETs of `/trainings?full=1&limit=30` ("review my last 30 runs
 * with their intervals", one call) and `/summary` at fixed concurrency, each authenticated with a
 * Splits token. Then, in the same run, a bare fastify route serving the very same response bytes,
 * for the ratio (what auth, the query, the allow-list and serialisation cost over plain HTTP).
 *
 * The same page is asked again and again, so the gateway serves it from memory (kept until the
 * athlete's workouts or settings change). A second /trainings row asks a different window on each
 * request (1,000 distinct `newest` dates, more than the gateway keeps), so every page is built again
 * from the records cached per revision: the cost of the first read after a change.
 *
 * The runs have 15 laps each (an ordinary athlete: auto-lap every km plus structured sessions). Also
 * prints the size of the MCP tool list (definitions as the client receives them; kept < 10,000).
 *
 * The gateway and the bare server run side by side and the targets are taken in turns (--rounds, each
 * a quarter of --seconds by default), so each meets the same share of a shared machine's noise.
 *
 * Flags: --concurrency 50 --seconds 8 --warmup 2 --laps 15 --rounds 4. The last line printed is one JSON object.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { availableParallelism } from 'node:os';
import { parseArgs } from 'node:util';
import { createApiToken, createAthlete, parseEncryptionKey, upsertWorkout } from '@splits/db';
import { createRedis } from '@splits/queue';
import { startServices } from '@splits/cli';
import { createTestDatabase, REPO_ROOT, runRecord, TEST_ENCRYPTION_KEY, TEST_REDIS_URL, testQueuePrefix } from '@splits/testing';
import { rebuildAthleteSummary } from '../services/summary-worker/src/build-summary.processor.js';
import { mergeLoads, runLoad, type LoadResult } from './lib/load.js';

const { values } = parseArgs({
  options: {
    concurrency: { type: 'string', default: '50' },
    laps: { type: 'string', default: '15' },
    seconds: { type: 'string', default: '8' },
    warmup: { type: 'string', default: '2' },
    rounds: { type: 'string', default: '4' },
  },
});
const CONCURRENCY = Number(values.concurrency);
const DURATION_MS = Number(values.seconds) * 1000;
const WARMUP_MS = Number(values.warmup) * 1000;
const RUNS = 60;
const LAPS = Number(values.laps);
const ROUNDS = Math.max(1, Number(values.rounds));

const t = await createTestDatabase('benchgw');
const prefix = testQueuePrefix('benchgw');
const redis = createRedis(TEST_REDIS_URL);
const dir = mkdtempSync(join(tmpdir(), 'bench-gw-'));
const cleanups: (() => Promise<unknown>)[] = [
  async () => rmSync(dir, { recursive: true, force: true }),
  async () => {
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length) await redis.del(...keys);
    await redis.quit();
  },
  () => t.drop(),
];
const cleanup = async () => {
  for (const fn of cleanups.reverse()) await fn().catch((err: Error) => console.error(`cleanup: ${err.message}`));
};

try {
  // --- data: one athlete, 60 runs with intervals, a summary built from them -----------------------
  const { id: athleteId } = await createAthlete(t.db, parseEncryptionKey(TEST_ENCRYPTION_KEY), {
    intervalsAthleteId: 'i770077',
    authKind: 'api_key',
    credential: 'bench-key',
  });
  const start = Date.UTC(2026, 0, 1);
  for (let i = 0; i < RUNS; i++) {
    const date = new Date(start + i * 86_400_000).toISOString().slice(0, 10);
    await upsertWorkout(t.db, athleteId, runRecord(`77${String(i).padStart(5, '0')}`, date, { intervals: LAPS }));
  }
  // The summary, built by the summary-worker's one build function.
  await rebuildAthleteSummary(t.db, athleteId, new Date(start + RUNS * 86_400_000), 'bench');
  const { token } = await createApiToken(t.db, athleteId, 'bench');
  const auth = { authorization: `Bearer ${token}` };

  // --- api-gateway, as its own process ------------------------------------------------------------
  const svc = await startServices({
    services: ['api-gateway'],
    env: {
      DATABASE_URL: t.url,
      REDIS_URL: TEST_REDIS_URL,
      QUEUE_PREFIX: prefix,
      TOKEN_ENCRYPTION_KEY: TEST_ENCRYPTION_KEY,
      // The bench measures serving, not the limiter's 429s: a budget no run reaches.
      GATEWAY_RATE_LIMIT_PER_MIN: String(10_000_000),
      LOG_LEVEL: 'warn',
      NODE_ENV: 'production',
    },
  });
  cleanups.push(() => svc.stop());
  const gw = svc.urls['api-gateway'];
  const trainingsPath = '/trainings?full=1&limit=30';
  const trainingsBytes = Buffer.from(await (await fetch(`${gw}${trainingsPath}`, { headers: auth })).arrayBuffer());
  const summaryBytes = Buffer.from(await (await fetch(`${gw}/summary`, { headers: auth })).arrayBuffer());
  if (trainingsBytes.length < 1000 || summaryBytes.length < 100) throw new Error('gateway did not answer the bench requests');
  const trainingsCount = (JSON.parse(String(trainingsBytes)) as { count: number }).count;
  // The tool list as a client receives it (stateless 2026-07-28 request; version and capabilities in _meta).
  const listed = await fetch(`${gw}/mcp`, {
    method: 'POST',
    headers: { ...auth, 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'mcp-protocol-version': '2026-07-28', 'mcp-method': 'tools/list' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list', params: { _meta: { 'io.modelcontextprotocol/protocolVersion': '2026-07-28', 'io.modelcontextprotocol/clientCapabilities': {} } } }),
  });
  const listText = await listed.text();
  const listJson = JSON.parse(listText.startsWith('{') ? listText : listText.split('\n').find((l) => l.startsWith('data: '))!.slice(6)) as { result: { tools: unknown[] } };
  const toolListChars = JSON.stringify(listJson.result.tools).length;

  const load = (path: string, headers: Record<string, string> = auth) => (durationMs: number) =>
    runLoad({ url: `${gw}${path}`, method: 'GET', headers, concurrency: CONCURRENCY, durationMs });
  // Each request a window not asked before (newest moves a day at a time over 1,000 days, more than the
  // gateway keeps pages for; the count runs on across rounds): every page built again.
  let window = 0;
  const rebuiltPath = () => `${trainingsPath}&newest=${new Date(Date.UTC(2026, 2, 2) + (window++ % 1000) * 86_400_000).toISOString().slice(0, 10)}`;
  const rebuild = (durationMs: number) => runLoad({ url: `${gw}/`, path: rebuiltPath, method: 'GET', headers: auth, concurrency: CONCURRENCY, durationMs });

  // --- bare fastify serving the same bytes, as its own process ------------------------------------
  writeFileSync(join(dir, 'trainings.json'), trainingsBytes);
  writeFileSync(join(dir, 'summary.json'), summaryBytes);
  const bare = spawn(process.execPath, ['--import', 'tsx', 'bench/lib/bare-server.ts'], {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, BARE_GET_FILES: JSON.stringify({ trainings: join(dir, 'trainings.json'), summary: join(dir, 'summary.json') }) },
  });
  cleanups.push(async () => {
    if (bare.exitCode === null) {
      const exited = new Promise((r) => bare.once('exit', r));
      bare.kill('SIGTERM');
      await exited;
    }
  });
  const barePort = await new Promise<number>((resolve, reject) => {
    bare.once('exit', (code) => reject(new Error(`bare server exited with ${code}`)));
    bare.stdout!.once('data', (chunk: Buffer) => resolve((JSON.parse(String(chunk)) as { port: number }).port));
  });
  const bareLoad = (name: string) => (durationMs: number) =>
    runLoad({ url: `http://127.0.0.1:${barePort}/bare/${name}`, method: 'GET', headers: auth, concurrency: CONCURRENCY, durationMs });

  // --- the targets in turns, ROUNDS times: each gets the same share of the machine's noise ----------
  const targets = {
    trainings: load(trainingsPath),
    bareTrainings: bareLoad('trainings'),
    rebuilt: rebuild,
    summary: load('/summary'),
    bareSummary: bareLoad('summary'),
  };
  for (const run of Object.values(targets)) await run(WARMUP_MS / 2);
  const taken = Object.fromEntries(Object.keys(targets).map((k) => [k, [] as LoadResult[]])) as Record<keyof typeof targets, LoadResult[]>;
  for (let r = 0; r < ROUNDS; r++) {
    for (const [name, run] of Object.entries(targets) as [keyof typeof targets, (ms: number) => Promise<LoadResult>][]) taken[name].push(await run(DURATION_MS / ROUNDS));
  }
  const trainings = mergeLoads(taken.trainings);
  const bareTrainings = mergeLoads(taken.bareTrainings);
  const rebuilt = mergeLoads(taken.rebuilt);
  const summary = mergeLoads(taken.summary);
  const bareSummary = mergeLoads(taken.bareSummary);
  await svc.stop();

  // --- report ------------------------------------------------------------------------------------
  const row = (name: string, r: LoadResult) =>
    [name.padEnd(26), r.requests.toString().padStart(8), r.reqPerSec.toFixed(0).padStart(8), r.p50Ms.toFixed(2).padStart(8), r.p90Ms.toFixed(2).padStart(8), r.p99Ms.toFixed(2).padStart(8), r.maxMs.toFixed(1).padStart(8), JSON.stringify(r.statuses).padStart(12), String(r.errors).padStart(6)].join(' ');
  console.log(`\nbench:gateway — ${CONCURRENCY} keep-alive connections, ${DURATION_MS / 1000} s each in ${ROUNDS} turns (after warm-up), ${availableParallelism()} cores shared with Postgres, Redis and the load generator`);
  console.log(`response sizes: /trainings?full=1&limit=30 ${trainingsBytes.length} B (${trainingsCount} runs of ${LAPS} laps with intervals), /summary ${summaryBytes.length} B; MCP tool list ${toolListChars} characters\n`);
  console.log(['target'.padEnd(26), 'requests'.padStart(8), 'req/s'.padStart(8), 'p50 ms'.padStart(8), 'p90 ms'.padStart(8), 'p99 ms'.padStart(8), 'max ms'.padStart(8), 'statuses'.padStart(12), 'errors'.padStart(6)].join(' '));
  console.log(row('gateway /trainings full=1', trainings));
  console.log(row('  same, each page rebuilt', rebuilt));
  console.log(row('gateway /summary', summary));
  console.log(row('bare fastify (trainings)', bareTrainings));
  console.log(row('bare fastify (summary)', bareSummary));
  console.log('');

  const round = (n: number, d = 2) => Number(n.toFixed(d));
  console.log(
    JSON.stringify({
      trainingsP50Ms: round(trainings.p50Ms),
      trainingsP99Ms: round(trainings.p99Ms),
      summaryP50Ms: round(summary.p50Ms),
      summaryP99Ms: round(summary.p99Ms),
      reqPerSec: round(trainings.reqPerSec, 0),
      summaryReqPerSec: round(summary.reqPerSec, 0),
      bareReqPerSec: round(bareTrainings.reqPerSec, 0),
      ratioToBare: round(trainings.reqPerSec / bareTrainings.reqPerSec, 3),
      rebuiltP99Ms: round(rebuilt.p99Ms),
      rebuiltReqPerSec: round(rebuilt.reqPerSec, 0),
      rebuiltRatioToBare: round(rebuilt.reqPerSec / bareTrainings.reqPerSec, 3),
      bareSummaryReqPerSec: round(bareSummary.reqPerSec, 0),
      summaryRatioToBare: round(summary.reqPerSec / bareSummary.reqPerSec, 3),
      trainingsBytes: trainingsBytes.length,
      trainingsCount,
      laps: LAPS,
      toolListChars,
      summaryBytes: summaryBytes.length,
      non200: trainings.requests - trainings.ok + (rebuilt.requests - rebuilt.ok) + (summary.requests - summary.ok),
      concurrency: CONCURRENCY,
      seconds: DURATION_MS / 1000,
    }),
  );
} finally {
  await cleanup();
}
