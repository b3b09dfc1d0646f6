import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { sql } from 'kysely';
import { Redis } from 'ioredis';
import { createApiToken, createAthlete, createLoginCode, createDb, ensureDatabase, inboxDeliveryState, migrateToLatest, parseEncryptionKey, setAthleteLanguage } from '@splits/db';
import { texts, type Locale } from '@splits/training';
import { createQueues, enqueueBulk } from '@splits/queue';
import { startServices } from '../supervisor.js';
import {
  generateAthlete,
  makeNewActivity,
  startFakeIntervals,
  startFakeLlm,
  startFakeTelegram,
  waitFor,
  freePort,
} from '@splits/testing';
import { stage, show, done } from './print.js';

/**
 * The demo: Splits end to end against its built-in simulated Intervals.icu, Telegram and LLM.
 * Real Postgres, real Redis, every service as its own process.
 */
// `pnpm demo -- --lang ru` passes the `--` through: it separates nothing here.
const { values } = parseArgs({ args: process.argv.slice(2).filter((a) => a !== '--'), options: { once: { type: 'boolean', default: false }, lang: { type: 'string', default: 'en' } } });
// --lang ru: the demo athlete chose Russian; the card, the buttons and the bot's answers follow.
const LANG: Locale = values.lang === 'ru' ? 'ru' : 'en';
const t = texts(LANG);
const DB_URL = process.env.DEMO_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/splits_demo';
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const PREFIX = 'splits-demo';
const SECRET = `demo-${randomBytes(8).toString('hex')}`;
const KEY = randomBytes(32).toString('base64');
const HISTORY_DAYS = 28;

async function portOr(p: number): Promise<number> {
  const probe = await fetch(`http://127.0.0.1:${p}/health`).then(() => true, () => false);
  return probe ? freePort() : p;
}

// A clean slate each run: the demo database and queue keys are its own.
stage('setup', `resetting demo database ${new URL(DB_URL).pathname.slice(1)} and queue prefix ${PREFIX}`);
{
  const admin = new pg.Client({ connectionString: DB_URL.replace(/\/[^/]+$/, '/postgres') });
  await admin.connect();
  await admin.query(`drop database if exists "${new URL(DB_URL).pathname.slice(1)}" with (force)`);
  await admin.end();
  const r = new Redis(REDIS_URL);
  const keys = await r.keys(`${PREFIX}:*`);
  if (keys.length) await r.del(...keys);
  r.disconnect();
}
await ensureDatabase(DB_URL);
const db = createDb(DB_URL, { poolSize: 3, applicationName: 'splits-demo' });
await migrateToLatest(db);

stage('fakes', 'starting simulated Intervals.icu, Telegram Bot API and LLM');
const intervals = await startFakeIntervals({ analysedAfterFetches: 1 });
const telegram = await startFakeTelegram();
const llm = await startFakeLlm();
const athlete = generateAthlete({ seed: 2026, intervalsAthleteId: 'i424242', weeks: 26, now: new Date() });
const apiKey = `demo-key-${randomBytes(6).toString('hex')}`;
intervals.addAthlete(athlete, { apiKey });
show(`Intervals.icu ${intervals.url} (athlete ${athlete.athleteId}, ${athlete.activities.length} activities over 26 weeks)`);

const { id: athleteId } = await createAthlete(db, parseEncryptionKey(KEY), {
  intervalsAthleteId: athlete.athleteId,
  authKind: 'api_key',
  credential: apiKey,
  telegramChatId: '100200300',
  name: 'Demo Runner',
  timezone: 'Europe/Berlin',
});
await setAthleteLanguage(db, athleteId, LANG);
const { token } = await createApiToken(db, athleteId, 'demo');
stage('athlete', `created ${athleteId}, linked to Telegram chat 100200300 (language ${LANG}), gateway token issued`);

