/**
 * bench:summary — the athlete summary. Build: the whole rebuild as the worker runs it (load from
 * Postgres, build every section, store) for athletes with 6 months, 2 years and 5 years of history;
 * median of repeated builds, and the first build (which measures every recent run's best efforts). Serve: GET /summary against the real api-gateway process over HTTP
 * (auth, per-token rate limit, read, respond), sequential requests, latency p50/p99, interleaved with a
 * bare route from the same client as the baseline; then the first read after each of a series of
 * rebuilds (proof that every rebuild reaches the gateway's cache: each must serve the new build).
 */
import { cpus, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { createApiToken } from '@splits/db';
import { startServices } from '@splits/cli';
import { createTestDatabase, dropQueuePrefix, generateAthlete, seedSummaryAthlete, TEST_REDIS_URL, testQueuePrefix } from '@splits/testing';
import { rebuildAthleteSummary } from '../services/summary-worker/src/build-summary.processor.js';

const { values } = parseArgs({ options: { builds: { type: 'string', default: '15' }, requests: { type: 'string', default: '2000' }, warmup: { type: 'string', default: '100' }, fresh: { type: 'string', default: '100' } } });
const BUILDS = Number(values.builds);
const REQUESTS = Number(values.requests);
const WARMUP = Number(values.warmup);
const FRESH = Number(values.fresh);
const PREFIX = testQueuePrefix('benchsum');
const now = new Date();
const t = await createTestDatabase('benchsum');

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
const r1 = (v: number) => Math.round(v * 10) / 10;
const r2 = (v: number) => Math.round(v * 100) / 100;

const rows: { label: string; weeks: number; workouts: number; sizeChars: number; firstMs: number; medianMs: number; p90Ms: number; cpuMs: number }[] = [];
let fiveYear = '';
try {
  for (const [label, weeks, seed] of [
    ['6 months', 26, 501],
    ['2 years', 104, 502],
    ['5 years', 260, 503],
  ] as const) {
    // 6–8 sessions a week (doubles included): ~1,800 workouts in 5 years, as the issue sizes it.
    const fake = generateAthlete({ seed, weeks, now, sessionsPerWeek: { min: 6, max: 8 } });
    // Runs keep their source with time/distance streams: best efforts are measured on them.
    const id = await seedSummaryAthlete(t.db, fake, { profile: true, runSources: true });
    const first = performance.now();
    await rebuildAthleteSummary(t.db, id, now, 'bench'); // warm-up; measures every run of the last year once
    const firstMs = performance.now() - first;
    const times: number[] = [];
    const cpu0 = process.cpuUsage();
    let last: Awaited<ReturnType<typeof rebuildAthleteSummary>> | null = null;
    for (let i = 0; i < BUILDS; i++) {
      const started = performance.now();
      last = await rebuildAthleteSummary(t.db, id, new Date(now.getTime() + i), 'bench');
      times.push(performance.now() - started);
    }
    const cpu = process.cpuUsage(cpu0);
    times.sort((a, b) => a - b);
    rows.push({
      label,
      weeks,
      workouts: fake.activities.length,
      sizeChars: last?.status === 'built' ? last.sizeChars : 0,
      firstMs: r1(firstMs),
      medianMs: r1(pct(times, 50)),
      p90Ms: r1(pct(times, 90)),
      // This process's CPU per build (the wall time also holds Postgres and, on a shared machine, waiting).
      cpuMs: r1((cpu.user + cpu.system) / 1000 / BUILDS),
    });
    if (weeks === 260) fiveYear = id;
  }

  const { token } = await createApiToken(t.db, fiveYear, 'bench');
  const svc = await startServices({
    services: ['api-gateway'],
    nodeArgs: process.env.BENCH_NODE_ARGS ? process.env.BENCH_NODE_ARGS.split(' ') : undefined,
    env: { DATABASE_URL: t.url, REDIS_URL: TEST_REDIS_URL, QUEUE_PREFIX: PREFIX, LOG_LEVEL: 'warn', GATEWAY_RATE_LIMIT_PER_MIN: String(10_000_000) },
  });
  // Steady state: GET /summary interleaved with GET /health (a bare route, no auth, no reads) from the
  // same client, so both see the same machine noise and the ratio says what the summary path costs.
  const lat: number[] = [];
  const bare: number[] = [];
  // After a rebuild: the first read of a new build, as an assistant's first call after a workout
  // lands (the rebuild's notification dropped the old answer and the gateway reloads the new one).
  const fresh: number[] = [];
  let freshCurrent = 0;
  let bytes = 0;
  try {
    const base = svc.urls['api-gateway'];
    const headers = { authorization: `Bearer ${token}` };
    const get = async (path: string, auth: boolean) => {
      const started = performance.now();
      const res = await fetch(`${base}${path}`, auth ? { headers } : undefined);
      const body = await res.arrayBuffer();
      const ms = performance.now() - started;
      if (res.status !== 200) throw new Error(`GET ${path} answered ${res.status}`);
      return { ms, body };
    };
    for (let i = 0; i < WARMUP; i++) await Promise.all([get('/summary', true), get('/health', false)]); // JIT, pools
    for (let i = 0; i < REQUESTS; i++) {
      const r = await get('/summary', true);
      lat.push(r.ms);
      bytes = r.body.byteLength;
      bare.push((await get('/health', false)).ms);
    }
    for (let i = 0; i < FRESH; i++) {
      await rebuildAthleteSummary(t.db, fiveYear, new Date(now.getTime() + BUILDS + i), 'bench');
      const stored = await t.db.selectFrom('athlete_summary').select('built_at').where('athlete_id', '=', fiveYear).executeTakeFirstOrThrow();
      await new Promise((r) => setTimeout(r, 20)); // the notification's trip to the gateway
      const r = await get('/summary', true);
      fresh.push(r.ms);
      const answer = JSON.parse(Buffer.from(r.body).toString('utf8')) as { builtAt: string };
      if (answer.builtAt === stored.built_at.toISOString()) freshCurrent++;
    }
  } finally {
    await svc.stop();
  }
  lat.sort((a, b) => a - b);
  bare.sort((a, b) => a - b);
  fresh.sort((a, b) => a - b);

  console.log('\nsummary build (load + build + store, median of %d)', BUILDS);
  console.table(rows.map((r) => ({ history: r.label, workouts: r.workouts, 'size (chars)': r.sizeChars, 'first build ms': r.firstMs, 'median ms': r.medianMs, 'p90 ms': r.p90Ms, 'worker cpu ms': r.cpuMs })));
  console.log('load average (1 min) during the run: %s on %d cores', loadavg()[0]!.toFixed(1), cpus().length);
  console.log('\nGET /summary, 5-year athlete (%d bytes), over HTTP from one client, sequential; interleaved with GET /health as the baseline', bytes);
  const line = (label: string, xs: number[]) => ({ request: label, n: xs.length, 'p50 ms': r2(pct(xs, 50)), 'p90 ms': r2(pct(xs, 90)), 'p99 ms': r2(pct(xs, 99)), 'max ms': r2(xs.at(-1)!) });
  console.table([line('GET /summary (steady)', lat), line('GET /health (bare baseline)', bare), line('GET /summary, first after a rebuild', fresh)]);
  console.log('first reads after a rebuild that served the new build: %d of %d', freshCurrent, FRESH);
  console.log(
    JSON.stringify({
      build6mMs: rows[0]!.medianMs,
      build2yMs: rows[1]!.medianMs,
      build5yMs: rows[2]!.medianMs,
      serveP50Ms: r2(pct(lat, 50)),
      serveP99Ms: r2(pct(lat, 99)),
      bareP50Ms: r2(pct(bare, 50)),
      bareP99Ms: r2(pct(bare, 99)),
      serveP99RatioToBare: r2(pct(lat, 99) / pct(bare, 99)),
      freshP50Ms: r2(pct(fresh, 50)),
      freshP99Ms: r2(pct(fresh, 99)),
      freshServedNewBuild: `${freshCurrent}/${FRESH}`,
      build5yCpuMs: rows[2]!.cpuMs,
      // The first build after import measures the best efforts of every run of the last year.
      build5yFirstMs: rows[2]!.firstMs,
      workouts5y: rows[2]!.workouts,
      summaryChars5y: rows[2]!.sizeChars,
    }),
  );
} finally {
  await dropQueuePrefix(TEST_REDIS_URL, PREFIX);
  await t.drop();
}
