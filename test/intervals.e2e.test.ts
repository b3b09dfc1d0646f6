import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { createAthlete, parseEncryptionKey } from '@splits/db';
import {
  createTestDatabase,
  dropQueuePrefix,
  generateAthlete,
  makeNewActivity,
  REPO_ROOT,
  startServices,
  TEST_ENCRYPTION_KEY,
  TEST_REDIS_URL,
  testQueuePrefix,
  waitFor,
  type RunningServices,
  type TestDatabase,
} from '@splits/testing';
import { serviceEnv, startWorld, WEBHOOK_SECRET } from './helpers.js';

/**
 * Intervals.icu at its worst: the fake answers 20% of requests with 5xx and 10% with 429, and two
 * fetch-worker processes share one rate limit kept in Redis. Every activity still ends up stored, and
 * the fake never sees more than 10 requests in any second. Then the operator's backfill, with its
 * progress, through the CLI against the same running services.
 */
let t: TestDatabase;
let world: Awaited<ReturnType<typeof startWorld>>;
let svc: RunningServices;
const prefix = testQueuePrefix('e2eicu');
const N = 24;

beforeAll(async () => {
  t = await createTestDatabase('e2eicu');
  world = await startWorld(t.db, { analysedAfterFetches: 0, seed: 11 });
  world.intervals.setFaults({ rate5xx: 0.2, rate429: 0.1, retryAfterSec: 1, seed: 7 });
  const env = { ...serviceEnv(world, { dbUrl: t.url, redisUrl: TEST_REDIS_URL, prefix }), FETCH_DELAY_MS: '0' };
  svc = await startServices({ env, services: ['webhook-ingress', 'fetch-worker'] });
  // A second fetch-worker process: the rate limit must hold across processes.
  const second = await startServices({ env: { ...env }, services: ['fetch-worker'] });
  const stopAll = svc.stop;
  svc.stop = async (name) => {
    await second.stop(name);
    await stopAll(name);
  };
}, 120_000);

afterAll(async () => {
  await svc?.stop();
  await world?.close();
  await t?.drop();
  await dropQueuePrefix(TEST_REDIS_URL, prefix);
}, 60_000);

describe('Intervals.icu faults and limits', () => {
  it('stores every activity despite 20% 5xx and 10% 429, never above 10 requests/s at the fake', async () => {
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
    const { maxPerSecond } = world.intervals.requestsPerSecond((r) => r.path.startsWith('/api/'));
    expect(maxPerSecond).toBeLessThanOrEqual(10);
    // Both processes did work (the limit was shared, not merely one process being slow).
    expect(svc.logs['fetch-worker'].join('\n')).toMatch(/stored workout/);
  }, 180_000);

  it('pnpm splits backfill imports the history with progress events (--json)', async () => {
    world.intervals.setFaults(null);
    const b = generateAthlete({ seed: 12, intervalsAthleteId: 'i700200', weeks: 10, now: new Date() });
    world.intervals.addAthlete(b, { apiKey: 'fake-key-7002' });
    const { id } = await createAthlete(t.db, parseEncryptionKey(TEST_ENCRYPTION_KEY), { intervalsAthleteId: b.athleteId, authKind: 'api_key', credential: 'fake-key-7002' });
    const { stdout } = await promisify(execFile)('node', ['--import', 'tsx', 'packages/cli/src/main.ts', 'backfill', id, '--weeks', '6', '--json'], {
      cwd: REPO_ROOT,
      env: { ...process.env, NODE_OPTIONS: '', DATABASE_URL: t.url, REDIS_URL: TEST_REDIS_URL, QUEUE_PREFIX: prefix, TOKEN_ENCRYPTION_KEY: TEST_ENCRYPTION_KEY },
      timeout: 120_000,
    });
    const lines = stdout.trim().split('\n').map((l) => JSON.parse(l) as { event: string; phase?: string; done?: number; total?: number });
    expect(lines[0]!.event).toBe('queued');
    expect(lines.some((l) => l.event === 'progress' && l.phase === 'activities')).toBe(true);
    const end = lines[lines.length - 1]!;
    expect(end).toMatchObject({ event: 'completed', phase: 'done' });
    const stored = await t.db.selectFrom('workout').select('id').where('athlete_id', '=', id).execute();
    // Everything listed was stored (the first poll may have imported some of it already: skipped, not doubled).
    expect(stored.length).toBe(end.total);
    expect(end.total).toBeGreaterThan(5);
  }, 150_000);
});
