import { z } from 'zod';

/** Reusable env fragments; each service composes the ones it needs (DESIGN §7). */
const port = (def: number) => z.coerce.number().int().min(0).max(65535).default(def);
const url = z.string().url();

export const base = {
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().positive().default(10_000),
};
export const database = {
  DATABASE_URL: url.default('postgres://postgres@127.0.0.1:5432/splits'),
  DATABASE_POOL_SIZE: z.coerce.number().int().positive().default(10),
  /** At start, how long to keep retrying a Postgres that does not accept connections yet (starting beside the services). */
  DATABASE_BOOT_TIMEOUT_MS: z.coerce.number().int().min(0).default(30_000),
};
export const redis = {
  REDIS_URL: url.default('redis://127.0.0.1:6379'),
  /** Prefix for every BullMQ key; lets several deployments (or test files) share one Redis. */
  QUEUE_PREFIX: z.string().regex(/^[A-Za-z0-9_{}-]+$/).default('splits'),
};
export const intervals = {
  INTERVALS_API_BASE_URL: url.default('https://intervals.icu'),
};
export const webhookSecret = {
  INTERVALS_WEBHOOK_SECRET: z.string().min(8, 'must be at least 8 characters'),
};
const is32Bytes = (v: string) => Buffer.from(v.trim(), 'base64').length === 32;
export const encryption = {
  /** The current key: seals every credential written from now on. */
  TOKEN_ENCRYPTION_KEY: z.string().refine(is32Bytes, 'must be 32 bytes, base64-encoded'),
  /** Old keys, still accepted for reading until `pnpm splits keys rotate` has re-sealed everything: `base64` or `label:base64`, comma-separated. */
  TOKEN_ENCRYPTION_KEYS_OLD: z
    .string()
    .optional()
    .refine(
      (v) => !v || v.split(',').map((s) => s.trim()).filter(Boolean).every((e) => is32Bytes(/^[A-Za-z0-9_-]{1,32}:/.test(e) ? e.slice(e.indexOf(':') + 1) : e)),
      'must be comma-separated 32-byte base64 keys, each optionally prefixed with label:',
    ),
};
/** For OAuth connect (Intervals.icu "Manage App"); both unset = the connect route answers 501. */
export const intervalsOAuth = {
  INTERVALS_CLIENT_ID: z.string().min(1).optional(),
  INTERVALS_CLIENT_SECRET: z.string().min(1).optional(),
};
export const telegram = {
  TELEGRAM_BOT_TOKEN: z.string().regex(/^\d+:[A-Za-z0-9_-]+$/, 'must look like <bot id>:<secret>'),
  TELEGRAM_API_ROOT: url.default('https://api.telegram.org'),
};
export const llm = {
  LLM_BASE_URL: url.optional(),
  LLM_API_KEY: z.string().optional(),
  LLM_MODEL: z.string().optional(),
};
export const fetching = {
  FETCH_DELAY_MS: z.coerce.number().int().min(0).default(30_000),
  /** Wait between re-fetches while Intervals.icu has not finished its analysis. */
  FETCH_RETRY_DELAY_MS: z.coerce.number().int().min(0).default(60_000),
  /** How many times a not-yet-analysed activity is re-delayed before it is stored as provisional. */
  FETCH_MAX_WAITS: z.coerce.number().int().min(0).default(5),
  /**
   * Intervals.icu allows ~10 requests/s per IP. Shared by every worker process (kept in Redis). The
   * default leaves a margin: requests paced at 8/s still bunch a little on the way (busy event loops),
   * and measured at the server no second then holds more than 10.
   */
  INTERVALS_MAX_RPS: z.coerce.number().positive().default(8),
};
/** Workers that stage jobs in the transactional outbox (DESIGN §3) run its relay. */
export const outbox = {
  /** How often the relay adds staged jobs that were never handed to the queue (a crash, Redis away). */
  OUTBOX_RELAY_INTERVAL_MS: z.coerce.number().int().positive().default(5_000),
  /** Younger rows are still being handed on by the process that staged them. */
  OUTBOX_RELAY_MIN_AGE_MS: z.coerce.number().int().min(0).default(10_000),
};
export const ports = {
  gateway: { GATEWAY_PORT: port(3000) },
  ingress: { INGRESS_PORT: port(3001) },
  dashboard: { DASHBOARD_PORT: port(3002) },
  web: { WEB_PORT: port(3003) },
  /** Workers serve /health and /ready on their own small HTTP port. */
  health: (def: number) => ({ HEALTH_PORT: port(def) }),
};
export const host = { HOST: z.string().default('127.0.0.1') };
export const publicBaseUrl = { PUBLIC_BASE_URL: url.default('http://127.0.0.1:3000') };
/**
 * Where athletes reach their web pages (services/web): the sign-in link the Telegram bot's /login and
 * the demo print, and the origin the web service checks form posts against. Unset: no web pages.
 */
export const webPublicUrl = { WEB_PUBLIC_URL: url.optional() };
export const dashboardAuth = {
  DASHBOARD_USER: z.string().min(1),
  DASHBOARD_PASSWORD: z.string().min(8, 'must be at least 8 characters'),
};
