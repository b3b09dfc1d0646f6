import Fastify, { type FastifyRequest } from 'fastify';
import type { FakeActivity } from './activity.js';
import type { FakeAthlete } from './generator.js';
import { registerControlRoutes } from './control.js';
import { mulberry32 } from './prng.js';
import { registerIntervalsRoutes } from './routes.js';
import { registerOAuthRoutes, type FakeOAuthControl, type FakeOAuthOptions } from './oauth.js';
import { FakeIntervalsState, type AnalysisDelay, type AuthKind, type FakeEvent } from './state.js';
import { activityWebhook, sendWebhook, uploadedWebhook, webhookBody, wellnessWebhook } from './webhook.js';

export { activityWebhook, sendWebhook, uploadedWebhook, uploadedActivityPayload, webhookBody, wellnessWebhook } from './webhook.js';
export type { FakeWebhookBody, FakeWebhookEvent } from './webhook.js';
export type { AnalysisDelay, AuthKind, FakeEvent } from './state.js';
export type { FakeOAuthConsent, FakeOAuthControl, FakeOAuthOptions } from './oauth.js';

export interface RecordedRequest {
  method: string;
  /** Path without the query string. */
  path: string;
  query: Record<string, string>;
  /** How the request authenticated; the credential itself is never stored. */
  auth: AuthKind;
  status: number;
  /** Arrival time, ms since epoch. */
  at: number;
}

export interface RecordedWrite {
  method: string;
  path: string;
  athleteId: string;
  body: unknown;
  at: number;
}

export interface FakeIntervalsOptions extends AnalysisDelay {
  port?: number;
  host?: string;
  /** The OAuth app the fake knows (client id/secret, code lifetime). */
  oauth?: FakeOAuthOptions;
}

export interface FailureInjection {
  status: number;
  retryAfterSec?: number;
  /** How many matching requests fail (default 1). */
  times?: number;
  method?: string;
}

/** Random faults on every /api/v1 request (seeded, so a run is repeatable). */
export interface FaultRates {
  /** Share of requests answered 500/502/503 (0..1). */
  rate5xx?: number;
  /** Share answered 429 with Retry-After. */
  rate429?: number;
  retryAfterSec?: number;
  /** Share never answered: the request is held `timeoutHoldMs` (default 20 s, past the client's 15 s) and its socket dropped. */
  rateTimeout?: number;
  timeoutHoldMs?: number;
  seed?: number;
}

export interface FakeIntervals {
  /** Base URL without /api/v1, e.g. http://127.0.0.1:40123 (what INTERVALS_API_BASE_URL takes). */
  url: string;
  port: number;
  requests: RecordedRequest[];
  writes: RecordedWrite[];
  addAthlete(athlete: FakeAthlete, creds?: { apiKey?: string; bearer?: string }): { apiKey?: string; bearer?: string };
  addActivity(intervalsAthleteId: string, activity: FakeActivity, delay?: AnalysisDelay): void;
  /** GET /activity/{id} count so far. */
  fetchCount(activityId: string): number;
  /** The athlete's calendar as stored now, sorted by date. */
  events(intervalsAthleteId: string): FakeEvent[];
  failNext(path: RegExp | string, status: number, opts?: Omit<FailureInjection, 'status'>): void;
  /** Random 5xx/429 on a share of API requests until cleared with `setFaults(null)`. */
  setFaults(rates: FaultRates | null): void;
  /** Writes calendar events as the athlete would in the Intervals.icu UI (not recorded as a client write). */
  upsertEventsFor(intervalsAthleteId: string, events: Array<Record<string, unknown>>): FakeEvent[];
  /** Deletes an activity as if the athlete removed it. */
  deleteActivity(activityId: string): boolean;
  /** Replaces the athlete's sport settings (GET sport-settings answers these from now on). */
  setSportSettings(intervalsAthleteId: string, settings: Array<Record<string, unknown>>): void;
  requestsPerSecond(filter?: (r: RecordedRequest) => boolean): { maxPerSecond: number; bySecond: Array<{ second: number; count: number }> };
  /** OAuth app credentials and consent/expiry controls for GET /oauth/authorize and POST /api/oauth/token. */
  oauth: FakeOAuthControl;
  webhookBody: typeof webhookBody;
  uploadedWebhook: typeof uploadedWebhook;
  activityWebhook: typeof activityWebhook;
  wellnessWebhook: typeof wellnessWebhook;
  sendWebhook: typeof sendWebhook;
  /** Clears recorded requests, writes and pending failure injections (not the data). */
  reset(): void;
  close(): Promise<void>;
}

