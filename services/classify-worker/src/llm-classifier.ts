import OpenAI from 'openai';
import { metrics, secondsSince } from '@splits/telemetry';
import { z } from 'zod';
import { RUN_SESSION_TYPES } from '@splits/contracts';
import type { StructureAnalysis } from '@splits/training';

export interface LlmProvider {
  baseURL: string;
  apiKey: string;
  model: string;
}

/** What the LLM sees: the lap structure and the athlete's thresholds, never raw streams. */
export interface LlmPrompt {
  distanceKm: number | null;
  movingTime: number | null;
  avgHr: number | null;
  thresholdPace: string | null;
  lthr: number | null;
  laps: Array<{ secs: number | null; m: number | null; pace: string | null; hr: number | null; role: string }>;
  rules: { sessionType: string; confidence: number; reason: string };
}

export interface LlmAnswer {
  sessionType: (typeof RUN_SESSION_TYPES)[number];
  confidence: number;
  reason: string;
  model: string;
}

export interface SessionClassifier {
  /** null when every provider failed, timed out or answered outside the schema. */
  classify(prompt: LlmPrompt): Promise<LlmAnswer | null>;
}

const AnswerSchema = z.object({
  sessionType: z.enum(RUN_SESSION_TYPES),
  confidence: z.number().min(0).max(1),
  reason: z.string().min(1).max(300),
});

const RESPONSE_FORMAT = {
  type: 'json_schema' as const,
  json_schema: {
    name: 'session_classification',
    strict: true,
    schema: {
      type: 'object',
      additionalProperties: false,
      required: ['sessionType', 'confidence', 'reason'],
      properties: {
        sessionType: { type: 'string', enum: [...RUN_SESSION_TYPES] },
        confidence: { type: 'number', minimum: 0, maximum: 1 },
        reason: { type: 'string' },
      },
    },
  },
};

const SYSTEM = [
  'You classify one running session from its lap structure, judged against the athlete\'s threshold pace and LTHR.',
  'Easy: steady comfortable. Recovery: short and very easy. Long: clearly longer than usual, steady.',
  'Threshold: tempo or reps at about threshold pace. Interval: 2–5 min reps above threshold (VO2max).',
  'Repetition: short fast reps (200–400 m) with full recovery. Race: a sustained all-out effort.',
  'Unclassified: too little data. Laps typed WORK/RECOVERY by the device are unreliable; judge pace and HR.',
  'Answer JSON only: {"sessionType", "confidence" 0..1, "reason": one short line for the athlete}.',
].join(' ');

/**
 * LLM fallback over any OpenAI-compatible provider (primary, then an optional fallback). Structured
 * output (json_schema), validated again with zod; each call bounded by `timeoutMs`; no SDK
 * retries (the job itself is retried, and the answer is cached per workout revision).
 */
export function createLlmClassifier(opts: { providers: LlmProvider[]; timeoutMs: number; onError?: (provider: string, err: Error) => void }): SessionClassifier {
  const clients = opts.providers.map((p) => ({ p, client: new OpenAI({ baseURL: p.baseURL, apiKey: p.apiKey, maxRetries: 0, timeout: opts.timeoutMs }) }));
  return {
    async classify(prompt) {
      const m = metrics();
      for (const { p, client } of clients) {
        const provider = new URL(p.baseURL).host;
        const started = performance.now();
        let outcome = 'failed';
        try {
          const res = await client.chat.completions.create(
            {
              model: p.model,
              temperature: 0,
              response_format: RESPONSE_FORMAT,
              messages: [
                { role: 'system', content: SYSTEM },
                { role: 'user', content: JSON.stringify(prompt) },
              ],
            },
            { timeout: opts.timeoutMs },
          );
          const parsed = AnswerSchema.safeParse(parseJson(res.choices[0]?.message?.content ?? ''));
          if (parsed.success) {
            outcome = 'ok';
            return { ...parsed.data, model: p.model };
          }
          opts.onError?.(provider, new Error('answer outside the schema'));
        } catch (err) {
          opts.onError?.(provider, err as Error);
        } finally {
          m.llmCalls.inc({ provider, outcome });
          m.llmLatency.observe({ provider }, secondsSince(started));
        }
      }
      return null;
    },
  };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

/** The prompt from the rules' structure analysis: per lap time, distance, pace, HR and the role found. */
export function promptFrom(
  totals: { distanceKm: number | null; movingTime: number | null; avgHr: number | null },
  structure: StructureAnalysis | null,
  thresholds: { thresholdSpeed: number | null; lthr: number | null } | null,
  rules: LlmPrompt['rules'],
): LlmPrompt {
  const pace = (speed: number | null) => {
    if (!speed || speed <= 0) return null;
    const s = Math.round(1000 / speed);
    return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}/km`;
  };
  return {
    ...totals,
    thresholdPace: pace(thresholds?.thresholdSpeed ?? null),
    lthr: thresholds?.lthr ?? null,
    laps: (structure?.laps ?? []).slice(0, 80).map((l, k) => ({
      secs: l.movingTime,
      m: l.distance === null ? null : Math.round(l.distance),
      pace: pace(l.gap ?? l.speed),
      hr: l.hr === null ? null : Math.round(l.hr),
      role: structure?.roles[k] ?? 'steady',
    })),
    rules,
  };
}
