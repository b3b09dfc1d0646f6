import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { inboxDeliveryState } from '@splits/db';
import { startRedisServer, waitFor } from '@splits/testing';
import { startHarness, uploadedBody, type Harness } from './test-harness.js';
import { createWorkEnqueuer, type WorkEnqueuer } from './work-enqueuer.js';
import { startRelay } from './relay.js';

// A private redis-server that this file stops and starts; the machine's shared Redis is never touched.
let redisServer: Awaited<ReturnType<typeof startRedisServer>>;
let h: Harness;
let handOvers: Promise<void>[] = [];

beforeAll(async () => {
  redisServer = await startRedisServer();
  h = await startHarness('relay', { redisUrl: redisServer.url });
}, 60_000);
afterAll(async () => {
  await h?.close();
  await redisServer?.destroy();
});

/** The app's off-path hand-over, observed so the test can wait for its (failed) attempt. */
function observedEnqueuer(): WorkEnqueuer {
  const real = createWorkEnqueuer({ db: h.db, queues: h.queues, log: h.log }, { timeoutMs: 2_000 });
  return {
    add: (items) => {
      const p = real.add(items);
      handOvers.push(p);
      return p;
    },
    close: () => real.close(),
  };
}

const status = (activityId: string) => inboxDeliveryState(h.db, activityId);
/** Put a row back into the relay's work list (as if its hand-over had never happened). */
const makePending = async (dedupeKey: string, receivedAt = new Date()) => {
  const row = await h.db.selectFrom('webhook_inbox').select('id').where('dedupe_key', '=', dedupeKey).executeTakeFirstOrThrow();
  await h.db
    .insertInto('webhook_inbox_pending')
    .values({ inbox_id: row.id, received_at: receivedAt })
    .onConflict((oc) => oc.column('inbox_id').doUpdateSet({ received_at: receivedAt }))
    .execute();
};
const jobFor = (activityId: string) => h.queues['fetch-activity'].getJob(`act-${h.athleteId}-${activityId}`);

describe('Redis down', () => {
  it('still answers 200 with the event stored; the relay queues it once Redis is back', async () => {
    const app = await h.build({ enqueuer: observedEnqueuer() });
    await redisServer.stop();
    await waitFor(() => h.redis.status !== 'ready', { what: 'the client to notice' });

    const res = await app.inject({ method: 'POST', url: '/webhooks/intervals', payload: uploadedBody('i800001') });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ ok: true, received: 1, stored: 1 });
    await Promise.all(handOvers);
    expect(await status('i800001')).toBe('pending');
    const ready = await app.inject({ method: 'GET', url: '/ready' });
    expect(ready.statusCode).toBe(503);
    expect(ready.json().checks).toEqual({ postgres: 'ok', redis: 'down' });

    // A long interval: the pass that queues the row is the one triggered by the reconnect.
    const relay = startRelay({ db: h.db, queues: h.queues, log: h.log, redis: h.redis, intervalMs: 600_000, minAgeMs: 0, routing: { fetchDelayMs: 60_000 } });
    try {
      await redisServer.start();
      await waitFor(async () => (await status('i800001')) === 'queued', { timeoutMs: 20_000, what: 'the relay to queue the row' });
      const job = await jobFor('i800001');
      expect(job?.data).toMatchObject({ athleteId: h.athleteId, intervalsActivityId: 'i800001', reason: 'ACTIVITY_UPLOADED' });
    } finally {
      await relay.stop();
    }
  }, 60_000);

  it('leaves young rows to the request path and re-adding a queued job is harmless', async () => {
    await waitFor(() => h.redis.status === 'ready', { what: 'redis' });
    const relay = startRelay({ db: h.db, queues: h.queues, log: h.log, intervalMs: 600_000, minAgeMs: 60_000, routing: { fetchDelayMs: 60_000 } });
    try {
      // Stored but not handed over (as if the process died right after the answer).
      await h.db
        .insertInto('webhook_inbox')
        .values({ dedupe_key: 'manual-1', type: 'ACTIVITY_UPDATED', intervals_athlete_id: 'i317960', athlete_id: h.athleteId, activity_id: 'i800002', status: 'accepted', payload: JSON.stringify({}) })
        .execute();
      await makePending('manual-1');
      expect(await relay.runOnce()).toBe(0); // younger than minAgeMs
      await makePending('manual-1', new Date(Date.now() - 120_000));
      expect(await relay.runOnce()).toBe(1);
      expect(await status('i800002')).toBe('queued');
      // Put it back: a second relay add of the same jobId leaves one job.
      await makePending('manual-1', new Date(Date.now() - 120_000));
      expect(await relay.runOnce()).toBe(1);
      const jobs = await h.queues['fetch-activity'].getJobs(['delayed', 'waiting']);
      expect(jobs.filter((j) => j.data.intervalsActivityId === 'i800002')).toHaveLength(1);
    } finally {
      await relay.stop();
    }
  });

  it('a failing pass is logged and does not escape', async () => {
    await redisServer.stop();
    await waitFor(() => h.redis.status !== 'ready', { what: 'the client to notice' });
    await makePending('manual-1');
    const relay = startRelay({ db: h.db, queues: h.queues, log: h.log, intervalMs: 600_000, minAgeMs: 0, routing: { fetchDelayMs: 60_000 } });
    try {
      expect(await relay.runOnce()).toBe(0);
      expect(h.logLines.some((l) => l.includes('relay pass failed'))).toBe(true);
      expect(await status('i800002')).toBe('pending');
    } finally {
      await relay.stop();
      await redisServer.start();
    }
  }, 30_000);
});

describe('rows the queue catalog refuses', () => {
  it('are marked rejected with the reason and never block the rows behind them', async () => {
    await waitFor(() => h.redis.status === 'ready', { timeoutMs: 20_000, what: 'redis' });
    const insert = (key: string, activityId: string) =>
      h.db
        .insertInto('webhook_inbox')
        .values({ dedupe_key: key, type: 'ACTIVITY_UPDATED', intervals_athlete_id: 'i317960', athlete_id: h.athleteId, activity_id: activityId, status: 'accepted', payload: JSON.stringify({}) })
        .execute();
    const tooLong = `i${'8'.repeat(300)}`; // fails FetchActivityJobSchema (ids ≤ 200 characters)
    await insert('poison-1', tooLong);
    await insert('behind-1', 'i800101');
    const old = new Date(Date.now() - 120_000);
    await makePending('poison-1', old);
    await makePending('behind-1', old);
    // One row per batch: the poisoned row comes first, as it would at the head of the relay's list.
    const relay = startRelay({ db: h.db, queues: h.queues, log: h.log, intervalMs: 600_000, minAgeMs: 60_000, batchSize: 1, routing: { fetchDelayMs: 60_000 } });
    try {
      expect(await relay.runOnce()).toBe(1);
      expect(await status('i800101')).toBe('queued');
      expect(await jobFor('i800101')).toBeDefined();
      expect(await status(tooLong)).toBe('rejected');
      const row = await h.db.selectFrom('webhook_inbox').select(['status', 'status_reason']).where('dedupe_key', '=', 'poison-1').executeTakeFirstOrThrow();
      expect(row.status_reason).toMatch(/^fetch-activity payload refused by the queue catalog \(intervalsActivityId: .*\)$/);
      expect(await relay.runOnce()).toBe(0); // nothing left pending
    } finally {
      await relay.stop();
    }
  });
});