/** Busiest 1 s sliding window over arrival times. */
export function maxPerSecond(times: number[]): number {
  const t = [...times].sort((a, b) => a - b);
  let best = 0;
  let lo = 0;
  for (let hi = 0; hi < t.length; hi++) {
    while ((t[hi] as number) - (t[lo] as number) >= 1000) lo++;
    best = Math.max(best, hi - lo + 1);
  }
  return best;
}

export async function startFakeIntervals(opts: FakeIntervalsOptions = {}): Promise<FakeIntervals> {
  const state = new FakeIntervalsState();
  const requests: RecordedRequest[] = [];
  const writes: RecordedWrite[] = [];
  const failures: Array<{ pattern: RegExp; left: number } & FailureInjection> = [];
  let faults: (FaultRates & { next: () => number }) | null = null;
  const defaults: AnalysisDelay = { analysedAfterFetches: opts.analysedAfterFetches, analysedAfterMs: opts.analysedAfterMs };

  const app = Fastify({ logger: false, forceCloseConnections: true, bodyLimit: 20 * 1024 * 1024 });
  const arrivals = new WeakMap<FastifyRequest, number>();
  const pathOf = (url: string) => {
    const q = url.indexOf('?');
    return q < 0 ? url : url.slice(0, q);
  };

  app.addHook('onRequest', async (req, reply) => {
    arrivals.set(req, Date.now());
    const path = pathOf(req.url);
    if (faults && path.startsWith('/api/')) {
      const x = faults.next();
      const r5 = faults.rate5xx ?? 0;
      const r4 = faults.rate429 ?? 0;
      const rt = faults.rateTimeout ?? 0;
      if (x >= r5 + r4 && x < r5 + r4 + rt) {
        // Recorded as status 0: it arrived and was never answered.
        requests.push({ method: req.method, path, query: { ...(req.query as Record<string, string>) }, auth: state.authenticate(req.headers.authorization).kind, status: 0, at: Date.now() });
        await new Promise((r) => setTimeout(r, faults?.timeoutHoldMs ?? 20_000));
        req.raw.socket.destroy();
        return reply.hijack();
      }
      if (x < r5 + r4) {
        const status = x < r5 ? [500, 502, 503][Math.floor((x / Math.max(r5, 1e-9)) * 3) % 3]! : 429;
        if (status === 429) reply.header('retry-after', String(faults.retryAfterSec ?? 1));
        req.fakeAuth = state.authenticate(req.headers.authorization).kind;
        return reply.code(status).send({ status, error: status === 429 ? 'Too Many Requests' : 'Injected fault' });
      }
    }
    const f = failures.find((x) => x.left > 0 && x.pattern.test(path) && (!x.method || x.method.toUpperCase() === req.method));
    if (!f) return;
    f.left--;
    if (f.retryAfterSec !== undefined) reply.header('retry-after', String(f.retryAfterSec));
    req.fakeAuth = state.authenticate(req.headers.authorization).kind;
    return reply.code(f.status).send({ status: f.status, error: f.status === 429 ? 'Too Many Requests' : 'Injected failure' });
  });
  // onSend (not onResponse) so the record exists before the client can see the response.
  app.addHook('onSend', async (req, reply, payload) => {
    if (req.url.startsWith('/__fake/')) return payload;
    requests.push({
      method: req.method,
      path: pathOf(req.url),
      query: { ...(req.query as Record<string, string>) },
      auth: req.fakeAuth ?? state.authenticate(req.headers.authorization).kind,
      status: reply.statusCode,
      at: arrivals.get(req) ?? Date.now(),
    });
    return payload;
  });
  app.setNotFoundHandler((_req, reply) => reply.code(404).send({ status: 404, error: 'Not Found' }));
  app.setErrorHandler((err: { statusCode?: number; message: string }, _req, reply) => {
    const status = err.statusCode && err.statusCode < 500 ? err.statusCode : 500;
    return reply.code(status).send({ status, error: status === 500 ? 'Internal Server Error' : err.message });
  });

  registerIntervalsRoutes(app, state, {
    recordWrite(req, athleteId, body) {
      writes.push({ method: req.method, path: pathOf(req.url), athleteId, body, at: Date.now() });
    },
  });

  const oauth = registerOAuthRoutes(app, state, opts.oauth);

  const addActivity: FakeIntervals['addActivity'] = (intervalsAthleteId, activity, delay = {}) => {
    state.addActivity(intervalsAthleteId, activity, {
      analysedAfterFetches: delay.analysedAfterFetches ?? defaults.analysedAfterFetches,
      analysedAfterMs: delay.analysedAfterMs ?? defaults.analysedAfterMs,
    });
  };
  registerControlRoutes(app, { state, addActivity, requests, writes });

  await app.listen({ port: opts.port ?? 0, host: opts.host ?? '127.0.0.1' });
  const addr = app.server.address();
  const port = typeof addr === 'object' && addr ? addr.port : 0;

  return {
    url: `http://${opts.host ?? '127.0.0.1'}:${port}`,
    port,
    requests,
    writes,
    addAthlete(athlete, creds = {}) {
      const c = creds.apiKey || creds.bearer ? creds : { apiKey: `key-${athlete.athleteId}` };
      state.addAthlete(athlete, c);
      return c;
    },
    addActivity,
    fetchCount: (id) => state.activities.get(id)?.fetches ?? 0,
    events(intervalsAthleteId) {
      const e = state.athletes.get(intervalsAthleteId);
      return e ? [...e.events.values()].sort((a, b) => a.start_date_local.localeCompare(b.start_date_local) || a.id - b.id) : [];
    },
    failNext(path, status, o = {}) {
      const pattern = typeof path === 'string' ? new RegExp(path) : path;
      failures.push({ pattern, status, left: o.times ?? 1, ...o });
    },
    setFaults(rates) {
      faults = rates ? { ...rates, next: mulberry32(rates.seed ?? 42) } : null;
    },
    deleteActivity: (id) => state.deleteActivity(id),
    upsertEventsFor(intervalsAthleteId, events) {
      const e = state.athletes.get(intervalsAthleteId);
      if (!e) throw new Error(`fake intervals: unknown athlete ${intervalsAthleteId}`);
      return state.upsertEvents(e, events, true);
    },
    setSportSettings(intervalsAthleteId, settings) {
      const e = state.athletes.get(intervalsAthleteId);
      if (!e) throw new Error(`fake intervals: unknown athlete ${intervalsAthleteId}`);
      e.sportSettings = settings;
    },
    requestsPerSecond(filter) {
      const times = (filter ? requests.filter(filter) : requests).map((r) => r.at);
      const counts = new Map<number, number>();
      for (const t of times) counts.set(Math.floor(t / 1000), (counts.get(Math.floor(t / 1000)) ?? 0) + 1);
      const bySecond = [...counts.entries()].sort((a, b) => a[0] - b[0]).map(([second, count]) => ({ second, count }));
      return { maxPerSecond: maxPerSecond(times), bySecond };
    },
    oauth,
    webhookBody,
    uploadedWebhook,
    activityWebhook,
    wellnessWebhook,
    sendWebhook,
    reset() {
      requests.length = 0;
      writes.length = 0;
      failures.length = 0;
    },
    close: () => app.close(),
  };
}
