import { sql } from 'kysely';
import { Bot } from 'grammy';
import { openDatabase } from '@splits/db';
import { createRedis, startWorkerProcess } from '@splits/queue';
import { bootProcess } from '@splits/telemetry';
import { TelegramWorkerConfigSchema } from './config.js';
import { processNotifyTelegram } from './notify-telegram.processor.js';

const { config, log, shutdown } = bootProcess('telegram-worker', TelegramWorkerConfigSchema);
const db = await openDatabase(config.DATABASE_URL, { poolSize: config.DATABASE_POOL_SIZE, applicationName: 'telegram-worker', shutdown });
const connection = createRedis(config.REDIS_URL);
shutdown.register('redis-workers', () => connection.quit());

const bot = new Bot(config.TELEGRAM_BOT_TOKEN, { client: { apiRoot: config.TELEGRAM_API_ROOT } });

await startWorkerProcess({
  names: ['notify-telegram'],
  handlers: { 'notify-telegram': (payload, job, token) => processNotifyTelegram(payload, job, token, { db, api: bot.api, log }) },
  connection,
  prefix: config.QUEUE_PREFIX,
  log,
  shutdown,
  health: { host: config.HOST, port: config.HEALTH_PORT, checks: { postgres: async () => void (await sql`select 1`.execute(db)) } },
  // Telegram allows ~30 messages/s per bot overall.
  workerOptions: { 'notify-telegram': { concurrency: 8, limiter: { max: 25, duration: 1000 } } },
});
