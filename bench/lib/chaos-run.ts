/**
 * The chaos run (issue 15): N activities for several Telegram-linked athletes through every real
 * service on the fakes, while workers are SIGKILLed, Redis restarts without and with persistence,
 * Postgres restarts, Intervals.icu answers 5xx/429/timeouts and Telegram answers 429s. Then it waits
 * for the system to drain and counts what became of every acknowledged activity.
 *
 * Redis and Postgres are the run's own (a redis-server and an initdb cluster on their own ports),
 * so restarting them never touches the machine's. Used by `pnpm chaos` (bench/chaos.bench.ts) and,
 * shortened, by test/chaos.e2e.test.ts.
 */
import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { createAthlete, createDb, ensureDatabase, migrateToLatest, parseEncryptionKey, type Db } from '@splits/db';
import { startServices, type ServiceName, type SupervisorEvent } from '@splits/cli';
import {
  createPostgresServer,
  generateAthlete,
  makeNewActivity,
  maxPerSecond,
  startArrivalClock,
  startFakeIntervals,
  startFakeLlm,
  startFakeTelegram,
  startRedisServer,
  TEST_ENCRYPTION_KEY,
  type FakeAthlete,
} from '@splits/testing';

export interface ChaosOptions {
  activities: number;
  /** How long the webhooks (and the faults) are spread over. */
  minutes: number;
  athletes: number;
  /** SIGKILLs per worker kind during the run (the ingress and the gateway are killed once each). */
  killsPerWorker: number;
  /** Gives up waiting for the drain after this long (the figures are printed either way). */
  drainTimeoutMs: number;
  seed: number;
  log?: (line: string) => void;
}

export interface ChaosResult {
  activities: number;
  acknowledged: number;
  stored: number;
  classified: number;
  inSummary: number;
  cardsSent: number;
  duplicateCards: number;
  lost: number;
  /** The busiest second of requests to Intervals.icu, stamped on arrival by an ArrivalClock in front of the fake. */
  maxIntervalsRps: number;
  /** The same as the fake's own handlers stamped them (late while this process's event loop is busy: reads high). */
  maxIntervalsRpsSeenByFake: number;
  maxMessagesPerSecondPerChat: number;
  maxMessagesPerSecondPerBot: number;
  /** The shortest gap between two messages to one chat (the per-chat pacing as Telegram saw it). */
  minChatGapMs: number | null;
  drainMs: number | null;
  faults: Record<string, number>;
  restarts: Partial<Record<ServiceName, number>>;
  limits: typeof LIMITS;
}

const WORKERS: ServiceName[] = ['fetch-worker', 'classify-worker', 'summary-worker', 'telegram-worker'];
const SERVICES: ServiceName[] = ['webhook-ingress', ...WORKERS, 'api-gateway'];
/**
 * What the services are configured with, and the limits they protect: Intervals.icu allows about 10
 * requests/s per IP (DESIGN §10; paced at 8 for a margin), Telegram one message per second per chat
 * (short bursts tolerated) and 30/s per bot.
 */
const LIMITS = { intervalsMaxRps: 8, intervalsLimit: 10, chatIntervalMs: 1000, botMps: 30 };

