import { createServer, type AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { createApiToken, createAthlete, parseKeyring, saveAthleteProfile, storeAthleteSummary, upsertWorkout, type Db } from '@splits/db';
import { deriveStateKey } from '@splits/intervals';
import { createQueues, createRedis, type Queues } from '@splits/queue';
import { createLogger } from '@splits/telemetry';
import {
  createTestDatabase,
  dropQueuePrefix,
  generateAthlete,
  runRecord,
  startFakeIntervals,
  TEST_ENCRYPTION_KEY,
  TEST_REDIS_URL,
  testQueuePrefix,
  type FakeIntervals,
} from '@splits/testing';
import { buildApp } from './app.js';

export { interval, runRecord } from '@splits/testing';

/** Test data for the gateway's tests: realistic workout records and athletes with tokens. */

export interface SeededAthlete {
  athleteId: string;
  token: string;
  /** Workout ids by local date. */
  workouts: Map<string, string>;
}

/** An athlete with a gateway token and one run per given local date. */
export async function seedAthlete(
  db: Db,
  intervalsAthleteId: string,
  dates: string[],
  opts: { intervals?: number; name?: string } = {},
): Promise<SeededAthlete> {
  const { id: athleteId } = await createAthlete(db, Buffer.from(TEST_ENCRYPTION_KEY, 'base64'), {
    name: opts.name ?? `Athlete ${intervalsAthleteId}`,
    timezone: 'Europe/Berlin',
    intervalsAthleteId,
    authKind: 'api_key',
    credential: `key-${intervalsAthleteId}`,
  });
  const { token } = await createApiToken(db, athleteId, 'test');
  const workouts = new Map<string, string>();
  for (const [i, date] of dates.entries()) {
    const { id } = await upsertWorkout(db, athleteId, runRecord(`${intervalsAthleteId}${String(i).padStart(4, '0')}`, date, opts));
    workouts.set(date, id);
  }
  return { athleteId, token, workouts };
}

/** Producer queues on their own prefix for a gateway test; close() quits Redis and removes the prefix's keys. */
export function openTestQueues(label: string): { queues: Queues; close(): Promise<void> } {
  const redis = createRedis(TEST_REDIS_URL);
  const prefix = testQueuePrefix(label);
  const queues = createQueues(redis, prefix);
  return {
    queues,
    close: async () => {
      await queues.close();
      await redis.quit();
      await dropQueuePrefix(TEST_REDIS_URL, prefix);
    },
  };
}

/**
 * A browser for the OAuth tests: fetch that never follows redirects and keeps the cookies each
 * origin sets (the authorize page's browser-binding cookie) and sends them back to that origin only.
 */
export class TestBrowser {
  private readonly jars = new Map<string, Map<string, string>>();

  async fetch(url: string | URL, init: RequestInit = {}): Promise<Response> {
    const origin = new URL(url).origin;
    const headers = new Headers(init.headers);
    const cookie = this.cookieHeader(origin);
    if (cookie) headers.set('cookie', cookie);
    const res = await fetch(url, { redirect: 'manual', ...init, headers });
    for (const set of res.headers.getSetCookie()) {
      const pair = set.split(';')[0]!;
      const eq = pair.indexOf('=');
      const jar = this.jars.get(origin) ?? new Map<string, string>();
      jar.set(pair.slice(0, eq).trim(), pair.slice(eq + 1).trim());
      this.jars.set(origin, jar);
    }
    return res;
  }

  /** A form POST, as the browser submits it. */
  post(url: string | URL, form: Record<string, string>): Promise<Response> {
    return this.fetch(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(form) });
  }

  /** The Cookie header this browser sends to `origin` (for app.inject). */
  cookieHeader(origin: string): string | undefined {
    const jar = this.jars.get(origin);
    return jar?.size ? [...jar].map(([k, v]) => `${k}=${v}`).join('; ') : undefined;
  }
}

