/**
 * bench:web — the athlete's pages for a 5-year athlete (≈ 260 weeks of generated training, a built
 * summary, a profile): each page requested N times over keep-alive HTTP after a warm-up; prints the
 * server time per page (p50/p95 from the Server-Timing header the app sets) and the bytes a first
 * load transfers (the page, its stylesheet and scripts, and the chart data it fetches). Bars (issue
 * 18): ≤ 50 ms p95 server time per page, ≤ 300 KB first load. The last line printed is one JSON object.
 *
 * Flags: --requests 60 --weeks 260
 */
import { parseArgs } from 'node:util';
import { createLoginCode, loadSummarySources, storeAthleteSummary, upsertActivitySource } from '@splits/db';
import { createQueues, createRedis } from '@splits/queue';
import { createLogger } from '@splits/telemetry';
import { prepareSummary, summaryWindows, type SummaryInput } from '@splits/training';
import { createTestDatabase, generateAthlete, generateStreams, seedSummaryAthlete, streamsToWire, TEST_REDIS_URL, testQueuePrefix } from '@splits/testing';
import { buildApp } from '../services/web/src/app.js';

const { values } = parseArgs({ options: { requests: { type: 'string', default: '60' }, weeks: { type: 'string', default: '260' } } });
const N = Number(values.requests);
const t = await createTestDatabase('benchweb');
const redis = createRedis(TEST_REDIS_URL);
const queues = createQueues(redis, testQueuePrefix('benchweb'));
try {
  const fake = generateAthlete({ seed: 18, weeks: Number(values.weeks), now: new Date() });
  const athleteId = await seedSummaryAthlete(t.db, fake, { profile: true });
  const now = new Date();
  const sources = await loadSummarySources(t.db, athleteId, (tz) => summaryWindows(now, tz));
  await storeAthleteSummary(t.db, athleteId, { ...prepareSummary({ ...sources, now, bestEfforts: [] } as SummaryInput), buildMs: 0, reason: 'bench' });
  // The newest run with its full streams (the workout page's chart).
  const run = [...fake.activities].reverse().find((a) => a.plan.sport === 'Run')!;
  const streams = streamsToWire(generateStreams(run.plan, run.profile, { latlng: false }), ['time', 'distance', 'velocity_smooth', 'heartrate', 'altitude']);
  await upsertActivitySource(t.db, { athleteId, intervalsActivityId: run.activity.id, activity: run.activity, intervals: { icu_intervals: run.icu_intervals }, streams, wellness: null });
  const { id: workoutId } = (await t.db.selectFrom('workout').select('id').where('intervals_activity_id', '=', String(run.activity.id)).executeTakeFirstOrThrow());
  const workouts = Number((await t.db.selectFrom('workout').select((eb) => eb.fn.countAll().as('n')).where('athlete_id', '=', athleteId).executeTakeFirstOrThrow()).n);

  const app = await buildApp({ db: t.db, queues, log: createLogger('web', 'silent'), webPublicUrl: 'http://127.0.0.1', gatewayUrl: 'http://127.0.0.1:3000' });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const base = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;

  // Sign in like a browser.
  const pre = await fetch(`${base}/signin`);
  const preCookie = pre.headers.getSetCookie()[0]!.split(';')[0]!;
  const csrf = /name="csrf" value="([^"]+)"/.exec(await pre.text())![1]!;
  const { code } = await createLoginCode(t.db, athleteId, 60_000);
  const signed = await fetch(`${base}/signin`, { method: 'POST', redirect: 'manual', headers: { cookie: preCookie, 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ csrf, code }) });
  const cookie = signed.headers.getSetCookie().find((c) => c.startsWith('splits-session='))!.split(';')[0]!;

  const pages: Record<string, string> = {
    today: '/',
    history: '/history',
    'history-filtered': '/history?type=Easy&page=3',
    workout: `/workouts/${workoutId}`,
    trends: '/trends',
    goals: '/goals',
    connections: '/connections',
    privacy: '/privacy',
  };
  const get = async (path: string) => {
    const res = await fetch(`${base}${path}`, { headers: { cookie, accept: 'text/html' } });
    const body = Buffer.from(await res.arrayBuffer());
    if (res.status !== 200) throw new Error(`${path}: ${res.status}`);
    return { ms: Number(/dur=([\d.]+)/.exec(res.headers.get('server-timing') ?? '')?.[1] ?? NaN), body };
  };
  const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;
  const results: Record<string, { p50Ms: number; p95Ms: number; firstLoadKB: number }> = {};
  for (const [name, path] of Object.entries(pages)) {
    for (let i = 0; i < 5; i++) await get(path);
    const times: number[] = [];
    let html = Buffer.alloc(0);
    for (let i = 0; i < N; i++) {
      const r = await get(path);
      times.push(r.ms);
      html = r.body;
    }
    // First load: the page, every stylesheet and script it links, and the chart data it fetches.
    const text = html.toString();
    const linked = [...text.matchAll(/(?:href|src)="(\/assets\/[^"]+)"/g)].map((m) => m[1]!);
    const data = [...text.matchAll(/data-series="([^"]+)"/g)].map((m) => m[1]!);
    let bytes = html.length;
    for (const u of [...linked, ...data]) bytes += (await get(u)).body.length;
    results[name] = { p50Ms: pct(times, 50), p95Ms: pct(times, 95), firstLoadKB: Math.round((bytes / 1024) * 10) / 10 };
    console.log(`${name.padEnd(18)} p50 ${results[name].p50Ms.toFixed(1)} ms  p95 ${results[name].p95Ms.toFixed(1)} ms  first load ${results[name].firstLoadKB} KB`);
  }
  const series = await get(`/workouts/${workoutId}/series.json`);
  await app.close();
  const worstP95 = Math.max(...Object.values(results).map((r) => r.p95Ms));
  const worstKB = Math.max(...Object.values(results).map((r) => r.firstLoadKB));
  console.log(JSON.stringify({ bench: 'web', workouts, requestsPerPage: N, seriesP95Ms: series.ms, worstP95Ms: worstP95, worstFirstLoadKB: worstKB, p95Within50ms: worstP95 <= 50, firstLoadWithin300KB: worstKB <= 300, pages: results }));
} finally {
  await queues.close();
  await redis.quit();
  await t.drop();
}
