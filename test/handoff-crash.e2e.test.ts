import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { sql } from 'kysely';
import { Redis } from 'ioredis';
import { createQueues, createRedis, type Queues } from '@splits/queue';
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

/**
 * A fetch-worker killed between committing a workout and queueing its classify job (DESIGN §3: work
 * that must follow a commit is durable with it). The commit is held with a table lock until Redis is
 * paused for writes, so the worker commits and then hangs in its add; then it is SIGKILLed. The job's
 * retry finds the revision stored and does nothing: only the outbox row written with the workout
 * gets it classified, summarised and announced, exactly once.
 */
let t: TestDatabase;
let world: Awaited<ReturnType<typeof startWorld>>;
let redis: Awaited<ReturnType<typeof startRedisServer>>;
let svc: RunningServices;
let fetchWorker: RunningServices | undefined;
let producer: Redis;
let queues: Queues;
const prefix = testQueuePrefix('handoff');
let env: Record<string, string>;

beforeAll(async () => {
  t = await createTestDatabase('handoff');
  world = await startWorld(t.db, { analysedAfterFetches: 0, seed: 17 });
  redis = await startRedisServer();
  producer = createRedis(redis.url);
  queues = createQueues(producer, prefix);
  env = { ...serviceEnv(world, { dbUrl: t.url, redisUrl: redis.url, prefix }), OUTBOX_RELAY_INTERVAL_MS: '300', OUTBOX_RELAY_MIN_AGE_MS: '1000' };
  svc = await startServices({ env, services: ['webhook-ingress', 'fetch-worker', 'classify-worker', 'summary-worker', 'telegram-worker'] });
}, 200_000);

afterAll(async () => {
  await fetchWorker?.stop();
  await svc?.stop();
  await queues?.close();
  await producer?.quit();
  await redis?.destroy();
  await world?.close();
  await t?.drop();
}, 60_000);

/** The fetch-worker's transaction waiting on the lock the test holds on `workout`. */
const fetchWorkerWaitsOnLock = async () =>
  (
    await sql<{ pid: number }>`select pid from pg_stat_activity
      where datname = ${t.name} and application_name = 'fetch-worker' and wait_event_type = 'Lock'`.execute(t.db)
  ).rows.length > 0;

describe('a worker killed between its commit and its next job', () => {
  it('the stored workout is still classified, summarised and announced exactly once', async () => {
    // The start-up poll imports recent history silently first; let it settle.
    await waitFor(
      async () => {
        const c = await t.db.selectFrom('intervals_connection').select('last_polled_at').where('athlete_id', '=', world.athleteId).executeTakeFirst();
        const busy = (await queues['fetch-activity'].count()) + (await queues.classify.count()) + (await queues['fetch-activity'].getActiveCount()) + (await queues.classify.getActiveCount());
        return Boolean(c?.last_polled_at) && busy === 0;
      },
      { timeoutMs: 60_000, what: 'the start-up poll to settle' },
    );
    const a = makeNewActivity(world.generated, { kind: 'threshold', at: new Date(Date.now() - 2 * 3_600_000) });
    world.intervals.addActivity(world.generated.athleteId, a, { analysedAfterFetches: 0 });
    const activityId = String(a.id);

    // Hold the fetch-worker just before its commit.
    const holder = new pg.Client({ connectionString: t.url });
    await holder.connect();
    const pauser = new Redis(redis.url, { maxRetriesPerRequest: 1 });
    try {
      await holder.query('begin');
      await holder.query('lock table workout in share row exclusive mode');
      const res = await fetch(`${svc.urls['webhook-ingress']}/webhooks/intervals`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(world.intervals.uploadedWebhook(WEBHOOK_SECRET, world.generated.athleteId, a)),
      });
      expect(res.status).toBe(200);
      await waitFor(fetchWorkerWaitsOnLock, { timeoutMs: 30_000, what: 'the fetch-worker to reach its commit' });

      // Redis stops taking writes; the worker commits, then hangs in the add of its classify job.
      await pauser.call('client', 'pause', '120000', 'WRITE');
      await holder.query('commit');
      await waitFor(() => t.db.selectFrom('workout').select('id').where('intervals_activity_id', '=', activityId).executeTakeFirst(), {
        timeoutMs: 10_000,
        what: 'the workout to be committed',
      });
      await svc.stop('fetch-worker', 'SIGKILL');
    } finally {
      await holder.query('rollback').catch(() => undefined);
      await holder.end();
      await pauser.call('client', 'unpause').catch(() => undefined);
      pauser.disconnect();
    }
    const w = await t.db.selectFrom('workout_record').select(['id', 'rev', 'session_type']).where('intervals_activity_id', '=', activityId).executeTakeFirstOrThrow();
    expect(w.session_type).toBe('Unclassified');
    expect(await queues.classify.getJob(`cls-${w.id}-${w.rev}`)).toBeUndefined();

    // A replacement worker takes over the killed one's job once its lock expires (BullMQ's stall check).
    fetchWorker = await startServices({ env, services: ['fetch-worker'] });
    const cards = () => world.telegram.sent.filter((m) => String(m.chat_id) === world.chatId && (m.text ?? m.caption ?? '').includes(String(a.activity.name)));
    await waitFor(() => cards().length > 0, { timeoutMs: 60_000, what: 'the card of the workout' });
    const row = await t.db.selectFrom('workout_classification').select(['session_type', 'classified_at']).where('workout_id', '=', w.id).executeTakeFirstOrThrow();
    expect(row.session_type).not.toBe('Unclassified');
    // Summarised: a build that started after the classification was stored.
    await waitFor(
      async () => {
        const s = await t.db.selectFrom('athlete_summary').select('built_at').where('athlete_id', '=', world.athleteId).executeTakeFirst();
        return s !== undefined && s.built_at.getTime() > row.classified_at.getTime();
      },
      { timeoutMs: 30_000, what: 'a summary built after the classification' },
    );

    // The killed job's own retry (after the stall check) finds the revision stored: still one card.
    await waitFor(async () => (await queues['fetch-activity'].getJob(`act-${world.athleteId}-${activityId}`)) === undefined, {
      timeoutMs: 90_000,
      what: 'the stalled fetch job to be retried and completed',
    });
    expect(cards()).toHaveLength(1);
    expect(await t.db.selectFrom('job_outbox').select('id').execute()).toEqual([]);
  }, 240_000);
});
