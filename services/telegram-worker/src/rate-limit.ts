import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';

/**
 * Telegram's limits, shared by every worker process through Redis (not process memory): at most
 * `botPerSec` messages per second for the bot (sliding window) and one message per
 * `chatIntervalMs` per chat. The script reads Redis' own clock, so processes on different hosts
 * agree. It answers 0 (go) or how many ms to wait before asking again.
 */
const ACQUIRE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local window = tonumber(ARGV[2])
local chatNext = tonumber(redis.call('GET', KEYS[2]) or '0')
if chatNext > now then return chatNext - now end
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[1]) then
  local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
  return math.max(1, tonumber(oldest[2]) + window - now)
end
redis.call('ZADD', KEYS[1], now, ARGV[4])
redis.call('PEXPIRE', KEYS[1], window * 2)
local interval = tonumber(ARGV[3])
if interval > 0 then redis.call('SET', KEYS[2], now + interval, 'PX', interval + 1000) end
return 0`;

/** Pushes a chat's next allowed send to now + ms (Telegram's retry_after), never earlier than it is. */
const PENALISE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local next = now + tonumber(ARGV[1])
local cur = tonumber(redis.call('GET', KEYS[1]) or '0')
if next > cur then redis.call('SET', KEYS[1], next, 'PX', tonumber(ARGV[1]) + 1000) end
return next - now`;

export interface RateLimiterOptions {
  redis: Redis;
  /** Key namespace, e.g. the queue prefix: `<prefix>:tg-rate:{tg}:…` (one hash slot for Cluster). */
  prefix: string;
  botPerSec: number;
  chatIntervalMs: number;
  sleep?: (ms: number) => Promise<void>;
}

export interface TelegramRateLimiter {
  /** Waits until this chat may receive a message; counts the message once it returns. */
  acquire(chatId: string): Promise<void>;
  /** Telegram answered 429 for this chat: nobody sends to it for `ms`. */
  penalise(chatId: string, ms: number): Promise<void>;
}

export function createRateLimiter(o: RateLimiterOptions): TelegramRateLimiter {
  const sleep = o.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const botKey = `${o.prefix}:tg-rate:{tg}:bot`;
  const chatKey = (chatId: string) => `${o.prefix}:tg-rate:{tg}:chat:${chatId}`;
  return {
    async acquire(chatId) {
      for (;;) {
        const member = `${Date.now()}-${randomBytes(4).toString('hex')}`;
        const wait = Number(await o.redis.eval(ACQUIRE, 2, botKey, chatKey(chatId), o.botPerSec, 1000, o.chatIntervalMs, member));
        if (wait <= 0) return;
        await sleep(Math.min(wait, 5_000));
      }
    },
    async penalise(chatId, ms) {
      await o.redis.eval(PENALISE, 1, chatKey(chatId), Math.max(1, Math.round(ms)));
    },
  };
}
