import { z } from 'zod';
import { env } from '@splits/config';

export const GatewayConfigSchema = z.object({
  ...env.base,
  ...env.database,
  ...env.redis,
  ...env.ports.gateway,
  ...env.host,
  ...env.publicBaseUrl,
});
export type GatewayConfig = z.infer<typeof GatewayConfigSchema>;
