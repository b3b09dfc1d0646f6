import { z } from 'zod';
import { env } from '@splits/config';

export const SummaryWorkerConfigSchema = z.object({
  ...env.base,
  ...env.database,
  ...env.redis,
  ...env.host,
  ...env.ports.health(3013),
});
