import OpenAI from 'openai';
import { z } from 'zod';
import { RUN_SESSION_TYPES, type WorkoutRecord } from '@splits/contracts';

export interface SessionClassifier {
  classify(record: Omit<WorkoutRecord, 'id'>): Promise<{ sessionType: string; reason: string } | null>;
}

const AnswerSchema = z.object({ sessionType: z.enum(RUN_SESSION_TYPES), reason: z.string().max(500).default('') });

/**
 * LLM fallback over any OpenAI-compatible provider. It sees the lap structure, not raw streams, and
 * must answer one of the known session types; anything else is treated as no answer.
 */
export function createLlmClassifier(opts: { baseURL: string; apiKey: string; model: string; timeoutMs?: number }): SessionClassifier {
  const client = new OpenAI({ baseURL: opts.baseURL, apiKey: opts.apiKey, maxRetries: 1, timeout: opts.timeoutMs ?? 20_000 });
  return {
    async classify(record) {
      const laps = (record.intervals ?? []).map((i) => ({
        type: i.type,
        secs: i.moving_time,
        m: i.distance,
        pace: i.pace,
        hr: i.avg_hr,
      }));
      const res = await client.chat.completions.create({
        model: opts.model,
        temperature: 0,
        response_format: { type: 'json_object' },
        messages: [
          {
            role: 'system',
            content: `Classify a running session from its lap structure. Answer JSON {"sessionType": one of ${RUN_SESSION_TYPES.join('|')}, "reason": short}.`,
          },
          {
            role: 'user',
            content: JSON.stringify({
              distanceKm: record.distance,
              movingTime: record.movingTime,
              pace: record.pace,
              avgHr: record.avgHr,
              maxHr: record.maxHr,
              laps,
            }),
          },
        ],
      });
      const text = res.choices[0]?.message?.content ?? '';
      try {
        const parsed = AnswerSchema.safeParse(JSON.parse(text));
        return parsed.success ? parsed.data : null;
      } catch {
        return null;
      }
    },
  };
}
