import { z } from 'zod';
import { metrics, secondsSince } from '@splits/telemetry';
import type { Logger } from 'pino';
import {
  IntervalsActivitySchema,
  IntervalsEventInputSchema,
  IntervalsEventSchema,
  IntervalsIntervalsDtoSchema,
  IntervalsPaceCurvesSchema,
  IntervalsStreamsSchema,
  IntervalsWellnessSchema,
  type IntervalsActivity,
  type IntervalsEvent,
  type IntervalsEventInput,
  type IntervalsIntervalsDto,
  type IntervalsPaceCurves,
  type IntervalsStream,
  type IntervalsWellness,
} from '@splits/contracts';
import { IntervalsHttpError, IntervalsParseError, isPermanentStatus, isRetryableStatus } from './errors.js';
import { backoffDelay, parseRetryAfter } from './retry.js';
import { TokenBucket } from './token-bucket.js';

export type IntervalsAuth = { kind: 'api_key' | 'oauth'; secret: string };

export interface IntervalsClientOptions {
  /** e.g. `https://intervals.icu`; paths add `/api/v1`. */
  baseUrl: string;
  auth: IntervalsAuth;
  /** Requests per second for this client's own bucket (default 10; burst = maxRps). Ignored with `limiter`. */
  maxRps?: number;
  /** A limiter shared with other clients: a process-wide TokenBucket, or one kept in Redis across processes. */
  limiter?: RateLimiter;
  /** Tries per request, the first included (default 4). */
  maxAttempts?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** A 429 asking for a longer wait than this is not slept in-process: it is thrown (retryAfterMs set) for the job to re-delay. */
  maxRetryAfterMs?: number;
  /** Per attempt (default 15000). */
  timeoutMs?: number;
  userAgent?: string;
  log?: Logger;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
}

/** Anything that paces requests: resolves when one may be sent. */
export interface RateLimiter {
  take(): Promise<void>;
}

export type DoomedEvent = { id: number } | { external_id: string };

export interface IntervalsClient {
  getActivity(id: string, opts?: { intervals?: boolean }): Promise<IntervalsActivity>;
  /** OAuth only: ends the grant behind the bearer token (DELETE /disconnect-app). */
  disconnectApp(): Promise<void>;
  getIntervals(id: string): Promise<IntervalsIntervalsDto>;
  /** `[]` when the activity has no streams (404). */
  getStreams(id: string, types?: string[]): Promise<IntervalsStream[]>;
  /** null when Intervals.icu has no row for the date (404). */
  getWellness(athleteId: string, date: string): Promise<IntervalsWellness | null>;
  listWellness(athleteId: string, oldest: string, newest: string): Promise<IntervalsWellness[]>;
  /** Newest first, as Intervals.icu returns them. */
  listActivities(athleteId: string, q: { oldest: string; newest?: string; limit?: number }): Promise<IntervalsActivity[]>;
  listEvents(athleteId: string, q: { oldest: string; newest: string; category?: string | string[] }): Promise<IntervalsEvent[]>;
  upsertEvents(athleteId: string, events: IntervalsEventInput[]): Promise<IntervalsEvent[]>;
  deleteEvents(athleteId: string, doomed: DoomedEvent[]): Promise<{ eventsDeleted: number | null }>;
  updateActivity(id: string, patch: Record<string, unknown>): Promise<IntervalsActivity>;
  /** Every sport's settings (thresholds, zones): `GET /athlete/{id}/sport-settings`. */
  listSportSettings(athleteId: string): Promise<Array<Record<string, unknown>>>;
  /** Best time per distance over a window (`curves`: 42d, 90d, …) and the CS model Intervals.icu fitted. */
  getPaceCurves(athleteId: string, q: { type: string; curves: string }): Promise<IntervalsPaceCurves>;
}

const DEFAULT_UA = 'Splits/0.1 (+https://github.com/splits; Intervals.icu training context)';
const DeleteResultSchema = z.object({ eventsDeleted: z.number().nullish() }).passthrough();