const ports = {
  'api-gateway': await portOr(3000),
  'webhook-ingress': await portOr(3001),
  dashboard: await portOr(3002),
  web: await portOr(3003),
};
stage('services', 'starting webhook-ingress, fetch-worker, classify-worker, summary-worker, telegram-worker, api-gateway, dashboard, web');
const svc = await startServices({
  ports,
  env: {
    DATABASE_URL: DB_URL,
    REDIS_URL,
    QUEUE_PREFIX: PREFIX,
    INTERVALS_API_BASE_URL: intervals.url,
    INTERVALS_WEBHOOK_SECRET: SECRET,
    TOKEN_ENCRYPTION_KEY: KEY,
    // The simulated Intervals.icu's OAuth app: "Sign in with Intervals.icu" works on the web pages and the assistants' sign-in.
    INTERVALS_CLIENT_ID: intervals.oauth.clientId,
    INTERVALS_CLIENT_SECRET: intervals.oauth.clientSecret,
    TELEGRAM_BOT_TOKEN: telegram.token,
    TELEGRAM_API_ROOT: telegram.url,
    LLM_BASE_URL: llm.url,
    LLM_API_KEY: 'demo',
    LLM_MODEL: 'demo-model',
    FETCH_DELAY_MS: '3000',
    FETCH_RETRY_DELAY_MS: '2000',
    FETCH_MAX_WAITS: '10',
    DASHBOARD_USER: 'admin',
    DASHBOARD_PASSWORD: 'splits-demo',
    PUBLIC_BASE_URL: `http://127.0.0.1:${ports['api-gateway']}`,
    WEB_PUBLIC_URL: `http://127.0.0.1:${ports.web}`,
    LOG_LEVEL: 'warn',
  },
});
show('all services ready');

const since = Date.now() - HISTORY_DAYS * 86_400_000;
const history = athlete.activities.filter((a) => new Date(String(a.activity.start_date)).getTime() >= since);
stage('history', `importing the last ${HISTORY_DAYS} days (${history.length} activities) through fetch-activity`);
{
  const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
  const queues = createQueues(redis, PREFIX);
  await enqueueBulk(
    queues,
    'fetch-activity',
    history.map((a) => ({ payload: { athleteId, intervalsActivityId: String(a.id), reason: 'backfill' }, opts: { delay: 0 } })),
  );
  await queues.close();
  redis.disconnect();
}
await waitFor(async () => (await countWorkouts()) >= history.length, { timeoutMs: 120_000, intervalMs: 250, what: 'history import' });
show(`${history.length} workouts stored and classified`);

const fresh = makeNewActivity(athlete, { kind: 'threshold', at: new Date(Date.now() - 20 * 60_000), ...(LANG === 'ru' ? { name: 'Пороговая тренировка' } : {}) });
intervals.addActivity(athlete.athleteId, fresh, { analysedAfterFetches: 1 });
stage('webhook', `Intervals.icu posts ACTIVITY_UPLOADED for ${fresh.id} "${fresh.activity.name}" (no CTL/ATL yet)`);
const t0 = Date.now();
const res = await intervals.sendWebhook(`${svc.urls['webhook-ingress']}/webhooks/intervals`, intervals.uploadedWebhook(SECRET, athlete.athleteId, fresh));
show(`ingress answered ${res.status} ${JSON.stringify(res.body)}`);

// Follow the workout through the pipeline by watching what each part leaves behind.
const at = () => `+${((Date.now() - t0) / 1000).toFixed(1)}s`;
const seen = new Set<string>();
const note = (key: string, text: string) => {
  if (!seen.has(key)) {
    seen.add(key);
    stage('pipeline', `${at()} ${text}`);
  }
};
await waitFor(
  async () => {
    const inbox = await inboxDeliveryState(db, String(fresh.id));
    if (inbox) note('inbox', `stored in webhook_inbox before the 200 (${inbox}); fetch-activity waits FETCH_DELAY_MS=3000`);
    const gets = intervals.requests.filter((r) => r.method === 'GET' && r.path === `/api/v1/activity/${fresh.id}`);
    if (gets.length >= 1) note('fetch1', 'fetch #1: Intervals.icu has not finished its analysis (no icu_ctl/icu_atl): job re-delayed');
    if (gets.length >= 2) note('fetch2', 'fetch #2: analysed; intervals, streams and wellness fetched');
    const w = await db.selectFrom('workout_record').select(['id', 'session_type', 'provisional']).where('intervals_activity_id', '=', String(fresh.id)).executeTakeFirst();
    if (w) note('stored', `workout record ${w.id} stored (provisional: ${w.provisional})`);
    if (w && w.session_type !== 'Unclassified') note('classified', `classified as ${w.session_type}`);
    const sum = await db.selectFrom('athlete_summary').select('version').where('athlete_id', '=', athleteId).executeTakeFirst();
    if (sum && seen.has('classified')) note('summary', `athlete summary rebuilt (version ${sum.version})`);
    return telegram.sent.some((m) => (m.text ?? m.caption ?? '').includes(String(fresh.activity.name)));
  },
  { timeoutMs: 60_000, intervalMs: 100, what: 'the Telegram message' },
);
const card = telegram.sent.find((m) => (m.text ?? m.caption ?? '').includes(String(fresh.activity.name)))!;
note('telegram', card.method === 'sendPhoto' ? `Telegram card sent with a PNG chart (${(card.photo as { bytes: number }).bytes} bytes)` : 'Telegram card sent');
done('Telegram card to the athlete', `${card.text ?? card.caption}\n[ ${JSON.stringify(card.reply_markup)} ]`);
await reportLoop(card.message_id);