export async function runChaos(o: ChaosOptions): Promise<ChaosResult> {
  const log = o.log ?? (() => undefined);
  const rand = mulberry(o.seed);
  const secret = `chaos-${randomBytes(6).toString('hex')}`;
  const faults: Record<string, number> = {};
  const count = (k: string) => (faults[k] = (faults[k] ?? 0) + 1);

  const pg = await createPostgresServer({ start: true });
  const redis = await startRedisServer();
  const intervals = await startFakeIntervals({ analysedAfterFetches: 1 });
  // The rate Intervals.icu would see is stamped where requests arrive, on a thread of its own: the
  // fake's handlers share this process's event loop with the whole run and stamp late when it is busy.
  const intervalsClock = await startArrivalClock(intervals.url);
  const telegram = await startFakeTelegram();
  const llm = await startFakeLlm();
  const dbUrl = pg.url.replace(/\/postgres$/, '/splits');
  await ensureDatabase(dbUrl);
  const db = createDb(dbUrl, { poolSize: 2, applicationName: 'chaos' });
  await migrateToLatest(db);
  let svc: Awaited<ReturnType<typeof startServices>> | undefined;

  try {
    const athletes: Array<{ fake: FakeAthlete; id: string; chatId: string }> = [];
    for (let i = 0; i < o.athletes; i++) {
      const fake = generateAthlete({ seed: o.seed * 100 + i, intervalsAthleteId: `i${880000 + i}`, weeks: 2, now: new Date() });
      const apiKey = `chaos-key-${i}`;
      intervals.addAthlete(fake, { apiKey });
      const chatId = String(770000 + i);
      const { id } = await createAthlete(db, parseEncryptionKey(TEST_ENCRYPTION_KEY), {
        intervalsAthleteId: fake.athleteId,
        authKind: 'api_key',
        credential: apiKey,
        telegramChatId: chatId,
        name: `Chaos ${i}`,
      });
      // Polling would import on its own schedule; this run is about webhooks.
      await db.updateTable('intervals_connection').set({ last_polled_at: new Date() }).where('athlete_id', '=', id).execute();
      athletes.push({ fake, id, chatId });
    }

    const events: SupervisorEvent[] = [];
    const lastLines = new Map<ServiceName, string[]>();
    svc = await startServices({
      services: SERVICES,
      restart: { initialDelayMs: 500, maxDelayMs: 5_000, resetAfterMs: 30_000 },
      onEvent: (e) => {
        events.push(e);
        if (e.kind !== 'restarted') log(`supervisor: ${JSON.stringify(e)}`);
        // An exit nobody asked for (not our SIGKILL): its last words say why.
        if (e.kind === 'exit' && e.signal === null) log(`${e.service} last lines:\n  ${(svc?.logs[e.service] ?? lastLines.get(e.service) ?? []).slice(-6).join('\n  ')}`);
      },
      onLine: (name, line) => lastLines.set(name, [...(lastLines.get(name) ?? []).slice(-9), line]),
      env: {
        DATABASE_URL: dbUrl,
        REDIS_URL: redis.url,
        QUEUE_PREFIX: 'chaos',
        INTERVALS_API_BASE_URL: intervalsClock.url,
        INTERVALS_WEBHOOK_SECRET: secret,
        TOKEN_ENCRYPTION_KEY: TEST_ENCRYPTION_KEY,
        TELEGRAM_BOT_TOKEN: telegram.token,
        TELEGRAM_API_ROOT: telegram.url,
        LLM_BASE_URL: llm.url,
        LLM_API_KEY: 'fake-llm-key',
        LLM_MODEL: 'fake-model',
        PUBLIC_BASE_URL: 'http://127.0.0.1:1',
        FETCH_DELAY_MS: '500',
        FETCH_RETRY_DELAY_MS: '1000',
        FETCH_MAX_WAITS: '20',
        RELAY_INTERVAL_MS: '1000',
        RELAY_MIN_AGE_MS: '2000',
        OUTBOX_RELAY_INTERVAL_MS: '1000',
        OUTBOX_RELAY_MIN_AGE_MS: '2000',
        INTERVALS_MAX_RPS: String(LIMITS.intervalsMaxRps),
        TELEGRAM_CHAT_INTERVAL_MS: String(LIMITS.chatIntervalMs),
        TELEGRAM_BOT_MPS: String(LIMITS.botMps),
        DATABASE_BOOT_TIMEOUT_MS: '120000',
        LOG_LEVEL: 'warn',
        HOST: '127.0.0.1',
      },
    });
    log(`services ready; ${o.activities} activities for ${o.athletes} athletes over ${o.minutes} min`);

    intervals.setFaults({ rate5xx: 0.2, rate429: 0.1, rateTimeout: 0.05, retryAfterSec: 1, seed: o.seed });
    telegram.setFaults({ rate429: 0.05, retryAfter: 1, seed: o.seed + 1 });

    // The fault plan: moments (ms from the start) spread over the sending window, seeded.
    const windowMs = o.minutes * 60_000;
    const at = (lo: number, hi: number) => Math.round(windowMs * (lo + rand() * (hi - lo)));
    type Fault = { atMs: number; name: string; run: () => Promise<void> };
    const plan: Fault[] = [];
    for (const w of WORKERS) {
      for (let k = 0; k < o.killsPerWorker; k++) {
        const slot = 1 / o.killsPerWorker;
        plan.push({ atMs: at(0.05 + k * slot * 0.9, 0.05 + (k + 1) * slot * 0.9), name: `kill ${w}`, run: () => svc!.kill(w, 'SIGKILL') });
      }
    }
    plan.push({ atMs: at(0.1, 0.3), name: 'kill webhook-ingress', run: () => svc!.kill('webhook-ingress', 'SIGKILL') });
    plan.push({ atMs: at(0.1, 0.9), name: 'kill api-gateway', run: () => svc!.kill('api-gateway', 'SIGKILL') });
    const restartRedis = (persist: boolean) => async () => {
      await redis.stop();
      await sleep(1500);
      await redis.start({ persist });
    };
    plan.push({ atMs: Math.round(windowMs * 0.3), name: 'redis restart without persistence', run: restartRedis(false) });
    plan.push({ atMs: Math.round(windowMs * 0.5), name: 'postgres restart', run: async () => {
      await pg.stop();
      await sleep(2000);
      await pg.start();
    } });
    plan.push({ atMs: Math.round(windowMs * 0.7), name: 'redis restart with AOF', run: restartRedis(true) });
    plan.sort((a, b) => a.atMs - b.atMs);

    const t0 = Date.now();
    const faultsDone = (async () => {
      for (const f of plan) {
        await sleep(Math.max(0, t0 + f.atMs - Date.now()));
        log(`${((Date.now() - t0) / 1000).toFixed(1)} s: ${f.name}`);
        await f.run().catch((err: Error) => log(`fault ${f.name} failed: ${err.message}`));
        count(f.name);
      }
    })();

    // The webhooks: paced over the window; each is retried (as Intervals.icu does) until acknowledged.
    const ingress = () => `${svc!.urls['webhook-ingress']}/webhooks/intervals`;
    const acked = new Map<string, number>();
    const sends: Promise<void>[] = [];
    for (let i = 0; i < o.activities; i++) {
      await sleep(Math.max(0, t0 + (windowMs * i) / o.activities - Date.now()));
      const a = athletes[i % athletes.length]!;
      const activity = makeNewActivity(a.fake, { kind: KINDS[i % KINDS.length]!, at: new Date(t0 - 3 * 86_400_000 + i * 60_000) });
      intervals.addActivity(a.fake.athleteId, activity, { analysedAfterFetches: 1 });
      const body = JSON.stringify(intervals.uploadedWebhook(secret, a.fake.athleteId, activity));
      sends.push(
        (async () => {
          for (let attempt = 0; attempt < 120; attempt++) {
            const ok = await fetch(ingress(), { method: 'POST', headers: { 'content-type': 'application/json' }, body, signal: AbortSignal.timeout(10_000) }).then(
              (r) => r.status === 200,
              () => false,
            );
            if (ok) {
              acked.set(String(activity.id), Date.now());
              return;
            }
            count('webhook retries');
            await sleep(1000);
          }
        })(),
      );
      if (i % 100 === 99) log(`${((Date.now() - t0) / 1000).toFixed(1)} s: ${i + 1} webhooks sent, ${acked.size} acknowledged`);
    }
    await Promise.all(sends);
    await faultsDone;
    const sentAllAt = Date.now();
    log(`${((sentAllAt - t0) / 1000).toFixed(1)} s: all webhooks answered (${acked.size} acknowledged); waiting for the drain`);

    // The drain: every acknowledged activity stored, classified, in its summary and announced once.
    const ids = [...acked.keys()];
    let figures = await measure(db, ids, telegram.sent);
    let drainMs: number | null = null;
    for (;;) {
      const done = figures.stored === ids.length && figures.classified === ids.length && figures.inSummary === ids.length && figures.cardsSent === ids.length;
      if (done) {
        drainMs = Date.now() - sentAllAt;
        break;
      }
      if (Date.now() - sentAllAt > o.drainTimeoutMs) break;
      await sleep(2000);
      figures = await measure(db, ids, telegram.sent).catch(() => figures);
      if ((Date.now() - sentAllAt) % 30_000 < 2000) log(`draining: ${JSON.stringify(figures)}`);
    }

    const sends2 = telegram.sent.filter((m) => m.method === 'sendMessage' || m.method === 'sendPhoto');
    const byChat = new Map<string, number[]>();
    for (const m of sends2) byChat.set(String(m.chat_id), [...(byChat.get(String(m.chat_id)) ?? []), m.at]);
    const restarts: Partial<Record<ServiceName, number>> = {};
    for (const s of SERVICES) restarts[s] = svc.restarts[s];
    faults['intervals 5xx'] = intervals.requests.filter((r) => r.status >= 500).length;
    faults['intervals 429'] = intervals.requests.filter((r) => r.status === 429).length;
    faults['intervals timeouts'] = intervals.requests.filter((r) => r.status === 0).length;
    faults['telegram 429'] = telegram.calls.length - telegram.calls.filter((c) => c.method !== 'sendMessage' && c.method !== 'sendPhoto').length - sends2.length;
    return {
      activities: o.activities,
      acknowledged: ids.length,
      ...figures,
      lost: ids.length - figures.stored,
      maxIntervalsRps: maxPerSecond(intervalsClock.arrivals().filter((a) => a.path.startsWith('/api/')).map((a) => a.at)),
      maxIntervalsRpsSeenByFake: intervals.requestsPerSecond((r) => r.path.startsWith('/api/')).maxPerSecond,
      maxMessagesPerSecondPerChat: Math.max(0, ...[...byChat.values()].map((t) => maxPerSecond(t))),
      maxMessagesPerSecondPerBot: maxPerSecond(sends2.map((m) => m.at)),
      minChatGapMs: minGap([...byChat.values()]),
      drainMs,
      faults,
      restarts,
      limits: LIMITS,
    };
  } finally {
    intervals.setFaults(null);
    await svc?.stop().catch(() => undefined);
    await db.destroy().catch(() => undefined);
    await Promise.all([intervalsClock.close(), intervals.close(), telegram.close(), llm.close()]);
    await redis.destroy();
    await pg.destroy();
  }
}

