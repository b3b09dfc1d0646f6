/**
 * pnpm soak [--minutes N] [--webhook-rate R] [--read-rate R] — load that should stay flat (issue 15):
 * webhooks at a steady rate through every real service on the fakes, plus gateway reads (REST and
 * MCP) at a steady rate. Prints RSS per service at start, after the first minute (warm-up) and at
 * the end, error counts, and p99 per route each minute; the JSON last line holds the same.
 * Goal: no errors, RSS growth under 10% after warm-up, p99 flat.
 */
import { readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { createApiToken, createAthlete, parseEncryptionKey } from '@splits/db';
import { startServices, type ServiceName } from '@splits/cli';
import {
  createTestDatabase,
  dropQueuePrefix,
  generateAthlete,
  makeNewActivity,
  startFakeIntervals,
  startFakeLlm,
  startFakeTelegram,
  TEST_ENCRYPTION_KEY,
  TEST_REDIS_URL,
  testQueuePrefix,
} from '@splits/testing';

const { values } = parseArgs({ options: { minutes: { type: 'string', default: '2' }, 'webhook-rate': { type: 'string', default: '1' }, 'read-rate': { type: 'string', default: '10' } } });
const MINUTES = Number(values.minutes);
const WEBHOOK_RATE = Number(values['webhook-rate']);
const READ_RATE = Number(values['read-rate']);
const PREFIX = testQueuePrefix('soak');
const SECRET = `soak-${randomBytes(6).toString('hex')}`;
const SERVICES: ServiceName[] = ['webhook-ingress', 'fetch-worker', 'classify-worker', 'summary-worker', 'telegram-worker', 'api-gateway'];

const t = await createTestDatabase('soak');
const intervals = await startFakeIntervals({ analysedAfterFetches: 0 });
const telegram = await startFakeTelegram();
const llm = await startFakeLlm();
const athletes: Array<{ fake: ReturnType<typeof generateAthlete>; token: string }> = [];
for (let i = 0; i < 4; i++) {
  const fake = generateAthlete({ seed: 500 + i, intervalsAthleteId: `i66${i}000`, weeks: 4, now: new Date() });
  intervals.addAthlete(fake, { apiKey: `soak-key-${i}` });
  const { id } = await createAthlete(t.db, parseEncryptionKey(TEST_ENCRYPTION_KEY), { intervalsAthleteId: fake.athleteId, authKind: 'api_key', credential: `soak-key-${i}`, telegramChatId: String(880000 + i) });
  await t.db.updateTable('intervals_connection').set({ last_polled_at: new Date() }).where('athlete_id', '=', id).execute();
  athletes.push({ fake, token: (await createApiToken(t.db, id)).token });
}
const svc = await startServices({
  services: SERVICES,
  env: {
    DATABASE_URL: t.url,
    REDIS_URL: TEST_REDIS_URL,
    QUEUE_PREFIX: PREFIX,
    INTERVALS_API_BASE_URL: intervals.url,
    INTERVALS_WEBHOOK_SECRET: SECRET,
    TOKEN_ENCRYPTION_KEY: TEST_ENCRYPTION_KEY,
    TELEGRAM_BOT_TOKEN: telegram.token,
    TELEGRAM_API_ROOT: telegram.url,
    LLM_BASE_URL: llm.url,
    LLM_MODEL: 'fake-model',
    PUBLIC_BASE_URL: 'http://127.0.0.1:1',
    FETCH_DELAY_MS: '200',
    GATEWAY_RATE_LIMIT_PER_MIN: '100000',
    LOG_LEVEL: 'warn',
    HOST: '127.0.0.1',
  },
});

const rss = () =>
  Object.fromEntries(
    SERVICES.map((s) => {
      const pid = svc.pid(s);
      const kb = pid ? Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) : 0;
      return [s, Math.round(kb / 1024)];
    }),
  ) as Record<string, number>;

type Sample = { route: string; ms: number; ok: boolean };
let samples: Sample[] = [];
const errors: Record<string, number> = {};
const gw = svc.urls['api-gateway'];
const READS: Array<{ route: string; run: (token: string) => Promise<Response> }> = [
  { route: 'GET /trainings', run: (tk) => fetch(`${gw}/trainings?limit=30`, { headers: { authorization: `Bearer ${tk}` } }) },
  { route: 'GET /trainings?full=1', run: (tk) => fetch(`${gw}/trainings?full=1&limit=10`, { headers: { authorization: `Bearer ${tk}` } }) },
  { route: 'GET /summary', run: (tk) => fetch(`${gw}/summary`, { headers: { authorization: `Bearer ${tk}` } }) },
  {
    route: 'MCP get_trainings',
    run: (tk) =>
      fetch(`${gw}/mcp`, {
        method: 'POST',
        headers: { authorization: `Bearer ${tk}`, 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'mcp-protocol-version': '2025-06-18' },
        body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'get_trainings', arguments: { limit: 10 } } }),
      }),
  },
];

