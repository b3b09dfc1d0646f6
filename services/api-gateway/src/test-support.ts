import { createApiToken, createAthlete, upsertWorkout, type Db } from '@splits/db';
import { createQueues, createRedis, type Queues } from '@splits/queue';
import { dropQueuePrefix, runRecord, TEST_ENCRYPTION_KEY, TEST_REDIS_URL, testQueuePrefix } from '@splits/testing';

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
