import { z } from 'zod';
import { env } from '@splits/config';

export const FetchWorkerConfigSchema = z.object({
  ...env.base,
  ...env.database,
  ...env.redis,
  ...env.outbox,
  ...env.intervals,
  ...env.encryption,
  ...env.fetching,
  ...env.host,
  ...env.ports.health(3011),
  FETCH_CONCURRENCY: z.coerce.number().int().positive().default(8),
  /** Requests allowed at once after a quiet period; 1 keeps every 1 s window at or under INTERVALS_MAX_RPS. */
  INTERVALS_BURST: z.coerce.number().int().positive().default(1),
  /** API-key athletes (no webhooks): how often their activities, wellness and calendar are polled. */
  POLL_INTERVAL_MS: z.coerce.number().int().positive().default(5 * 60_000),
  POLL_LOOKBACK_DAYS: z.coerce.number().int().min(1).default(3),
  /** OAuth athletes: a slower reconciliation poll that catches missed webhooks. */
  RECONCILE_INTERVAL_MS: z.coerce.number().int().positive().default(6 * 3600_000),
  RECONCILE_DAYS: z.coerce.number().int().min(1).default(7),
  /** How often the poll schedules are matched to the connections. */
  SCHEDULE_SYNC_MS: z.coerce.number().int().positive().default(60_000),
  /** Report sweep: how often it runs, and how old a still-pending report write-back must be to be queued again. */
  REPORT_SWEEP_INTERVAL_MS: z.coerce.number().int().positive().default(60_000),
  REPORT_SWEEP_MIN_AGE_MS: z.coerce.number().int().min(0).default(120_000),
});
export type FetchWorkerConfig = z.infer<typeof FetchWorkerConfigSchema>;
