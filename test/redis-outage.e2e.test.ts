import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { inboxCounts } from '@splits/db';
import { createQueues, createRedis, enqueue } from '@splits/queue';
import { startServices, type RunningServices } from '@splits/cli';
import {
  createTestDatabase,
  makeNewActivity,
  startRedisServer,
  testQueuePrefix,
  waitFor,
  type TestDatabase,
} from '@splits/testing';
import { serviceEnv, startWorld, WEBHOOK_SECRET } from './helpers.js';

/** Redis goes away while webhooks arrive: every acknowledged event still becomes a workout and one message. */
let t: TestDatabase;
let world: Awaited<ReturnType<typeof startWorld>>;
let redis: Awaited<ReturnType<typeof startRedisServer>>;
let svc: RunningServices;
let ingress: RunningServices | undefined;
const prefix = testQueuePrefix('outage');

beforeAll(async () => {
  t = await createTestDatabase('outage');
  world = await startWorld(t.db, { analysedAfterFetches: 1, seed: 11 });
  redis = await startRedisServer();
  svc = await startServices({
    env: serviceEnv(world, { dbUrl: t.url, redisUrl: redis.url, prefix }),
    services: ['webhook-ingress', 'fetch-worker', 'classify-worker', 'summary-worker', 'telegram-worker'],
  });
}, 200_000);

afterAll(async () => {
  await ingress?.stop();
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

    // The ingress goes down too, so a first poll of the connection (which imports history silently,
    // reason backfill) fetches these activities before their webhooks are relayed under the same job
    // ids, as a start-up poll running late on a loaded machine did (issue 20: cards lost, not late).
    await svc.stop('webhook-ingress');
    await redis.start();
    await t.db.updateTable('intervals_connection').set({ last_polled_at: null }).where('athlete_id', '=', world.athleteId).execute();
    const producer = createRedis(redis.url);
    const queues = createQueues(producer, prefix);
    await enqueue(queues, 'poll-athlete', { athleteId: world.athleteId });
    await queues.close();
    await producer.quit();
    const ids = activities.map((a) => String(a.id));
    await waitFor(
      async () => (await t.db.selectFrom('workout').select('id').where('intervals_activity_id', 'in', ids).execute()).length === ids.length,
      { timeoutMs: 45_000, what: 'the poll to import every activity' },
    );
    // The ingress comes back and its relay queues the acknowledged events it stored.
    ingress = await startServices({ env: serviceEnv(world, { dbUrl: t.url, redisUrl: redis.url, prefix }), services: ['webhook-ingress'] });
    await waitFor(async () => (await inboxCounts(t.db)).pending === 0, { timeoutMs: 30_000, what: 'the relay to queue every stored event' });
    // Every workout is stored and classification takes milliseconds; the cards then go to one chat at
    // most one per TELEGRAM_CHAT_INTERVAL_MS (1 s), so five need about 5 s. 30 s is that with a
    // loaded machine's margin: a card that is missing after it was lost, not late.
    await waitFor(() => world.telegram.sent.length >= ids.length, {
      timeoutMs: 30_000,
      what: 'one message per workout',
    }).catch(async (err) => {
      throw new Error(`${(err as Error).message}; ${await pipelineState(ids)}`);
    });
    expect(await inboxCounts(t.db)).toMatchObject({ accepted: ids.length, queued: ids.length, pending: 0 });
    // History the poll imported is not announced, and nothing is announced twice.
    expect(world.telegram.sent).toHaveLength(ids.length);
  }, 120_000);
});

/** What became of each workout's classify and notify jobs (for a failure message). */
async function pipelineState(ids: string[]): Promise<string> {
  const rows = await t.db.selectFrom('workout').select(['id', 'rev', 'intervals_activity_id']).where('intervals_activity_id', 'in', ids).execute();
  const producer = createRedis(redis.url);
  const queues = createQueues(producer, prefix);
  try {
    const parts = await Promise.all(
      rows.map(async (r) => {
        const c = await queues.classify.getJob(`cls-${r.id}-${r.rev}`);
        const n = await queues['notify-telegram'].getJob(`ntf-${r.id}-new`);
        const at = (ms?: number) => (ms ? new Date(ms).toISOString().slice(11, 23) : '-');
        return `${r.intervals_activity_id}: classify notify=${c?.data.notify} added ${at(c?.timestamp)} done ${at(c?.finishedOn)}; notify added ${at(n?.timestamp)} started ${at(n?.processedOn)} done ${at(n?.finishedOn)} ${n?.failedReason ?? ''}`;
      }),
    );
    return `${world.telegram.sent.length} sent; ${parts.join(' | ')}`;
  } finally {
    await queues.close();
    await producer.quit();
  }
}