const api = await fetch(`${svc.urls['api-gateway']}/trainings?full=1&limit=1`, { headers: { authorization: `Bearer ${token}` } });
done('What ChatGPT receives from GET /trainings?full=1&limit=1', JSON.stringify(await api.json(), null, 2));

// A one-time code in the link: opening it fills the sign-in form (the code works once, for an hour).
const { code: signInCode } = await createLoginCode(db, athleteId, 60 * 60_000);
console.log(`
Web pages:              ${svc.urls.web}/signin?code=${signInCode}   (sign in once with this link; or "Sign in with Intervals.icu" there; later: /login in Telegram)
Gateway (GPT Actions):  ${svc.urls['api-gateway']}/openapi.json   (Authorization: Bearer ${token})
MCP (Claude):           ${svc.urls['api-gateway']}/mcp
Dashboard:              ${svc.urls.dashboard}   (admin / splits-demo)
Webhook ingress:        ${svc.urls['webhook-ingress']}/webhooks/intervals`);

/** The athlete presses "Write report", answers the ForceReply prompt; the report lands in Intervals.icu. */
async function reportLoop(cardMessageId: number) {
  const chat = 100200300;
  const workoutId = /report:([^"]+)/.exec(JSON.stringify(telegram.sent.find((m) => m.message_id === cardMessageId)!.reply_markup))![1]!;
  stage('report', 'the athlete presses "Write report" (getUpdates → telegram-worker)');
  telegram.injectCallback(chat, `report:${workoutId}`, cardMessageId, { languageCode: LANG });
  const prompt = await waitFor(() => telegram.sent.find((m) => JSON.stringify(m.reply_markup ?? {}).includes('force_reply')), { timeoutMs: 20_000, what: 'the report prompt' });
  show(`bot (ForceReply): ${prompt.text}`);
  const text = LANG === 'ru' ? 'До третьего повтора всё под контролем, последний дался тяжело. Забиты икры.' : 'Felt controlled until rep 3; the last rep was hard. Calves tight.';
  telegram.injectMessage(chat, text, { replyToMessageId: prompt.message_id, languageCode: LANG });
  show(`athlete replies: ${text}`);
  const written = t.reportWritten('\u0000').split('\u0000')[0]!;
  const confirmation = await waitFor(() => telegram.sent.find((m) => (m.text ?? '').startsWith(written)), { timeoutMs: 30_000, what: 'the write-back confirmation' });
  show(`bot: ${confirmation.text}`);
  const writes = intervals.writes.filter((w) => w.method === 'PUT' && w.path === `/api/v1/activity/${fresh.id}`);
  stage('report', 'saved as revision 1 of the workout report, written by the write-report job, confirmed in Telegram');
  done('Intervals.icu activity description after the write-back', String((writes.at(-1)?.body as { description?: string } | undefined)?.description));
}

async function countWorkouts() {
  const r = await sql<{ n: string }>`select count(*) as n from workout`.execute(db);
  return Number(r.rows[0]!.n);
}

async function shutdown(code: number) {
  await svc.stop();
  await Promise.all([intervals.close(), telegram.close(), llm.close()]);
  await db.destroy();
  process.exit(code);
}
if (values.once) await shutdown(0);
else {
  console.log('\nRunning until Ctrl-C.');
  process.once('SIGINT', () => void shutdown(0));
  process.once('SIGTERM', () => void shutdown(0));
}
