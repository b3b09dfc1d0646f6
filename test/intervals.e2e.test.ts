import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { createAthlete, parseEncryptionKey } from '@splits/db';
import { startServices, type RunningServices } from '@splits/cli';
import {
  createTestDatabase,
  dropQueuePrefix,
  generateAthlete,
  makeNewActivity,
  maxPerSecond,
  REPO_ROOT,
  startArrivalClock,
  TEST_ENCRYPTION_KEY,
  TEST_REDIS_URL,
  testQueuePrefix,
  waitFor,
  type TestDatabase,
} from '@splits/testing';
import { serviceEnv, startWorld, WEBHOOK_SECRET } from './helpers.js';

/**
 * Intervals.icu at its worst: the fake answers 20% of requests with 5xx and 10% with 429, and two
 * fetch-worker processes share one rate limit kept in Redis. Every activity still ends up stored, and
 * no more than 10 requests arrive in any second (stamped on arrival by an ArrivalClock in front of the
 * fake, as Intervals.icu would count them). Then the operator's backfill, with its progress, through
 * the CLI against the same running services.
 */
let t: TestDatabase;
let world: Awaited<ReturnType<typeof startWorld>>;
let clock: Awaited<ReturnType<typeof startArrivalClock>>;
let svc: RunningServices;
const prefix = testQueuePrefix('e2eicu');
const N = 24;

beforeAll(async () => {
  t = await createTestDatabase('e2eicu');
  world = await startWorld(t.db, { analysedAfterFetches: 0, seed: 11 });
  world.intervals.setFaults({ rate5xx: 0.2, rate429: 0.1, retryAfterSec: 1, seed: 7 });
  clock = await startArrivalClock(world.intervals.url);
  const env = {
    ...serviceEnv(world, { dbUrl: t.url, redisUrl: TEST_REDIS_URL, prefix }),
    INTERVALS_API_BASE_URL: clock.url,
    FETCH_DELAY_MS: '0',
    WELLNESS_DEBOUNCE_MS: '200',
    CALENDAR_DEBOUNCE_MS: '200',
  };
  svc = await startServices({ env, services: ['webhook-ingress', 'fetch-worker'] });
  // A second fetch-worker process: the rate limit must hold across processes.
  const second = await startServices({ env: { ...env }, services: ['fetch-worker'] });
  const stopAll = svc.stop;
  svc.stop = async (name) => {
    await second.stop(name);
    await stopAll(name);
  };
}, 200_000);

afterAll(async () => {
  await svc?.stop();
  await clock?.close();
  await world?.close();
  await t?.drop();
  await dropQueuePrefix(TEST_REDIS_URL, prefix);
}, 60_000);

