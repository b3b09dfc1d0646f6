import { z } from 'zod';
import { env } from '@splits/config';

export const ClassifyWorkerConfigSchema = z.object({
  ...env.base,
  ...env.database,
  ...env.redis,
  ...env.llm,
  ...env.host,
  ...env.ports.health(3012),
  /** Below this rule confidence the LLM (when configured) gets the final word. */
  CLASSIFY_LLM_BELOW_CONFIDENCE: z.coerce.number().min(0).max(1).default(0.6),
});
export type ClassifyWorkerConfig = z.infer<typeof ClassifyWorkerConfigSchema>;
