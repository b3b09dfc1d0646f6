import { z } from 'zod';
import { env } from '@splits/config';

export const WebConfigSchema = z.object({
  ...env.base,
  ...env.database,
  ...env.redis,
  ...env.ports.web,
  ...env.host,
  ...env.intervals,
  /** Optional: with it, deleting an account also disconnects an Intervals.icu OAuth grant. */
  TOKEN_ENCRYPTION_KEY: env.encryption.TOKEN_ENCRYPTION_KEY.optional(),
  TOKEN_ENCRYPTION_KEYS_OLD: env.encryption.TOKEN_ENCRYPTION_KEYS_OLD,
  /** The gateway's address: assistant setup steps and the Intervals.icu reconnect link. */
  ...env.publicBaseUrl,
  /** Where athletes reach these pages (https in production: Secure, `__Host-` cookies). */
  WEB_PUBLIC_URL: z.string().url().default('http://127.0.0.1:3003'),
  /** The Telegram bot's username, for t.me deep links on the Connections page; unset: the page says what to send. */
  TELEGRAM_BOT_USERNAME: z.string().regex(/^[A-Za-z0-9_]{3,64}$/).optional(),
  /**
   * The deployment's Intervals.icu OAuth app (the gateway holds its secret and callback). Set: the
   * sign-in page offers "Sign in with Intervals.icu", through the gateway's connect, which needs
   * WEB_PUBLIC_URL set on the gateway too.
   */
  INTERVALS_CLIENT_ID: env.intervalsOAuth.INTERVALS_CLIENT_ID,
  /** Sign-in code attempts per minute per client IP, counted in Redis. */
  WEB_SIGNIN_LIMIT_PER_MIN: z.coerce.number().int().positive().default(10),
});
export type WebConfig = z.infer<typeof WebConfigSchema>;
