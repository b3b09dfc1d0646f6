import { z } from 'zod';
import { env } from '@splits/config';

export const DashboardConfigSchema = z.object({
  ...env.base,
  ...env.redis,
  ...env.database,
  /** The overview's Intervals.icu request and 429 rates come from here; unset: shown as unknown. */
  PROMETHEUS_URL: z.string().url().optional(),
  ...env.ports.dashboard,
  ...env.host,
  // Required, no defaults: the board can retry and delete jobs.
  ...env.dashboardAuth,
});
export type DashboardConfig = z.infer<typeof DashboardConfigSchema>;
