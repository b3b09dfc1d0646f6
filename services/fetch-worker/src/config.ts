import { z } from 'zod';
import { env } from '@splits/config';

export const FetchWorkerConfigSchema = z.object({
  ...env.base,
  ...env.database,
  ...env.redis,
  ...env.intervals,
  ...env.encryption,
  ...env.fetching,
  ...env.host,
  ...env.ports.health(3011),
  FETCH_CONCURRENCY: z.coerce.number().int().positive().default(8),
});
export type FetchWorkerConfig = z.infer<typeof FetchWorkerConfigSchema>;
