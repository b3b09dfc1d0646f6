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
});
export type IngressConfig = z.infer<typeof IngressConfigSchema>;
