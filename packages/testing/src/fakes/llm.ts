import { createHash } from 'node:crypto';
import Fastify from 'fastify';

export interface ChatMessage {
  role: string;
  content: string | Array<{ type: string; text?: string }> | null;
}

export interface ChatCompletionRequest {
  model?: string;
  messages: ChatMessage[];
  response_format?: { type: string; json_schema?: { name?: string; schema?: JsonSchema; strict?: boolean } };
  [key: string]: unknown;
}

type JsonSchema = {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  enum?: unknown[];
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  minimum?: number;
  maximum?: number;
  $defs?: Record<string, JsonSchema>;
  $ref?: string;
};

export interface LlmCall {
  body: ChatCompletionRequest;
  at: number;
}

/** Returns the assistant message content (string), or any JSON value (serialised for you). */
export type LlmResponder = (req: ChatCompletionRequest) => unknown | Promise<unknown>;

export interface FakeLlm {
  /** Base URL ending in /v1 (what the OpenAI SDK's baseURL / LLM_BASE_URL take). */
  url: string;
  port: number;
  calls: LlmCall[];
  setResponder(responder: LlmResponder | null): void;
  /** The next `times` completions answer with this HTTP status (OpenAI error body). */
  failNext(status: number, opts?: { times?: number; retryAfterSec?: number }): void;
  /** The next `times` completions never answer (until the client gives up or the fake closes). */
  hangNext(times?: number): void;
  /** The next `times` completions answer 200 with this content verbatim (garbage, wrong shape…). */
  garbageNext(content: string, times?: number): void;
  close(): Promise<void>;
}

const text = (c: ChatMessage['content']): string =>
  typeof c === 'string' ? c : Array.isArray(c) ? c.map((p) => p.text ?? '').join('\n') : '';

/** Keyword → session type, most specific first; only the last user message is read (system prompts list every type). */
const RULES: Array<[RegExp, string]> = [
  [/\brace\b|\bparkrun\b|\bmarathon\b|\b(5|10)k\b/i, 'Race'],
  [/\brepetition|\breps?\b|\b(200|300|400) ?m\b|\bstrides?\b|\btrack\b/i, 'Repetition'],
  [/\bvo2|\binterval|\b1000 ?m\b|\b\d+ ?x ?[2-5] ?min\b/i, 'Interval'],
  [/\bthreshold|\btempo\b|\blthr\b|\bcruise\b/i, 'Threshold'],
  [/\blong\b/i, 'Long'],
  [/\brecovery\b/i, 'Recovery'],
  [/\beasy\b|\bz2\b|\baerobic\b/i, 'Easy'],
];

export function classifyByKeywords(prompt: string, allowed: string[] | null): string {
  for (const [re, type] of RULES) if (re.test(prompt) && (!allowed || allowed.includes(type))) return type;
  if (!allowed) return 'Unclassified';
  return allowed.includes('Unclassified') ? 'Unclassified' : (allowed[0] as string);
}

const digest = (s: string) => createHash('sha1').update(s).digest();

/** A value that satisfies `schema`, with sessionType/confidence/reason filled in from the prompt. */
function fromSchema(schema: JsonSchema, prompt: string, root: JsonSchema, key = ''): unknown {
  if (schema.$ref) return fromSchema(root.$defs?.[schema.$ref.split('/').pop() ?? ''] ?? {}, prompt, root, key);
  if (schema.anyOf?.length) return fromSchema(schema.anyOf.find((s) => s.type !== 'null') ?? schema.anyOf[0]!, prompt, root, key);
  const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== 'null') : schema.type;
  if (schema.enum) {
    const options = schema.enum.filter((v): v is string => typeof v === 'string');
    return /type|session|class|label|category/i.test(key) ? classifyByKeywords(prompt, options) : schema.enum[0];
  }
  switch (type) {
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const [k, s] of Object.entries(schema.properties ?? {})) out[k] = fromSchema(s, prompt, root, k);
      return out;
    }
    case 'array':
      return schema.items ? [fromSchema(schema.items, prompt, root, key)] : [];
    case 'number':
    case 'integer': {
      if (/confidence|probab|score/i.test(key)) return Math.round((0.6 + ((digest(prompt)[0] as number) % 30) / 100) * 100) / 100;
      return schema.minimum ?? 0;
    }
    case 'boolean':
      return false;
    case 'string':
      if (/type|session|class|label|category/i.test(key)) return classifyByKeywords(prompt, null);
      if (/reason|explan|rationale/i.test(key)) return `fake-llm: matched keywords in "${prompt.slice(0, 60)}"`;
      return '';
    default:
      return null;
  }
}