/** A hidden form field's value from one of the OAuth pages. */
export function formField(html: string, name: string): string {
  const value = new RegExp(`name="${name}" value="([^"]+)"`).exec(html)?.[1];
  if (value === undefined) throw new Error(`no field ${name} in the page`);
  return value.replace(/&amp;/g, '&').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>');
}

/** The headers every HTML page of the gateway sends (no framing, no sniffing, no Referer). */
export function pageSecurityHeaders(headers: Headers | Record<string, unknown>): Record<string, unknown> {
  const get = (n: string) => (headers instanceof Headers ? headers.get(n) : headers[n]);
  return {
    'x-frame-options': get('x-frame-options'),
    frameAncestors: /frame-ancestors 'none'/.test(String(get('content-security-policy'))),
    'x-content-type-options': get('x-content-type-options'),
    'referrer-policy': get('referrer-policy'),
  };
}
export const PAGE_SECURITY_HEADERS = { 'x-frame-options': 'DENY', frameAncestors: true, 'x-content-type-options': 'nosniff', 'referrer-policy': 'no-referrer' };

/** A gateway with every optional part switched on, listening on a free port, for tests that reach every route. */
export interface Harness {
  app: FastifyInstance;
  db: Db;
  /** http://127.0.0.1:<port> (also the gateway's PUBLIC_BASE_URL). */
  baseUrl: string;
  fake: FakeIntervals;
  /** An athlete known to the fake Intervals.icu, with a token, runs and a profile. */
  athlete: SeededAthlete;
  close(): Promise<void>;
}

/**
 * OAuth (encryption key, loopback issuer), Intervals.icu connect (OAuth app on the fake), calendar
 * writes against the fake Intervals.icu, and an athlete with three runs, two profile revisions and a summary.
 */
export async function startHarness(label: string): Promise<Harness> {
  const tdb = await createTestDatabase(label);
  const q = openTestQueues(label);
  const fake = await startFakeIntervals({ oauth: { clientId: '31337', clientSecret: 'app-secret' } });
  const icu = generateAthlete({ seed: 71, weeks: 1 });
  fake.addAthlete(icu);
  const athlete = await seedAthlete(tdb.db, icu.athleteId, ['2026-03-01', '2026-03-02', '2026-03-03']);
  const key = Buffer.from(TEST_ENCRYPTION_KEY, 'base64');
  for (const about of ['first words', 'second words']) {
    await saveAthleteProfile(tdb.db, athlete.athleteId, { about, goals: [], rules: [], strategy: null }, { source: 'edit' });
  }
  // As the summary-worker would have stored it (the gateway only reads summaries).
  await storeAthleteSummary(tdb.db, athlete.athleteId, { document: { schema: 1, athlete: { name: icu.profile.name } }, contentHash: 'h', sizeChars: 40, buildMs: 1, reason: 'test' });
  const log = createLogger('api-gateway', 'silent');
  // The port is known only after listen: reserve one first, so the public address names it.
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const port = (probe.address() as AddressInfo).port;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  const baseUrl = `http://127.0.0.1:${port}`;
  const app = await buildApp({
    db: tdb.db,
    queues: q.queues,
    log,
    publicBaseUrl: baseUrl,
    encryptionKey: key,
    intervalsBaseUrl: fake.url,
    // These tests send thousands of requests with one token.
    rateLimit: { max: 1_000_000, loginMax: 1_000_000, authFailureMax: 1_000_000 },
    connect: {
      db: tdb.db,
      queues: q.queues,
      log,
      keys: parseKeyring(TEST_ENCRYPTION_KEY),
      stateKey: deriveStateKey(key),
      intervalsBaseUrl: fake.url,
      clientId: '31337',
      clientSecret: 'app-secret',
      redirectUri: `${baseUrl}/connect/intervals/callback`,
      backfillWeeks: 1,
    },
  });
  await app.listen({ host: '127.0.0.1', port });
  return {
    app,
    db: tdb.db,
    baseUrl,
    fake,
    athlete,
    close: async () => {
      await app.close();
      await fake.close();
      await q.close();
      await tdb.drop();
    },
  };
}
