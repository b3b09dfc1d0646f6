import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { SplitsBot } from './bot.js';

const RENEW = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) else return 0 end`;
const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end`;

export interface PollingOptions {
  bot: SplitsBot;
  redis: Redis;
  /** Key namespace (the queue prefix). */
  prefix: string;
  log: Logger;
  leaseMs?: number;
}

/**
 * Long polling from one replica at a time. Telegram allows a single getUpdates consumer per bot
 * (a second one gets 409 Conflict), so replicas hold a Redis lease: the holder polls and renews it;
 * the others wait and take over within one lease when the holder dies. Updates are also marked
 * handled by update_id in Redis (SET NX) before they are processed, so an update redelivered after
 * a takeover (the old leader handled it but could not confirm the offset) is not handled twice.
 */
export function installUpdateDedupe(bot: SplitsBot, redis: Redis, prefix: string): void {
  bot.use(async (ctx, next) => {
    const fresh = await redis.set(`${prefix}:tg-poll:{tg}:update:${ctx.update.update_id}`, '1', 'PX', 24 * 3600_000, 'NX');
    if (fresh === 'OK') await next();
  });
}

/** Starts polling under the lease; install the update dedupe (installUpdateDedupe) before the handlers. */
export function startLeaderPolling(o: PollingOptions): { stop(): Promise<void>; isLeader(): boolean } {
  const leaseMs = o.leaseMs ?? 15_000;
  const key = `${o.prefix}:tg-poll:{tg}:leader`;
  const me = randomBytes(8).toString('hex');
  let leader = false;
  let stopped = false;
  let polling: Promise<void> | null = null;


  const startBot = () => {
    polling = o.bot
      .start({ allowed_updates: ['message', 'callback_query'], onStart: () => o.log.info('telegram polling started (lease holder)') })
      .catch((err: Error) => o.log.error({ err: err.message }, 'telegram polling stopped with an error'))
      .finally(() => {
        polling = null;
      });
  };

  const tick = async () => {
    if (stopped) return;
    try {
      if (leader) {
        if (Number(await o.redis.eval(RENEW, 1, key, me, leaseMs)) === 0) {
          leader = false;
          o.log.warn('telegram polling lease lost; stopping');
          await o.bot.stop();
        } else if (!polling) startBot();
      } else if ((await o.redis.set(key, me, 'PX', leaseMs, 'NX')) === 'OK') {
        leader = true;
        startBot();
      }
    } catch (err) {
      o.log.warn({ err: (err as Error).message }, 'telegram polling lease check failed');
    }
  };
  void tick();
  const timer = setInterval(() => void tick(), Math.max(200, Math.floor(leaseMs / 3)));

  return {
    isLeader: () => leader,
    async stop() {
      stopped = true;
      clearInterval(timer);
      if (o.bot.isRunning()) await o.bot.stop();
      await polling;
      if (leader) await o.redis.eval(RELEASE, 1, key, me).catch(() => undefined);
      leader = false;
    },
  };
}
