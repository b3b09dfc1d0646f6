/**
 * bench:pipeline — webhooks through every real service to the Telegram message, FETCH_DELAY_MS=0.
 * Phase 1 (latency): webhooks paced at a steady rate; webhook→message p50/p99 per activity.
 * Phase 2 (throughput): a burst of webhooks at once; activities/s until the last message.
 * The fake Intervals.icu answers without an analysis delay and INTERVALS_MAX_RPS is lifted, so
 * what is measured is Splits' own overhead (production is bounded by Intervals.icu's ~10 req/s per
 * IP, about 3 activities/s per fetch-worker IP at 3 requests per activity).
 */
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { createApiToken, createAthlete, parseEncryptionKey } from '@splits/db';
import { startServices } from '@splits/cli';
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
  waitFor,
} from '@splits/testing';

const { values } = parseArgs({ options: { paced: { type: 'string', default: '100' }, rate: { type: 'string', default: '10' }, burst: { type: 'string', default: '300' } } });
const PACED = Number(values.paced);
const RATE = Number(values.rate);
const BURST = Number(values.burst);
const PREFIX = testQueuePrefix('benchpipe');
const SECRET = `bench-${randomBytes(6).toString('hex')}`;

const t = await createTestDatabase('benchpipe');
const intervals = await startFakeIntervals({ analysedAfterFetches: 0 });
const telegram = await startFakeTelegram();
const llm = await startFakeLlm();
const athlete = generateAthlete({ seed: 99, intervalsAthleteId: 'i990099', weeks: 26, now: new Date() });
intervals.addAthlete(athlete, { apiKey: 'bench-key' });
const { id: athleteId } = await createAthlete(t.db, parseEncryptionKey(TEST_ENCRYPTION_KEY), {
  intervalsAthleteId: athlete.athleteId,
  authKind: 'api_key',
  credential: 'bench-key',
  telegramChatId: '4242',
});
await createApiToken(t.db, athleteId);
const svc = await startServices({
  services: ['webhook-ingress', 'fetch-worker', 'classify-worker', 'summary-worker', 'telegram-worker'],
  env: {
    DATABASE_URL: t.url,
    REDIS_URL: TEST_REDIS_URL,
    QUEUE_PREFIX: PREFIX,
    INTERVALS_API_BASE_URL: intervals.url,
    INTERVALS_WEBHOOK_SECRET: SECRET,
    TOKEN_ENCRYPTION_KEY: TEST_ENCRYPTION_KEY,
    TELEGRAM_BOT_TOKEN: telegram.token,
    TELEGRAM_API_ROOT: telegram.url,
    FETCH_DELAY_MS: '0',
    INTERVALS_MAX_RPS: '100000',
    LOG_LEVEL: 'warn',
    // One chat receives every card here; Telegram's 1 msg/s per chat would measure only that limit.
    TELEGRAM_CHAT_INTERVAL_MS: '0',
    TELEGRAM_BOT_MPS: '100000',
  },
});

const ingress = `${svc.urls['webhook-ingress']}/webhooks/intervals`;
const sentAt = new Map<string, number>();
const doneAt = new Map<string, number>();
let scanned = 0;
const scan = () => {
  const calls = telegram.calls;
  for (; scanned < calls.length; scanned++) {
    const c = calls[scanned]!;
    if (c.method !== 'sendMessage' && c.method !== 'sendPhoto') continue;
    const text = String((c.body as { text?: string; caption?: string }).text ?? (c.body as { caption?: string }).caption ?? '');
    const m = /intervals\.icu\/activities\/(\S+)/.exec(text);
    if (m && !doneAt.has(m[1]!)) doneAt.set(m[1]!, c.at);
  }
};

async function post(kind: 'easy' | 'threshold' | 'intervals', i: number): Promise<string> {
  const a = makeNewActivity(athlete, { kind, at: new Date(Date.now() - (i + 1) * 60_000) });
  intervals.addActivity(athlete.athleteId, a, { analysedAfterFetches: 0 });
  const id = String(a.id);
  sentAt.set(id, Date.now());
  const res = await fetch(ingress, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(intervals.uploadedWebhook(SECRET, athlete.athleteId, a)) });
  if (res.status !== 200) throw new Error(`ingress answered ${res.status}`);
  return id;
}
const kinds = ['easy', 'threshold', 'intervals'] as const;
const pct = (xs: number[], p: number) => xs[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;

// Warm-up: first jobs pay for JIT and connection set-up.
const warm = await Promise.all([0, 1, 2, 3, 4].map((i) => post(kinds[i % 3]!, 10_000 + i)));
await waitFor(() => (scan(), warm.every((id) => doneAt.has(id))), { timeoutMs: 60_000, what: 'warm-up' });

// Phase 1: paced arrivals.
const paced: string[] = [];
for (let i = 0; i < PACED; i++) {
  paced.push(await post(kinds[i % 3]!, i));
  await new Promise((r) => setTimeout(r, 1000 / RATE));
}
await waitFor(() => (scan(), paced.every((id) => doneAt.has(id))), { timeoutMs: 120_000, what: 'paced messages' });
const lat = paced.map((id) => doneAt.get(id)! - sentAt.get(id)!).sort((a, b) => a - b);

// Phase 2: a burst.
const b0 = Date.now();
const burst = await Promise.all(Array.from({ length: BURST }, (_, i) => post(kinds[i % 3]!, 20_000 + i)));
await waitFor(() => (scan(), burst.every((id) => doneAt.has(id))), { timeoutMs: 300_000, what: 'burst messages' });
const burstSecs = (Math.max(...burst.map((id) => doneAt.get(id)!)) - b0) / 1000;
const burstLat = burst.map((id) => doneAt.get(id)! - sentAt.get(id)!).sort((a, b) => a - b);

const messages = telegram.sent.length;
const result = {
  activitiesPerSec: Math.round((BURST / burstSecs) * 10) / 10,
  p50Ms: pct(lat, 50),
  p99Ms: pct(lat, 99),
  pacedRatePerSec: RATE,
  paced: PACED,
  burst: BURST,
  burstP50Ms: pct(burstLat, 50),
  burstP99Ms: pct(burstLat, 99),
  messages,
  expectedMessages: warm.length + PACED + BURST,
};
console.log('\npipeline: webhook → fetch → classify → Telegram (FETCH_DELAY_MS=0, fake third parties)\n');
console.table({
  [`paced ${RATE}/s (${PACED})`]: { 'p50 ms': result.p50Ms, 'p99 ms': result.p99Ms, 'activities/s': RATE },
  [`burst (${BURST})`]: { 'p50 ms': result.burstP50Ms, 'p99 ms': result.burstP99Ms, 'activities/s': result.activitiesPerSec },
});
console.log(`messages sent: ${messages} (expected ${result.expectedMessages}, one per workout)`);

await svc.stop();
await Promise.all([intervals.close(), telegram.close(), llm.close()]);
await t.drop();
await dropQueuePrefix(TEST_REDIS_URL, PREFIX);
console.log(JSON.stringify(result));