async function timed(route: string, run: () => Promise<Response>) {
  const t0 = performance.now();
  const ok = await run().then(
    async (r) => {
      const body = await r.text();
      // The summary answers 202/503 while an athlete's first one is being built: not an error of the service.
      return r.ok || (route === 'GET /summary' && (r.status === 202 || r.status === 503)) ? !/"isError":true/.test(body) : false;
    },
    () => false,
  );
  samples.push({ route, ms: performance.now() - t0, ok });
  if (!ok) errors[route] = (errors[route] ?? 0) + 1;
}

const rssStart = rss();
const started = Date.now();
const end = started + MINUTES * 60_000;
const perMinute: Array<{ minute: number; routes: Record<string, { n: number; p99: number; errors: number }> }> = [];
let rssWarm: Record<string, number> | null = null;
let nextMinute = started + 60_000;
let w = 0;
let r = 0;
const inflight = new Set<Promise<void>>();
const track = (p: Promise<void>) => {
  inflight.add(p);
  void p.finally(() => inflight.delete(p));
};
while (Date.now() < end) {
  const now = Date.now();
  const dueW = Math.floor(((now - started) / 1000) * WEBHOOK_RATE);
  for (; w < dueW; w++) {
    const a = athletes[w % athletes.length]!;
    const act = makeNewActivity(a.fake, { kind: w % 3 ? 'easy' : 'intervals', at: new Date(Date.now() - 3600_000) });
    intervals.addActivity(a.fake.athleteId, act, { analysedAfterFetches: 0 });
    const body = JSON.stringify(intervals.uploadedWebhook(SECRET, a.fake.athleteId, act));
    track(timed('POST /webhooks/intervals', () => fetch(`${svc.urls['webhook-ingress']}/webhooks/intervals`, { method: 'POST', headers: { 'content-type': 'application/json' }, body })));
  }
  const dueR = Math.floor(((now - started) / 1000) * READ_RATE);
  for (; r < dueR; r++) {
    const read = READS[r % READS.length]!;
    const tk = athletes[r % athletes.length]!.token;
    track(timed(read.route, () => read.run(tk)));
  }
  if (now >= nextMinute) {
    perMinute.push({ minute: perMinute.length + 1, routes: summarise(samples) });
    console.error(`minute ${perMinute.length}: ${JSON.stringify(perMinute.at(-1)!.routes)}`);
    samples = [];
    if (!rssWarm) rssWarm = rss();
    nextMinute += 60_000;
  }
  await new Promise((res) => setTimeout(res, 20));
}
await Promise.all(inflight);
if (samples.length) perMinute.push({ minute: perMinute.length + 1, routes: summarise(samples) });
const rssEnd = rss();

function summarise(s: Sample[]) {
  const out: Record<string, { n: number; p99: number; errors: number }> = {};
  for (const route of new Set(s.map((x) => x.route))) {
    const ms = s.filter((x) => x.route === route).map((x) => x.ms).sort((a, b) => a - b);
    out[route] = { n: ms.length, p99: Math.round(ms[Math.min(ms.length - 1, Math.floor(ms.length * 0.99))]! * 10) / 10, errors: s.filter((x) => x.route === route && !x.ok).length };
  }
  return out;
}

await svc.stop();
await Promise.all([intervals.close(), telegram.close(), llm.close()]);
await dropQueuePrefix(TEST_REDIS_URL, PREFIX);
await t.drop();

const base = rssWarm ?? rssStart;
const growth = Object.fromEntries(SERVICES.map((s) => [s, base[s] ? Math.round(((rssEnd[s]! - base[s]!) / base[s]!) * 1000) / 10 : null]));
console.log(`service            RSS MB start  after warm-up  end   growth after warm-up`);
for (const s of SERVICES) console.log(`${s.padEnd(18)} ${String(rssStart[s]).padStart(10)}  ${String(rssWarm?.[s] ?? '-').padStart(13)}  ${String(rssEnd[s]).padStart(4)}   ${growth[s]}%`);
for (const m of perMinute) {
  console.log(`minute ${m.minute}`);
  for (const [route, v] of Object.entries(m.routes)) console.log(`  ${route.padEnd(26)} n=${String(v.n).padStart(5)}  p99=${String(v.p99).padStart(7)} ms  errors=${v.errors}`);
}
console.log(`errors: ${JSON.stringify(errors)}`);
console.log(JSON.stringify({ minutes: MINUTES, webhookRate: WEBHOOK_RATE, readRate: READ_RATE, rssStartMb: rssStart, rssWarmMb: rssWarm, rssEndMb: rssEnd, rssGrowthAfterWarmupPct: growth, errors, perMinute }));
