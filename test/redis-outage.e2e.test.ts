import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { inboxCounts } from '@splits/db';
import {
  createTestDatabase,
  makeNewActivity,
  startRedisServer,
  startServices,
  testQueuePrefix,
  waitFor,
  type RunningServices,
  type TestDatabase,
} from '@splits/testing';
import { serviceEnv, startWorld, WEBHOOK_SECRET } from './helpers.js';

/** Redis goes away while webhooks arrive: every acknowledged event still becomes a workout and one message. */
let t: TestDatabase;
let world: Awaited<ReturnType<typeof startWorld>>;
let redis: Awaited<ReturnType<typeof startRedisServer>>;
let svc: RunningServices;

beforeAll(async () => {
  t = await createTestDatabase('outage');
  world = await startWorld(t.db, { analysedAfterFetches: 1, seed: 11 });
  redis = await startRedisServer();
  svc = await startServices({
    env: serviceEnv(world, { dbUrl: t.url, redisUrl: redis.url, prefix: testQueuePrefix('outage') }),
    services: ['webhook-ingress', 'fetch-worker', 'classify-worker', 'summary-worker', 'telegram-worker'],
  });
}, 200_000);

afterAll(async () => {
  await svc?.stop();
  await redis?.destroy();
  await world?.close();
  await t?.drop();
}, 60_000);

describe('Redis outage during ingest', () => {
  it('acknowledges webhooks from Postgres alone and delivers all of them once Redis is back', async () => {
    await redis.stop();
    const activities = [0, 1, 2, 3, 4].map((i) =>
      makeNewActivity(world.generated, { kind: i % 2 ? 'easy' : 'intervals', at: new Date(Date.now() - (i + 2) * 3_600_000) }),
    );
    for (const a of activities) {
      world.intervals.addActivity(world.generated.athleteId, a, { analysedAfterFetches: 1 });
      const res = await fetch(`${svc.urls['webhook-ingress']}/webhooks/intervals`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(world.intervals.uploadedWebhook(WEBHOOK_SECRET, world.generated.athleteId, a)),
      });
      expect(res.status).toBe(200);
    }
    // Acknowledged = stored in Postgres and waiting for the queue.
    expect(await inboxCounts(t.db)).toMatchObject({ accepted: activities.length, pending: activities.length });

    await redis.start();
    const ids = activities.map((a) => String(a.id));
    await waitFor(
      async () => {
        const rows = await t.db.selectFrom('workout').select('intervals_activity_id').where('intervals_activity_id', 'in', ids).execute();
        return rows.length === ids.length;
      },
      { timeoutMs: 45_000, what: 'every acknowledged activity to become a workout' },
    );
    await waitFor(() => world.telegram.sent.length === ids.length, {
      timeoutMs: 20_000,
      what: 'one message per workout',
    });
    expect(await inboxCounts(t.db)).toMatchObject({ queued: ids.length, pending: 0 });
  }, 90_000);
});
