import { z } from 'zod';
import { env } from '@splits/config';

export const ClassifyWorkerConfigSchema = z
  .object({
    ...env.base,
    ...env.database,
    ...env.redis,
    ...env.outbox,
    ...env.llm,
    ...env.host,
    ...env.ports.health(3012),
    /** Below this rule confidence the LLM (when configured) gets the final word. */
    CLASSIFY_LLM_BELOW_CONFIDENCE: z.coerce.number().min(0).max(1).default(0.6),
    /** Per-call LLM timeout. */
    LLM_TIMEOUT_MS: z.coerce.number().int().min(100).default(20_000),
    /** Optional second OpenAI-compatible provider, tried when the first fails. */
    LLM_FALLBACK_BASE_URL: z.string().url().optional(),
    LLM_FALLBACK_API_KEY: z.string().optional(),
    LLM_FALLBACK_MODEL: z.string().optional(),
  })
  .superRefine((c, ctx) => {
    // A provider needs its address and its model: half of one would silently mean rules only.
    for (const [url, model, key] of [
      ['LLM_BASE_URL', 'LLM_MODEL', 'LLM_API_KEY'],
      ['LLM_FALLBACK_BASE_URL', 'LLM_FALLBACK_MODEL', 'LLM_FALLBACK_API_KEY'],
    ] as const) {
      if (Boolean(c[url]) !== Boolean(c[model])) {
        ctx.addIssue({ code: 'custom', path: [c[url] ? model : url], message: `set both ${url} and ${model}, or neither` });
      } else if (!c[url] && c[key]) {
        ctx.addIssue({ code: 'custom', path: [url], message: `${key} is set: set ${url} and ${model} too, or unset ${key}` });
      }
    }
  });
export type ClassifyWorkerConfig = z.infer<typeof ClassifyWorkerConfigSchema>;

/** Providers in the order they are tried; empty = rules only (DESIGN §7). */
export function llmProviders(c: ClassifyWorkerConfig) {
  const out: Array<{ baseURL: string; apiKey: string; model: string }> = [];
  if (c.LLM_BASE_URL && c.LLM_MODEL) out.push({ baseURL: c.LLM_BASE_URL, apiKey: c.LLM_API_KEY ?? 'none', model: c.LLM_MODEL });
  if (c.LLM_FALLBACK_BASE_URL && c.LLM_FALLBACK_MODEL) {
    out.push({ baseURL: c.LLM_FALLBACK_BASE_URL, apiKey: c.LLM_FALLBACK_API_KEY ?? 'none', model: c.LLM_FALLBACK_MODEL });
  }
  return out;
}
