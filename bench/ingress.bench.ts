/**
 * bench:ingress — webhook-ingress as a real process against the real Postgres and Redis: concurrent
 * keep-alive POSTs, one ACTIVITY_UPLOADED event each (unique activity id, ~3 KB like reference
 * §1.6 A), every one durably stored before its 200. Then the same load against a bare fastify route
 * (parse JSON, answer {ok:true}) for the ratio. The load generator runs in this process and shares
 * the machine's cores with the servers, Postgres and Redis.
 *
 * Flags: --concurrency 64 --seconds 10 --warmup 2. The last line printed is one JSON object.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { parseArgs } from 'node:util';
import { createAthlete, inboxCounts, parseEncryptionKey } from '@splits/db';
import { createRedis } from '@splits/queue';
import { startServices } from '@splits/cli';
import { createTestDatabase, REPO_ROOT, TEST_ENCRYPTION_KEY, TEST_REDIS_URL, testQueuePrefix, waitFor } from '@splits/testing';
import { uploadedBodyTemplate } from './lib/activity-body.js';
import { runLoad, type LoadResult } from './lib/load.js';
import { machineCpu } from './lib/cpu.js';

const { values } = parseArgs({
  options: {
    concurrency: { type: 'string', default: '64' },
    seconds: { type: 'string', default: '10' },
    warmup: { type: 'string', default: '2' },
  },
});
const CONCURRENCY = Number(values.concurrency);
const DURATION_MS = Number(values.seconds) * 1000;
const WARMUP_MS = Number(values.warmup) * 1000;
const SECRET = `bench-${randomBytes(12).toString('hex')}`;
const INTERVALS_ATHLETE_ID = 'i880088';

const t = await createTestDatabase('bench');
const prefix = testQueuePrefix('benchingress');
const redis = createRedis(TEST_REDIS_URL);
const cleanups: (() => Promise<unknown>)[] = [];
const cleanup = async () => {
  for (const fn of cleanups.reverse()) await fn().catch((err: Error) => console.error(`cleanup: ${err.message}`));
};

try {
  const { id: athleteId } = await createAthlete(t.db, parseEncryptionKey(TEST_ENCRYPTION_KEY), {
    intervalsAthleteId: INTERVALS_ATHLETE_ID,
    authKind: 'oauth',
    credential: 'bench-token',
  });
  const body = uploadedBodyTemplate(SECRET, INTERVALS_ATHLETE_ID);
  let runId = 0;
  const bodies = () => {
    const tag = `${++runId}x`;
    return (i: number) => body.make(`i${tag}${i}`);
  };

  // --- webhook-ingress, as its own process --------------------------------------------------------
  const svc = await startServices({
    services: ['webhook-ingress'],
    env: {
      DATABASE_URL: t.url,
      REDIS_URL: TEST_REDIS_URL,
      QUEUE_PREFIX: prefix,
      INTERVALS_WEBHOOK_SECRET: SECRET,
      // Jobs stay delayed for the whole run: nothing consumes them, and none is due.
      FETCH_DELAY_MS: String(3_600_000),
      // Thousands of deliveries per second from one address: far past the per-IP limit, whose check
      // (one Redis call per request) is still measured.
      INGRESS_RATE_LIMIT_PER_SEC: String(1_000_000),
      INGRESS_RATE_LIMIT_BURST: String(1_000_000),
      LOG_LEVEL: 'warn',
      NODE_ENV: 'production',
    },
    // PROFILE_DIR=… writes a CPU profile of the ingress (for finding where the time goes).
    ...(process.env.PROFILE_DIR ? { nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${process.env.PROFILE_DIR}`] } : {}),
  });
  cleanups.push(() => svc.stop());
  const ingressUrl = `${svc.urls['webhook-ingress']}/webhooks/intervals`;
  const warm = await runLoad({ url: ingressUrl, concurrency: CONCURRENCY, durationMs: WARMUP_MS, body: bodies() });
  const cpu0 = machineCpu();
  const ingress = await runLoad({ url: ingressUrl, concurrency: CONCURRENCY, durationMs: DURATION_MS, body: bodies() });
  const ingressCpuUs = machineCpu().since(cpu0) / Math.max(1, ingress.requests);

  // Every 200 is a stored row, and every stored row becomes one delayed fetch-activity job.
  const statusCounts = () => inboxCounts(t.db);
  const initial = await statusCounts();
  const storedRows = (initial.accepted ?? 0) + (initial.ignored ?? 0) + (initial.unknown_athlete ?? 0);
  await waitFor(async () => (await statusCounts()).queued === storedRows, { timeoutMs: 30_000, what: 'every row queued' }).catch(() => undefined);
  const byStatus = await statusCounts();
  const delayedJobs = await redis.zcard(`${prefix}:fetch-activity:delayed`);
  const ingressLogErrors = svc.logs['webhook-ingress'].filter((l) => /"level":(50|60)/.test(l)).length;
  await svc.stop();

  // --- bare fastify, as its own process ------------------------------------------------------------
  const bare = spawn(process.execPath, ['--import', 'tsx', 'bench/lib/bare-server.ts'], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
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
  const bareUrl = `http://127.0.0.1:${barePort}/webhooks/intervals`;
  await runLoad({ url: bareUrl, concurrency: CONCURRENCY, durationMs: WARMUP_MS, body: bodies() });
  const cpu1 = machineCpu();
  const baseline = await runLoad({ url: bareUrl, concurrency: CONCURRENCY, durationMs: DURATION_MS, body: bodies() });
  const bareCpuUs = machineCpu().since(cpu1) / Math.max(1, baseline.requests);

  // --- report ------------------------------------------------------------------------------------
  const row = (name: string, r: LoadResult) =>
    [name.padEnd(18), r.requests.toString().padStart(8), r.reqPerSec.toFixed(0).padStart(8), r.p50Ms.toFixed(2).padStart(8), r.p90Ms.toFixed(2).padStart(8), r.p99Ms.toFixed(2).padStart(8), r.maxMs.toFixed(1).padStart(8), JSON.stringify(r.statuses).padStart(14), String(r.errors).padStart(6)].join(' ');
  console.log(`\nbench:ingress — ${CONCURRENCY} keep-alive connections, ${DURATION_MS / 1000} s (after ${WARMUP_MS / 1000} s warm-up), body ${body.bytes} B, ${availableParallelism()} cores shared with Postgres, Redis and the load generator\n`);
  console.log(['target'.padEnd(18), 'requests'.padStart(8), 'req/s'.padStart(8), 'p50 ms'.padStart(8), 'p90 ms'.padStart(8), 'p99 ms'.padStart(8), 'max ms'.padStart(8), 'statuses'.padStart(14), 'errors'.padStart(6)].join(' '));
  console.log(row('webhook-ingress', ingress));
  console.log(row('bare fastify', baseline));
  console.log(`\nmachine CPU per request (all processes, both cores): webhook-ingress ${ingressCpuUs.toFixed(0)} µs, bare fastify ${bareCpuUs.toFixed(0)} µs`);
  console.log(`200s from the ingress (warm-up + measured) = ${warm.ok + ingress.ok}; rows in webhook_inbox = ${storedRows}; by status ${JSON.stringify(byStatus)}; delayed fetch-activity jobs = ${delayedJobs}; error log lines = ${ingressLogErrors}\n`);

  const round = (n: number, d = 2) => Number(n.toFixed(d));
  console.log(
    JSON.stringify({
      reqPerSec: round(ingress.reqPerSec, 0),
      p50Ms: round(ingress.p50Ms),
      p99Ms: round(ingress.p99Ms),
      bareReqPerSec: round(baseline.reqPerSec, 0),
      ratioToBare: round(ingress.reqPerSec / baseline.reqPerSec, 3),
      bareP99Ms: round(baseline.p99Ms),
      cpuUsPerReq: round(ingressCpuUs, 0),
      bareCpuUsPerReq: round(bareCpuUs, 0),
      concurrency: CONCURRENCY,
      seconds: DURATION_MS / 1000,
      bodyBytes: body.bytes,
      non200: ingress.requests - ingress.ok,
      ok200: warm.ok + ingress.ok,
      storedRows,
      delayedJobs,
      everyOkStoredAndQueued: storedRows === warm.ok + ingress.ok && byStatus.queued === storedRows && delayedJobs === storedRows,
      athleteId,
    }),
  );
} finally {
  await cleanup();
  const keys: string[] = [];
  let cursor = '0';
  do {
    const [next, batch] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
    cursor = next;
    keys.push(...batch);
  } while (cursor !== '0');
  for (let i = 0; i < keys.length; i += 500) await redis.del(...keys.slice(i, i + 500));
  redis.disconnect();
  await t.drop();
}
