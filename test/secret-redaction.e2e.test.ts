import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { getIntervalsCredential, parseKeyring } from '@splits/db';
import { startServices } from '@splits/cli';
import {
  createTestDatabase,
  dropQueuePrefix,
  freePort,
  generateAthlete,
  startFakeIntervals,
  startFakeTelegram,
  TEST_ENCRYPTION_KEY,
  TEST_REDIS_URL,
  testQueuePrefix,
  waitFor,
  type FakeIntervals,
  type FakeTelegram,
  type TestDatabase,
} from '@splits/testing';

/**
 * Secrets stay out of logs and traces. The real gateway and telegram-worker processes run with the
 * console span exporter (every span attribute printed to stdout) and info logs; a Telegram send goes
 * through grammY to `…/bot<token>/sendMessage`, and an Intervals.icu OAuth callback arrives with its
 * one-time `?code=`. Afterwards no secret string appears anywhere in what either process printed,
 * while the rest of those URLs does.
 */
const BOT_TOKEN = '987654321:AAH-redaction_e2e_BotSecretPart0xyz';
const CLIENT_SECRET = 'oauth-client-secret-e2e-5e7a';
const API_KEY = 'intervals-api-key-e2e-91cd';
const CHAT = 424_242;
const prefix = testQueuePrefix('redact');

let t: TestDatabase;
let intervals: FakeIntervals;
let telegram: FakeTelegram;

beforeAll(async () => {
  t = await createTestDatabase('redact');
  intervals = await startFakeIntervals({ oauth: { clientId: '5150', clientSecret: CLIENT_SECRET } });
  intervals.addAthlete(generateAthlete({ seed: 91, weeks: 1 }), { apiKey: API_KEY });
  telegram = await startFakeTelegram({ token: BOT_TOKEN });
}, 60_000);

afterAll(async () => {
  await intervals?.close();
  await telegram?.close();
  await t?.drop();
  await dropQueuePrefix(TEST_REDIS_URL, prefix);
}, 60_000);

describe('secrets in logs and traces', () => {
  it('a Telegram send and an OAuth callback leave no bot token, code, client secret or key in spans or logs', async () => {
    const port = await freePort();
    const gateway = `http://127.0.0.1:${port}`;
    const svc = await startServices({
      services: ['api-gateway', 'telegram-worker'],
      ports: { 'api-gateway': port },
      env: {
        DATABASE_URL: t.url,
        REDIS_URL: TEST_REDIS_URL,
        QUEUE_PREFIX: prefix,
        OTEL_TRACES_EXPORTER: 'console',
        LOG_LEVEL: 'info',
        TOKEN_ENCRYPTION_KEY: TEST_ENCRYPTION_KEY,
        PUBLIC_BASE_URL: gateway,
        INTERVALS_API_BASE_URL: intervals.url,
        INTERVALS_CLIENT_ID: '5150',
        INTERVALS_CLIENT_SECRET: CLIENT_SECRET,
        TELEGRAM_BOT_TOKEN: BOT_TOKEN,
        TELEGRAM_API_ROOT: telegram.url,
        TELEGRAM_POLLING: 'true',
      },
    });
    let code: string;
    let state: string;
    let accessToken: string | undefined;
    try {
      // Telegram: the athlete writes /start; the worker answers through grammY (sendMessage).
      telegram.injectMessage(CHAT, '/start');
      await waitFor(() => telegram.sent.some((m) => String(m.chat_id) === String(CHAT)), { timeoutMs: 30_000, what: 'the bot to answer' });

      // OAuth: Splits → Intervals.icu consent (the fake approves) → back to the callback with ?code&state.
      const start = await fetch(`${gateway}/connect/intervals`, { redirect: 'manual' });
      expect(start.status).toBe(302);
      const back = await fetch(start.headers.get('location')!, { redirect: 'manual' });
      const callback = new URL(back.headers.get('location')!);
      code = callback.searchParams.get('code')!;
      state = callback.searchParams.get('state')!;
      expect(code).toMatch(/^[0-9a-f]{32}$/);
      const done = await fetch(callback, { headers: { accept: 'text/html' } });
      expect(done.status).toBe(200);
      const conn = await t.db.selectFrom('intervals_connection').select('athlete_id').where('auth_kind', '=', 'oauth').executeTakeFirstOrThrow();
      accessToken = (await getIntervalsCredential(t.db, parseKeyring(TEST_ENCRYPTION_KEY), conn.athlete_id))?.secret;
      expect(accessToken).toMatch(/^fake-oauth-/);
    } finally {
      await svc.stop(); // shutdown flushes the spans
    }
    const out = [...svc.logs['api-gateway'], ...svc.logs['telegram-worker']].join('\n');

    // The spans and log lines this is about were printed at all…
    expect(out).toContain(`http://127.0.0.1:${telegram.port}/bot`);
    expect(out).toMatch(/\/bot[^/\s'"]*\/sendMessage/);
    expect(out).toContain('/connect/intervals/callback?code=');
    expect(out).toMatch(/"msg":"incoming request"/);
    // …with their non-secret parts intact…
    expect(out).toContain(`state=${state}`);
    expect(out).toContain(`${intervals.url}/api/oauth/token`);
    // …and not one secret.
    const secrets = { BOT_TOKEN, botSecretPart: BOT_TOKEN.split(':')[1]!, code, CLIENT_SECRET, API_KEY, accessToken: accessToken!, TEST_ENCRYPTION_KEY };
    for (const [name, secret] of Object.entries(secrets)) expect({ name, found: out.includes(secret) }).toEqual({ name, found: false });
    expect(out).toContain('/bot[redacted]/sendMessage');
    expect(out).toContain('callback?code=[redacted]&state=');
  }, 120_000);
});
