import { disableTelegramLink, openDatabase, parseKeyring } from '@splits/db';
import { createRedis, openQueues, startWorkerProcess } from '@splits/queue';
import { bootProcess } from '@splits/telemetry';
import { createBot, installHandlers, syncBotCommands } from './bot.js';
import { TelegramWorkerConfigSchema } from './config.js';
import { processNotifyTelegram } from './notify-telegram.processor.js';
import { installUpdateDedupe, startLeaderPolling } from './polling.js';
import { createRateLimiter } from './rate-limit.js';
import { processReminderTick, processSendReminder } from './reminder.processor.js';
import { limitsTransformer } from './telegram-api.js';
import { recoverTelegramWork, scheduleReminderTick } from './recover.js';
import { processEraseAthlete } from './account.js';

const { config, log, shutdown } = bootProcess('telegram-worker', TelegramWorkerConfigSchema);
const db = await openDatabase(config.DATABASE_URL, { poolSize: config.DATABASE_POOL_SIZE, applicationName: 'telegram-worker', shutdown, bootTimeoutMs: config.DATABASE_BOOT_TIMEOUT_MS, log });
const { redis, queues } = openQueues(config.REDIS_URL, config.QUEUE_PREFIX, shutdown);
const connection = createRedis(config.REDIS_URL);
shutdown.register('redis-workers', () => connection.quit());

const limiter = createRateLimiter({ redis, prefix: config.QUEUE_PREFIX, botPerSec: config.TELEGRAM_BOT_MPS, chatIntervalMs: config.TELEGRAM_CHAT_INTERVAL_MS });
const bot = createBot(config.TELEGRAM_BOT_TOKEN, config.TELEGRAM_API_ROOT);
// Every call, from jobs and from update handlers, goes through the shared limits.
bot.api.config.use(
  limitsTransformer({
    limiter,
    log,
    maxInlineRetryAfterS: config.TELEGRAM_MAX_INLINE_RETRY_S,
    onForbidden: (chatId, description) => disableTelegramLink(db, chatId, description),
  }),
);

const lock = { lockDuration: config.TELEGRAM_JOB_LOCK_MS, stalledInterval: config.TELEGRAM_JOB_LOCK_MS };
await startWorkerProcess({
  names: ['notify-telegram', 'reminder-tick', 'send-reminder', 'erase-athlete'],
  handlers: {
    'notify-telegram': (payload, job, token) => processNotifyTelegram(payload, job, token, { db, api: bot.api, log, limiter }),
    'reminder-tick': () => processReminderTick({ db, queues, log }),
    'send-reminder': (payload, job, token) => processSendReminder(payload, job, token, { db, api: bot.api, log }),
    'erase-athlete': (payload) =>
      processEraseAthlete(payload, {
        db,
        queues,
        log,
        api: bot.api,
        keys: config.TOKEN_ENCRYPTION_KEY ? parseKeyring(config.TOKEN_ENCRYPTION_KEY, config.TOKEN_ENCRYPTION_KEYS_OLD) : null,
        intervalsBaseUrl: config.INTERVALS_API_BASE_URL,
      }),
  },
  connection,
  prefix: config.QUEUE_PREFIX,
  log,
  shutdown,
  db,
  health: { host: config.HOST, port: config.HEALTH_PORT },
  outbox: {
    queues,
    intervalMs: config.OUTBOX_RELAY_INTERVAL_MS,
    minAgeMs: config.OUTBOX_RELAY_MIN_AGE_MS,
    recover: () => recoverTelegramWork({ db, queues, reminderTickMs: config.REMINDER_TICK_MS }),
  },
  workerOptions: {
    'notify-telegram': { concurrency: 8, ...lock },
    'send-reminder': { concurrency: 4, ...lock },
    'reminder-tick': { concurrency: 1 },
  },
});
// Idempotent across replicas: one scheduler entry whatever the number of processes.
// Also re-created by the recovery when Redis comes back without its data.
await scheduleReminderTick(queues, config.REMINDER_TICK_MS);

// The command menu per language; a Telegram that cannot be reached now leaves the menu as it was (the next start sets it).
await syncBotCommands(bot.api, log).catch((err: Error) => log.warn({ err: err.message }, 'telegram command menu not set'));

if (config.TELEGRAM_POLLING) {
  installUpdateDedupe(bot, redis, config.QUEUE_PREFIX);
  installHandlers(bot, { db, queues, log, webUrl: config.WEB_PUBLIC_URL ?? null, account: { publicBaseUrl: config.PUBLIC_BASE_URL, deleteGraceMs: config.ACCOUNT_DELETE_GRACE_MS } });
  const polling = startLeaderPolling({ bot, redis, prefix: config.QUEUE_PREFIX, log });
  // Registered last, so it runs first: stop taking updates before the workers drain.
  shutdown.register('telegram-polling', () => polling.stop());
}
