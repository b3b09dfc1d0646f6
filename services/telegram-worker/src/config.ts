import { z } from 'zod';
import { env } from '@splits/config';

export const TelegramWorkerConfigSchema = z.object({
  ...env.base,
  ...env.database,
  ...env.redis,
  ...env.telegram,
  ...env.host,
  ...env.ports.health(3014),
});
