import {
  createAthlete,
  createApiToken,
  parseEncryptionKey,
  type Db,
} from '@splits/db';
import {
  generateAthlete,
  startFakeIntervals,
  startFakeLlm,
  startFakeTelegram,
  TEST_ENCRYPTION_KEY,
} from '@splits/testing';

export const WEBHOOK_SECRET = 'e2e-webhook-secret-0123';
export const DASHBOARD = { user: 'ops', password: 'ops-password-1' };

/** Fakes for the three third parties plus one connected, Telegram-linked athlete with history. */
export async function startWorld(db: Db, opts: { analysedAfterFetches?: number; seed?: number } = {}) {
  const intervals = await startFakeIntervals({ analysedAfterFetches: opts.analysedAfterFetches ?? 2 });
  const telegram = await startFakeTelegram();
  const llm = await startFakeLlm();
  const generated = generateAthlete({ seed: opts.seed ?? 7, intervalsAthleteId: 'i700100', weeks: 26, now: new Date() });
  const apiKey = 'fake-intervals-key-7001';
  intervals.addAthlete(generated, { apiKey });
  const chatId = '555001';
  const { id: athleteId } = await createAthlete(db, parseEncryptionKey(TEST_ENCRYPTION_KEY), {
    intervalsAthleteId: generated.athleteId,
    authKind: 'api_key',
    credential: apiKey,
    telegramChatId: chatId,
    name: 'E2E Athlete',
  });
  const { token } = await createApiToken(db, athleteId);
  return {
    intervals,
    telegram,
    llm,
    generated,
    athleteId,
    chatId,
    token,
    async close() {
      await Promise.all([intervals.close(), telegram.close(), llm.close()]);
    },
  };
}

export function serviceEnv(w: Awaited<ReturnType<typeof startWorld>>, o: { dbUrl: string; redisUrl: string; prefix: string }) {
  return {
    DATABASE_URL: o.dbUrl,
    REDIS_URL: o.redisUrl,
    QUEUE_PREFIX: o.prefix,
    INTERVALS_API_BASE_URL: w.intervals.url,
    INTERVALS_WEBHOOK_SECRET: WEBHOOK_SECRET,
    TOKEN_ENCRYPTION_KEY: TEST_ENCRYPTION_KEY,
    TELEGRAM_BOT_TOKEN: w.telegram.token,
    TELEGRAM_API_ROOT: w.telegram.url,
    LLM_BASE_URL: w.llm.url,
    LLM_API_KEY: 'fake-llm-key',
    LLM_MODEL: 'fake-model',
    FETCH_DELAY_MS: '100',
    FETCH_RETRY_DELAY_MS: '300',
    FETCH_MAX_WAITS: '20',
    RELAY_INTERVAL_MS: '300',
    RELAY_MIN_AGE_MS: '300',
    DASHBOARD_USER: DASHBOARD.user,
    DASHBOARD_PASSWORD: DASHBOARD.password,
    LOG_LEVEL: 'info',
    HOST: '127.0.0.1',
  };
}
