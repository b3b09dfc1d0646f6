import { AsyncLocalStorage } from 'node:async_hooks';
import { Api, type Transformer } from 'grammy';
import { metrics } from '@splits/telemetry';
import type { Logger } from 'pino';
import type { TelegramRateLimiter } from './rate-limit.js';

/** Methods that put a message in a chat: these count against Telegram's limits. */
const SENDS = new Set(['sendMessage', 'sendPhoto', 'sendDocument', 'sendMediaGroup', 'copyMessage', 'forwardMessage', 'editMessageText', 'editMessageCaption']);

/**
 * A send whose rate-limit slot its caller already took (withSlotTaken): the transformer does not take
 * another for the first call made inside. The notify job takes the slot before it claims the
 * sent-marker, so the claim ("sending, in doubt after a crash") is taken right before the request
 * leaves, not while the job waits its turn behind other cards for the same chat.
 */
const slotTaken = new AsyncLocalStorage<{ left: boolean }>();
export function withSlotTaken<T>(fn: () => Promise<T>): Promise<T> {
  return slotTaken.run({ left: true }, fn);
}

export interface TransformerDeps {
  limiter: TelegramRateLimiter;
  log: Logger;
  /** A 429 asking for at most this long is waited out in-line and the call repeated (it was not delivered). */
  maxInlineRetryAfterS: number;
  /** Telegram answered 403 for a chat (bot blocked, kicked, user deactivated). */
  onForbidden(chatId: string, description: string): Promise<void>;
}

/**
 * Every Bot API call passes through here (jobs and update handlers alike, in every process):
 * Redis-backed rate limits before a send, 429 retry_after shared with the other processes, and a
 * 403 turned into a disabled link. What Telegram refused is returned unchanged, so grammY throws
 * its GrammyError for the caller to decide.
 */
export function limitsTransformer(deps: TransformerDeps): Transformer {
  return async (prev, method, payload, signal) => {
    const chatId = payload && typeof payload === 'object' && 'chat_id' in payload ? String((payload as { chat_id: unknown }).chat_id) : null;
    if (!chatId || !SENDS.has(method)) return prev(method, payload, signal);
    const pre = slotTaken.getStore();
    for (let attempt = 1; ; attempt++) {
      if (pre?.left) pre.left = false;
      else await deps.limiter.acquire(chatId);
      const res = await prev(method, payload, signal);
      metrics().telegramSends.inc({ method, status: res.ok ? 'ok' : String(res.error_code) });
      if (res.ok) return res;
      if (res.error_code === 429) {
        const retryAfter = res.parameters?.retry_after ?? 1;
        await deps.limiter.penalise(chatId, retryAfter * 1000);
        deps.log.warn({ method, retryAfter, attempt }, 'telegram 429');
        if (retryAfter <= deps.maxInlineRetryAfterS && attempt < 3) continue;
        return res;
      }
      if (res.error_code === 403) {
        deps.log.warn({ method, description: res.description }, 'telegram 403: disabling the link');
        await deps.onForbidden(chatId, res.description);
      }
      return res;
    }
  };
}

export function createTelegramApi(token: string, apiRoot: string, transformer: Transformer): Api {
  const api = new Api(token, { apiRoot });
  api.config.use(transformer);
  return api;
}
