import { z } from 'zod';
import { env } from '@splits/config';

export const GatewayConfigSchema = z.object({
  ...env.base,
  ...env.database,
  ...env.redis,
  ...env.intervals,
  ...env.ports.gateway,
  ...env.host,
  ...env.publicBaseUrl,
  /** Optional here: without it the gateway serves reads with API tokens, but no calendar writes and no OAuth. */
  TOKEN_ENCRYPTION_KEY: env.encryption.TOKEN_ENCRYPTION_KEY.optional(),
  INTERVALS_MAX_RPS: env.fetching.INTERVALS_MAX_RPS,
  /** Requests per minute per token (API or OAuth), counted in Redis across replicas. */
  GATEWAY_RATE_LIMIT_PER_MIN: z.coerce.number().int().positive().default(120),
});
export type GatewayConfig = z.infer<typeof GatewayConfigSchema>;
