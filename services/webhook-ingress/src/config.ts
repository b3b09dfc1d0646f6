import { z } from 'zod';
import { env } from '@splits/config';

export const IngressConfigSchema = z.object({
  ...env.base,
  ...env.database,
  ...env.redis,
  ...env.webhookSecret,
  ...env.ports.ingress,
  ...env.host,
  /** How often the relay looks for stored events that never reached the queue. */
  RELAY_INTERVAL_MS: z.coerce.number().int().positive().default(5_000),
  /** Rows younger than this are still owned by the request path's own enqueue. */
  RELAY_MIN_AGE_MS: z.coerce.number().int().min(0).default(3_000),
  FETCH_DELAY_MS: z.coerce.number().int().min(0).default(30_000),
  /** Debounce for WELLNESS_UPDATED/FITNESS_UPDATED per (athlete, date): Garmin sends bursts. */
  WELLNESS_DEBOUNCE_MS: z.coerce.number().int().min(0).default(30_000),
  /** Debounce for CALENDAR_UPDATED per athlete before the calendar window is re-read. */
  CALENDAR_DEBOUNCE_MS: z.coerce.number().int().min(0).default(5_000),
  /**
   * Requests per second per client IP (GCRA in Redis, shared by replicas); 0 turns it off. Intervals.icu
   * batches up to 1000 events per delivery from a few addresses, so even a backlog it retries after an
   * outage stays far below this; beyond it: 429 with Retry-After. Fails open when Redis is away.
   */
  INGRESS_RATE_LIMIT_PER_SEC: z.coerce.number().min(0).default(100),
  /** Requests one IP may send at once after a quiet period. */
  INGRESS_RATE_LIMIT_BURST: z.coerce.number().int().positive().default(1_000),
  /** Proxies in front of the ingress whose X-Forwarded-For names the client (for the per-IP limit); 0 = none. */
  INGRESS_TRUST_PROXY_HOPS: z.coerce.number().int().min(0).default(0),
  /** Retention (prune-retention job): processed inbox rows, unknown athletes' rows, expired codes/tokens (days after expiry). */
  RETENTION_INBOX_DAYS: z.coerce.number().positive().default(30),
  RETENTION_UNKNOWN_ATHLETE_DAYS: z.coerce.number().positive().default(7),
  RETENTION_EXPIRED_CODES_DAYS: z.coerce.number().min(0).default(1),
  /** How often the prune runs (one BullMQ job scheduler for every replica). */
  RETENTION_INTERVAL_MS: z.coerce.number().int().positive().default(3_600_000),
});
export type IngressConfig = z.infer<typeof IngressConfigSchema>;
