import { z } from 'zod';
import { env } from '@splits/config';

const bool = z.enum(['true', 'false', '1', '0']).default('true').transform((v) => v === 'true' || v === '1');

export const TelegramWorkerConfigSchema = z.object({
  ...env.base,
  ...env.database,
  ...env.redis,
  ...env.outbox,
  ...env.telegram,
  ...env.host,
  ...env.ports.health(3014),
  ...env.webPublicUrl,
  ...env.publicBaseUrl,
  ...env.intervals,
  /** Opens an OAuth athlete's grant to disconnect it when they delete their account (optional: without it the athlete is told to remove Splits on Intervals.icu). */
  TOKEN_ENCRYPTION_KEY: env.encryption.TOKEN_ENCRYPTION_KEY.optional(),
  TOKEN_ENCRYPTION_KEYS_OLD: env.encryption.TOKEN_ENCRYPTION_KEYS_OLD,
  /** /delete: how long a confirmed deletion waits, so "Keep my account" can still cancel it. */
  ACCOUNT_DELETE_GRACE_MS: z.coerce.number().int().min(0).default(60_000),
  /** Bot update handling by getUpdates long polling (one replica at a time polls, by a Redis lease). */
  TELEGRAM_POLLING: bool,
  /** Telegram's limits, enforced across every process through Redis. */
  TELEGRAM_BOT_MPS: z.coerce.number().int().positive().default(30),
  TELEGRAM_CHAT_INTERVAL_MS: z.coerce.number().int().min(0).default(1000),
  /** A 429 asking to wait at most this long is waited out in-line; longer ones re-delay the job. */
  TELEGRAM_MAX_INLINE_RETRY_S: z.coerce.number().int().min(0).default(5),
  /** BullMQ lock of a notify job: a worker that died mid-job is noticed after about this long. */
  TELEGRAM_JOB_LOCK_MS: z.coerce.number().int().min(1000).default(30_000),
  /** How often the reminder scheduler looks for athletes whose local morning has come. */
  REMINDER_TICK_MS: z.coerce.number().int().min(1000).default(60_000),
});
export type TelegramWorkerConfig = z.infer<typeof TelegramWorkerConfigSchema>;
