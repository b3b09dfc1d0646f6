import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startFakeLlm, type FakeLlm } from './llm.js';

let llm: FakeLlm;
const complete = async (body: unknown, key: string | null = 'sk-test') => {
  const res = await fetch(`${llm.url}/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}) },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as any };
};
const classification = {
  type: 'json_schema',
  json_schema: {
    name: 'session_classification',
    strict: true,
    schema: {
      type: 'object',
      additionalProperties: false,
      required: ['sessionType', 'confidence', 'reason'],
      properties: {
        sessionType: { type: 'string', enum: ['Easy', 'Recovery', 'Long', 'Threshold', 'Interval', 'Repetition', 'Race', 'Unclassified'] },
        confidence: { type: 'number' },
        reason: { type: 'string' },
      },
    },
  },
};
const ask = (user: string) => ({
  model: 'gpt-test',
  response_format: classification,
  messages: [
    { role: 'system', content: 'Classify the run as Easy, Recovery, Long, Threshold, Interval, Repetition or Race.' },
    { role: 'user', content: user },
  ],
});

beforeAll(async () => {
  llm = await startFakeLlm();
});
afterAll(() => llm.close());

describe('fake LLM (OpenAI chat completions)', () => {
  it('requires a Bearer key', async () => {
    const res = await complete(ask('x'), null);
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('invalid_api_key');
  });

  it('returns a chat.completion with schema-valid, keyword-derived, deterministic JSON', async () => {
    const res = await complete(ask('Run: warmup, 4 x 8 min at threshold pace, 2 min jog recoveries'));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ object: 'chat.completion', model: 'gpt-test', choices: [{ index: 0, finish_reason: 'stop', message: { role: 'assistant' } }] });
    expect(res.body.usage.total_tokens).toBe(res.body.usage.prompt_tokens + res.body.usage.completion_tokens);
    const answer = JSON.parse(res.body.choices[0].message.content);
    expect(Object.keys(answer).sort()).toEqual(['confidence', 'reason', 'sessionType']);
    expect(answer.sessionType).toBe('Threshold');
    expect(answer.confidence).toBeGreaterThanOrEqual(0.6);
    expect(answer.confidence).toBeLessThan(0.9);
    const again = await complete(ask('Run: warmup, 4 x 8 min at threshold pace, 2 min jog recoveries'));
    expect(again.body.choices[0].message.content).toBe(res.body.choices[0].message.content);
    expect(JSON.parse((await complete(ask('6 x 1000 m VO2max'))).body.choices[0].message.content).sessionType).toBe('Interval');
    expect(JSON.parse((await complete(ask('steady 60 minutes'))).body.choices[0].message.content).sessionType).toBe('Unclassified');
  });

  it('answers plain text without a response_format, and records calls', async () => {
    const before = llm.calls.length;
    const res = await complete({ model: 'm', messages: [{ role: 'user', content: 'Summarise my week' }] });
    expect(res.body.choices[0].message.content).toContain('Summarise my week');
    expect(llm.calls).toHaveLength(before + 1);
    expect(llm.calls.at(-1)!.body.messages[0]!.content).toBe('Summarise my week');
  });

  it('uses a custom responder and injected failures', async () => {
    llm.setResponder((req) => ({ sessionType: 'Race', confidence: 0.99, reason: `n=${req.messages.length}` }));
    expect(JSON.parse((await complete(ask('easy jog'))).body.choices[0].message.content)).toEqual({ sessionType: 'Race', confidence: 0.99, reason: 'n=2' });
    llm.setResponder(null);
    llm.failNext(500);
    expect((await complete(ask('easy jog'))).status).toBe(500);
    expect(JSON.parse((await complete(ask('easy jog'))).body.choices[0].message.content).sessionType).toBe('Easy');
  });
});