const KINDS = ['easy', 'intervals', 'threshold', 'long', 'easy', 'recovery'] as const;

/** Where every acknowledged activity stands, from Postgres and the fake Telegram's record. */
async function measure(db: Db, ids: string[], sent: Array<{ method: string; text?: string; caption?: string; reply_markup?: unknown }>) {
  const rows = await sql<{ stored: string; classified: string; in_summary: string }>`
    select count(*) as stored,
           count(*) filter (where c.rev >= w.structure_rev) as classified,
           count(*) filter (where c.rev >= w.structure_rev and s.built_at >= greatest(w.updated_at, c.classified_at)) as in_summary
      from workout w
      left join workout_classification c on c.workout_id = w.id
      left join athlete_summary s on s.athlete_id = w.athlete_id
     where w.intervals_activity_id = any(${ids})`.execute(db);
  const r = rows.rows[0]!;
  const wanted = new Set(ids);
  const cards = new Map<string, number>();
  for (const m of sent) {
    if (m.method !== 'sendMessage' && m.method !== 'sendPhoto') continue;
    // The card links its activity in the text or in its "open on Intervals.icu" button.
    const id = /intervals\.icu\/activities\/(\w+)/.exec(`${m.text ?? m.caption ?? ''} ${JSON.stringify(m.reply_markup ?? null)}`)?.[1];
    if (id && wanted.has(id)) cards.set(id, (cards.get(id) ?? 0) + 1);
  }
  return {
    stored: Number(r.stored),
    classified: Number(r.classified),
    inSummary: Number(r.in_summary),
    cardsSent: cards.size,
    duplicateCards: [...cards.values()].reduce((n, c) => n + c - 1, 0),
  };
}

function mulberry(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function minGap(series: number[][]): number | null {
  let min: number | null = null;
  for (const s of series) {
    const t = [...s].sort((a, b) => a - b);
    for (let k = 1; k < t.length; k++) min = min === null ? t[k]! - t[k - 1]! : Math.min(min, t[k]! - t[k - 1]!);
  }
  return min;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