/** Deterministic default: schema-shaped JSON for structured output, otherwise a short echo. */
export function defaultLlmResponder(req: ChatCompletionRequest): unknown {
  const users = req.messages.filter((m) => m.role === 'user');
  const prompt = text(users[users.length - 1]?.content ?? null);
  const schema = req.response_format?.json_schema?.schema;
  if (req.response_format?.type === 'json_schema' && schema) return fromSchema(schema, prompt, schema);
  if (req.response_format?.type === 'json_object') return { sessionType: classifyByKeywords(prompt, null), confidence: 0.7, reason: 'fake-llm keywords' };
  return `fake-llm (${digest(prompt).toString('hex').slice(0, 8)}): ${prompt.slice(0, 200)}`;
}

export async function startFakeLlm(opts: { port?: number; host?: string; responder?: LlmResponder } = {}): Promise<FakeLlm> {
  const host = opts.host ?? '127.0.0.1';
  const calls: LlmCall[] = [];
  let responder: LlmResponder = opts.responder ?? defaultLlmResponder;
  const failures: Array<{ status: number; left: number; retryAfterSec?: number }> = [];
  let n = 0;
  let hangs = 0;
  const garbage: Array<{ content: string; left: number }> = [];
  const hanging = new Set<() => void>();
  const app = Fastify({ logger: false, forceCloseConnections: true, bodyLimit: 20 * 1024 * 1024 });
  const error = (message: string, type: string, code: string | null) => ({ error: { message, type, param: null, code } });

  app.post('/v1/chat/completions', async (req, reply) => {
    if (!/^Bearer \S+/.test(req.headers.authorization ?? '')) {
      return reply.code(401).send(error('You didn\'t provide an API key.', 'invalid_request_error', 'invalid_api_key'));
    }
    const body = req.body as ChatCompletionRequest;
    if (!body || !Array.isArray(body.messages)) return reply.code(400).send(error("'messages' is a required property", 'invalid_request_error', null));
    calls.push({ body, at: Date.now() });
    const f = failures.find((x) => x.left > 0);
    if (f) {
      f.left--;
      if (f.retryAfterSec !== undefined) reply.header('retry-after', String(f.retryAfterSec));
      return reply.code(f.status).send(error(f.status === 429 ? 'Rate limit reached' : 'The server had an error', f.status === 429 ? 'rate_limit_exceeded' : 'server_error', null));
    }
    if (hangs > 0) {
      hangs--;
      await new Promise<void>((resolve) => hanging.add(resolve));
      return reply.code(503).send(error('The server is shutting down', 'server_error', null));
    }
    const g = garbage.find((x) => x.left > 0);
    if (g) g.left--;
    const answer = g ? g.content : await responder(body);
    const content = typeof answer === 'string' ? answer : JSON.stringify(answer);
    const promptTokens = Math.ceil(JSON.stringify(body.messages).length / 4);
    const completionTokens = Math.ceil(content.length / 4);
    n++;
    return {
      id: `chatcmpl-fake${String(n).padStart(6, '0')}`,
      object: 'chat.completion',
      created: Math.floor(Date.now() / 1000),
      model: body.model ?? 'fake-model',
      choices: [{ index: 0, message: { role: 'assistant', content, refusal: null }, logprobs: null, finish_reason: 'stop' }],
      usage: { prompt_tokens: promptTokens, completion_tokens: completionTokens, total_tokens: promptTokens + completionTokens },
      system_fingerprint: 'fp_fake',
    };
  });
  app.get('/v1/models', async () => ({ object: 'list', data: [{ id: 'fake-model', object: 'model', created: 0, owned_by: 'splits' }] }));

  await app.listen({ port: opts.port ?? 0, host });
  const addr = app.server.address();
  const port = typeof addr === 'object' && addr ? addr.port : 0;
  return {
    url: `http://${host}:${port}/v1`,
    port,
    calls,
    setResponder(r) {
      responder = r ?? defaultLlmResponder;
    },
    failNext(status, o = {}) {
      failures.push({ status, left: o.times ?? 1, retryAfterSec: o.retryAfterSec });
    },
    hangNext(times = 1) {
      hangs += times;
    },
    garbageNext(content, times = 1) {
      garbage.push({ content, left: times });
    },
    close: async () => {
      for (const release of hanging) release();
      hanging.clear();
      await app.close();
    },
  };
}