type Query = Record<string, string | number | boolean | undefined>;
interface Call<T> {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  path: string;
  query?: Query;
  body?: unknown;
  schema: z.ZodType<T>;
  /** Answer null instead of throwing on 404. */
  nullOn404?: boolean;
}

const seg = (s: string) => encodeURIComponent(s);

export function createIntervalsClient(opts: IntervalsClientOptions): IntervalsClient {
  const root = `${opts.baseUrl.replace(/\/+$/, '')}/api/v1`;
  const maxAttempts = Math.max(1, opts.maxAttempts ?? 4);
  const baseDelayMs = opts.baseDelayMs ?? 500;
  const maxDelayMs = opts.maxDelayMs ?? 30_000;
  const maxRetryAfterMs = opts.maxRetryAfterMs ?? 60_000;
  const timeoutMs = opts.timeoutMs ?? 15_000;
  const sleep = opts.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const random = opts.random ?? Math.random;
  const limiter = opts.limiter ?? new TokenBucket(opts.maxRps ?? 10, opts.maxRps ?? 10);
  const authorization =
    opts.auth.kind === 'api_key'
      ? `Basic ${Buffer.from(`API_KEY:${opts.auth.secret}`).toString('base64')}`
      : `Bearer ${opts.auth.secret}`;
  // Whatever text leaves this client (messages, logs) passes through here first.
  const secrets = [opts.auth.secret, authorization.slice(authorization.indexOf(' ') + 1)].filter((s) => s.length >= 4);
  const scrub = (text: string) => secrets.reduce((t, s) => t.split(s).join('[redacted]'), text);

  async function call<T>(c: Call<T>): Promise<T | null> {
    const url = new URL(root + c.path);
    for (const [k, v] of Object.entries(c.query ?? {})) if (v !== undefined) url.searchParams.set(k, String(v));
    const headers: Record<string, string> = {
      authorization,
      accept: 'application/json',
      'user-agent': opts.userAgent ?? DEFAULT_UA,
    };
    if (c.body !== undefined) headers['content-type'] = 'application/json';
    const body = c.body === undefined ? undefined : JSON.stringify(c.body);

    for (let attempt = 1; ; attempt++) {
      const waitStart = performance.now();
      await limiter.take();
      const m = metrics();
      m.intervalsLimiterWait.observe(secondsSince(waitStart));
      const sent = performance.now();
      let status = 0;
      let retryAfterMs: number | null = null;
      let detail: string;
      try {
        const res = await fetch(url, { method: c.method, headers, body, signal: AbortSignal.timeout(timeoutMs) });
        const text = await res.text();
        status = res.status;
        if (res.ok) return parse(c, text);
        if (res.status === 404 && c.nullOn404) return null;
        retryAfterMs = parseRetryAfter(res.headers.get('retry-after'));
        detail = scrub(text.replace(/\s+/g, ' ').slice(0, 200));
      } catch (err) {
        if (err instanceof IntervalsParseError) throw err;
        const e = err as Error & { cause?: { code?: string; message?: string } };
        detail = scrub([e.name, e.cause?.code ?? e.cause?.message ?? e.message].filter(Boolean).join(': '));
      } finally {
        m.intervalsRequests.inc({ method: c.method, status: String(status) });
        m.intervalsLatency.observe({ method: c.method }, secondsSince(sent));
      }

      const error = new IntervalsHttpError({ method: c.method, path: c.path, status, retryAfterMs, detail });
      if (isPermanentStatus(status) || !isRetryableStatus(status) || attempt >= maxAttempts) throw error;
      if (retryAfterMs !== null && retryAfterMs > maxRetryAfterMs) throw error;
      const delayMs = Math.max(retryAfterMs ?? 0, backoffDelay(attempt, baseDelayMs, maxDelayMs, random));
      opts.log?.warn({ method: c.method, path: c.path, status, attempt, delayMs, retryAfterMs }, 'intervals.icu request failed; retrying');
      await sleep(delayMs);
    }
  }

  function parse<T>(c: Call<T>, text: string): T {
    let json: unknown;
    try {
      json = text === '' ? null : JSON.parse(text);
    } catch {
      throw new IntervalsParseError({ method: c.method, path: c.path, issues: ['body is not JSON'] });
    }
    const r = c.schema.safeParse(json);
    if (r.success) return r.data;
    const issues = r.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
    throw new IntervalsParseError({ method: c.method, path: c.path, issues });
  }

  const must = async <T>(c: Call<T>): Promise<T> => (await call(c)) as T;
  const list = <S extends z.ZodTypeAny>(s: S) => z.array(s) as unknown as z.ZodType<z.infer<S>[]>;

  return {
    disconnectApp: async () => {
      await call({ method: 'DELETE', path: '/disconnect-app', schema: z.unknown() });
    },
    getActivity: (id, o) =>
      must({ method: 'GET', path: `/activity/${seg(id)}`, query: { intervals: o?.intervals ? 'true' : undefined }, schema: IntervalsActivitySchema }),
    getIntervals: (id) => must({ method: 'GET', path: `/activity/${seg(id)}/intervals`, schema: IntervalsIntervalsDtoSchema }),
    getStreams: async (id, types) =>
      (await call({
        method: 'GET',
        // The extension is required: the bare /streams path is a 404 (reference §3.3).
        path: `/activity/${seg(id)}/streams.json`,
        query: { types: types?.length ? types.join(',') : undefined },
        schema: IntervalsStreamsSchema,
        nullOn404: true,
      })) ?? [],
    getWellness: (athleteId, date) =>
      call({ method: 'GET', path: `/athlete/${seg(athleteId)}/wellness/${seg(date)}`, schema: IntervalsWellnessSchema, nullOn404: true }),
    listWellness: (athleteId, oldest, newest) =>
      must({ method: 'GET', path: `/athlete/${seg(athleteId)}/wellness`, query: { oldest, newest }, schema: list(IntervalsWellnessSchema) }),
    listActivities: (athleteId, q) =>
      must({
        method: 'GET',
        path: `/athlete/${seg(athleteId)}/activities`,
        query: { oldest: q.oldest, newest: q.newest, limit: q.limit },
        schema: list(IntervalsActivitySchema),
      }),
    listEvents: (athleteId, q) =>
      must({
        method: 'GET',
        path: `/athlete/${seg(athleteId)}/events`,
        query: { oldest: q.oldest, newest: q.newest, category: Array.isArray(q.category) ? q.category.join(',') : q.category },
        schema: list(IntervalsEventSchema),
      }),
    upsertEvents: (athleteId, events) =>
      must({
        method: 'POST',
        path: `/athlete/${seg(athleteId)}/events/bulk`,
        query: { upsert: 'true' },
        body: z.array(IntervalsEventInputSchema).parse(events),
        schema: list(IntervalsEventSchema),
      }),
    deleteEvents: async (athleteId, doomed) => {
      const r = await must({ method: 'PUT', path: `/athlete/${seg(athleteId)}/events/bulk-delete`, body: doomed, schema: DeleteResultSchema.nullable() });
      return { eventsDeleted: r?.eventsDeleted ?? null };
    },
    listSportSettings: (athleteId) =>
      must({ method: 'GET', path: `/athlete/${seg(athleteId)}/sport-settings`, schema: z.array(z.record(z.string(), z.unknown())) }),
    updateActivity: (id, patch) => must({ method: 'PUT', path: `/activity/${seg(id)}`, body: patch, schema: IntervalsActivitySchema }),
    getPaceCurves: (athleteId, q) =>
      must({ method: 'GET', path: `/athlete/${seg(athleteId)}/pace-curves.json`, query: { type: q.type, curves: q.curves }, schema: IntervalsPaceCurvesSchema }),
  };
}