describe('Intervals.icu faults and limits', () => {
  it('stores every activity despite 20% 5xx and 10% 429, never above 10 requests/s arriving at Intervals.icu', async () => {
    const activities = Array.from({ length: N }, (_, i) => makeNewActivity(world.generated, { kind: i % 2 ? 'easy' : 'intervals', at: new Date(Date.now() - (i + 1) * 3_600_000) }));
    for (const a of activities) world.intervals.addActivity(world.generated.athleteId, a, { analysedAfterFetches: 0 });
    const events = activities.map((a) => world.intervals.uploadedWebhook(WEBHOOK_SECRET, world.generated.athleteId, a).events[0]);
    const res = await fetch(`${svc.urls['webhook-ingress']}/webhooks/intervals`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ secret: WEBHOOK_SECRET, events }),
    });
    expect(res.status).toBe(200);

    const ids = activities.map((a) => a.id);
    await waitFor(
      async () => {
        const rows = await t.db.selectFrom('workout').select('intervals_activity_id').where('intervals_activity_id', 'in', ids).execute();
        return rows.length === N;
      },
      { what: `all ${N} activities stored`, timeoutMs: 150_000, intervalMs: 500 },
    );
    const api = world.intervals.requests.filter((r) => r.path.startsWith('/api/'));
    const faults = api.filter((r) => r.status >= 500 || r.status === 429);
    expect(faults.filter((r) => r.status === 429).length).toBeGreaterThan(0);
    expect(faults.filter((r) => r.status >= 500).length).toBeGreaterThan(0);
    const arrived = clock.arrivals().filter((a) => a.path.startsWith('/api/'));
    expect(arrived.length).toBeGreaterThanOrEqual(api.length);
    expect(maxPerSecond(arrived.map((a) => a.at))).toBeLessThanOrEqual(10);
    // Both processes did work (the limit was shared, not merely one process being slow).
    expect(svc.logs['fetch-worker'].join('\n')).toMatch(/stored workout/);
  }, 180_000);

  it('every event type, shaped like the reference captures, ends in its effect', async () => {
    world.intervals.setFaults(null);
    const ath = world.generated.athleteId;
    const post = async (events: unknown[]) => {
      const res = await fetch(`${svc.urls['webhook-ingress']}/webhooks/intervals`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ secret: WEBHOOK_SECRET, events }),
      });
      expect(res.status).toBe(200);
    };
    const today = new Date().toISOString().slice(0, 10);
    const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
    const future = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);
    const [planned] = await world.intervals.upsertEventsFor(ath, [{ category: 'WORKOUT', type: 'Run', start_date_local: `${today}T00:00:00`, name: 'Z2 Base Run', external_id: 'e2e-plan-1' }]);
    world.intervals.setSportSettings(ath, [{ id: 1, types: ['Run', 'TrailRun'], lthr: 166, max_hr: 190, threshold_pace: 3.9 }]);
    const victim = (await t.db.selectFrom('workout').select('intervals_activity_id').where('athlete_id', '=', world.athleteId).where('deleted_at', 'is', null).executeTakeFirstOrThrow()).intervals_activity_id;

    await post([
      // §1.6 B (trimmed) and a FITNESS_UPDATED projection reaching 30 days ahead.
      { athlete_id: ath, type: 'WELLNESS_UPDATED', timestamp: `${yesterday}T16:29:56.819+00:00`, records: [{ id: yesterday, ctl: 18.4, atl: 37.3, restingHR: 59, hrv: 46.0, sleepSecs: 22242 }] },
      { athlete_id: ath, type: 'FITNESS_UPDATED', timestamp: `${today}T06:37:42.000+00:00`, records: [{ id: future, ctl: 30.1, atl: 12.0 }] },
      // §1.6 D.
      { athlete_id: ath, type: 'CALENDAR_UPDATED', timestamp: `${today}T14:22:33.000+00:00`, events: [{ id: planned!.id, start_date_local: `${today}T00:00:00`, category: 'WORKOUT', type: 'Run', name: 'Z2 Base Run', external_id: 'e2e-plan-1' }], deleted_events: [104649801] },
      { athlete_id: ath, type: 'SPORT_SETTINGS_UPDATED', timestamp: `${today}T14:30:00.000+00:00`, sportSettings: [{ id: 1, types: ['Run'], lthr: 166 }] },
      // §1.5 ACTIVITY_DELETED stub.
      { athlete_id: ath, type: 'ACTIVITY_DELETED', timestamp: `${today}T14:31:00.000+00:00`, activity: { id: victim, commute: false, race: false, icu_athlete_id: ath, icu_lap_count: 0, source: 'GARMIN_CONNECT' } },
      { athlete_id: ath, type: 'CHAT_UPDATE', timestamp: `${today}T14:32:00.000+00:00` },
    ]);
    await waitFor(
      async () => {
        const w = await t.db.selectFrom('wellness_day').select('date').where('athlete_id', '=', world.athleteId).where('date', '=', yesterday).executeTakeFirst();
        const e = await t.db.selectFrom('planned_event').select('name').where('athlete_id', '=', world.athleteId).where('intervals_event_id', '=', String(planned!.id)).executeTakeFirst();
        const s = await t.db.selectFrom('sport_settings').select('data').where('athlete_id', '=', world.athleteId).executeTakeFirst();
        const d = await t.db.selectFrom('workout').select('deleted_at').where('intervals_activity_id', '=', victim).executeTakeFirst();
        return w && e?.name === 'Z2 Base Run' && (s?.data as { lthr?: number })?.lthr === 166 && d?.deleted_at;
      },
      { what: 'every event to take effect', timeoutMs: 60_000, intervalMs: 300 },
    );
    // §1.5 APP_SCOPE_CHANGED: the athlete revokes access.
    await post([{ athlete_id: ath, type: 'APP_SCOPE_CHANGED', timestamp: `${today}T14:40:00.000+00:00`, client_id: 315, client_name: 'Splits', scope: '', deauthorized: true }]);
    await waitFor(
      async () => (await t.db.selectFrom('intervals_connection').select('status').where('athlete_id', '=', world.athleteId).executeTakeFirst())?.status === 'revoked',
      { what: 'the connection to be revoked', timeoutMs: 30_000, intervalMs: 300 },
    );
    expect(await t.db.selectFrom('wellness_day').select('date').where('athlete_id', '=', world.athleteId).where('date', '=', future).executeTakeFirst()).toBeUndefined();
    const stored = await t.db.selectFrom('webhook_inbox').select(['type', 'status']).where('type', '=', 'CHAT_UPDATE').executeTakeFirstOrThrow();
    expect(stored.status).toBe('ignored');
    const conn = await t.db.selectFrom('intervals_connection').select(['credential_enc']).where('athlete_id', '=', world.athleteId).executeTakeFirstOrThrow();
    expect(conn.credential_enc).toBe('');
  }, 120_000);

  it('pnpm splits backfill imports 26 weeks of history with progress events (--json)', async () => {
    world.intervals.setFaults(null);
    const b = generateAthlete({ seed: 12, intervalsAthleteId: 'i700200', weeks: 27, now: new Date() });
    world.intervals.addAthlete(b, { apiKey: 'fake-key-7002' });
    const { id } = await createAthlete(t.db, parseEncryptionKey(TEST_ENCRYPTION_KEY), { intervalsAthleteId: b.athleteId, authKind: 'api_key', credential: 'fake-key-7002' });
    const { stdout } = await promisify(execFile)('node', ['--import', 'tsx', 'packages/cli/src/main.ts', 'backfill', id, '--weeks', '26', '--json'], {
      cwd: REPO_ROOT,
      env: { ...process.env, NODE_OPTIONS: '', DATABASE_URL: t.url, REDIS_URL: TEST_REDIS_URL, QUEUE_PREFIX: prefix, TOKEN_ENCRYPTION_KEY: TEST_ENCRYPTION_KEY },
      timeout: 200_000,
    });
    const lines = stdout.trim().split('\n').map((l) => JSON.parse(l) as { event: string; phase?: string; done?: number; total?: number });
    expect(lines[0]!.event).toBe('queued');
    expect(lines.some((l) => l.event === 'progress' && l.phase === 'activities')).toBe(true);
    const end = lines[lines.length - 1]!;
    expect(end).toMatchObject({ event: 'completed', phase: 'done' });
    const stored = await t.db.selectFrom('workout').select('id').where('athlete_id', '=', id).execute();
    // Everything listed was stored (the first poll may have imported some of it already: skipped, not doubled).
    expect(stored.length).toBe(end.total);
    // 26 weeks of a generated athlete: well over a hundred activities, every one stored.
    const expected = b.activities.filter((a) => a.activity.start_date_local.slice(0, 10) >= new Date(Date.now() - 26 * 7 * 86_400_000).toISOString().slice(0, 10)).length;
    expect(end.total).toBe(expected);
    expect(end.total).toBeGreaterThan(100);
    const wellness = await t.db.selectFrom('wellness_day').select('date').where('athlete_id', '=', id).execute();
    expect(wellness.length).toBeGreaterThanOrEqual(26 * 7 - 1);
  }, 240_000);
});
