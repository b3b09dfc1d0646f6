import type { Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { disableTelegramLink, type Db } from '@splits/db';
import { createRedis, createWorkers, type Queues } from '@splits/queue';
import { processEraseAthlete } from './account.js';
import { createBot, installHandlers, syncBotCommands, type SplitsBot } from './bot.js';
import { processNotifyTelegram } from './notify-telegram.processor.js';
import { installUpdateDedupe, startLeaderPolling } from './polling.js';
import { createRateLimiter } from './rate-limit.js';
import { processSendReminder } from './reminder.processor.js';
import { limitsTransformer } from './telegram-api.js';

export interface HarnessOptions {
  db: Db;
  queues: Queues;
  redisUrl: string;
  prefix: string;
  log: Logger;
  token: string;
  apiRoot: string;
  chatIntervalMs?: number;
  botPerSec?: number;
  polling?: boolean;
  /** /delete's grace period (default 60 s). */
  deleteGraceMs?: number;
  workers?: boolean;
}

export interface Harness {
  bot: SplitsBot;
  isLeader(): boolean;
  close(): Promise<void>;
}

/**
 * The telegram-worker's parts wired as main.ts wires them, in-process, for integration tests
 * (one "replica" per call, on the database and queues the test file opened). Not used by main.ts,
 * which owns config and shutdown.
 */
export async function startHarness(o: HarnessOptions): Promise<Harness> {
  const redis: Redis = createRedis(o.redisUrl);
  const conn: Redis = createRedis(o.redisUrl);
  const limiter = createRateLimiter({ redis, prefix: o.prefix, botPerSec: o.botPerSec ?? 30, chatIntervalMs: o.chatIntervalMs ?? 1000 });
  const bot = createBot(o.token, o.apiRoot);
  bot.api.config.use(limitsTransformer({ limiter, log: o.log, maxInlineRetryAfterS: 5, onForbidden: (chatId, d) => disableTelegramLink(o.db, chatId, d) }));
  let workers: Worker[] = [];
  if (o.workers !== false) {
    workers = createWorkers(
      ['notify-telegram', 'send-reminder', 'erase-athlete'],
      {
        'notify-telegram': (p, job, token) => processNotifyTelegram(p, job, token, { db: o.db, api: bot.api, log: o.log, limiter }),
        'erase-athlete': (p) => processEraseAthlete(p, { db: o.db, queues: o.queues, log: o.log, api: bot.api, keys: null, intervalsBaseUrl: 'http://127.0.0.1:1' }),
        'send-reminder': (p, job, token) => processSendReminder(p, job, token, { db: o.db, api: bot.api, log: o.log }),
      },
      { connection: conn, prefix: o.prefix, log: o.log },
    );
  }
  let polling: { stop(): Promise<void>; isLeader(): boolean } | null = null;
  await syncBotCommands(bot.api, o.log);
  if (o.polling !== false) {
    installUpdateDedupe(bot, redis, o.prefix);
    installHandlers(bot, { db: o.db, queues: o.queues, log: o.log, account: { publicBaseUrl: 'http://127.0.0.1:3000', deleteGraceMs: o.deleteGraceMs ?? 60_000 } });
    polling = startLeaderPolling({ bot, redis, prefix: o.prefix, log: o.log, leaseMs: 3000 });
  }
  return {
    bot,
    isLeader: () => polling?.isLeader() ?? false,
    async close() {
      await polling?.stop();
      await Promise.all(workers.map((w) => w.close()));
      await redis.quit();
      await conn.quit();
    },
  };
}
