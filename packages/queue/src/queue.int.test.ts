import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { pino } from 'pino';
import type { Redis } from 'ioredis';
import { TEST_REDIS_URL, testQueuePrefix, waitFor } from '@splits/testing';
import { createQueues, createRedis, createWorkers, enqueue, queueCatalog, queueNames, type Queues } from './index.js';

const log = pino({ level: 'silent' });
let redis: Redis;
let queues: Queues;
const workerConnections: Redis[] = [];
const workerConn = () => {
  const c = createRedis(TEST_REDIS_URL);
  workerConnections.push(c);
  return c;
};
const prefix = testQueuePrefix('queue');

beforeAll(() => {
  redis = createRedis(TEST_REDIS_URL);
  queues = createQueues(redis, prefix);
});
afterAll(async () => {
  for (const n of queueNames) await queues[n].obliterate({ force: true });
  await queues.close();
  await Promise.all([redis, ...workerConnections].map((c) => c.quit()));
});

describe('queue catalog', () => {
  it('covers every queue of DESIGN §3 with a payload schema', () => {
    expect(queueNames.sort()).toEqual(
      ['backfill-athlete', 'build-summary', 'classify', 'fetch-activity', 'notify-telegram', 'poll-athlete', 'prune-retention', 'reminder-tick', 'send-reminder', 'sweep-reports', 'sync-calendar', 'sync-settings', 'sync-wellness', 'update-connection', 'write-report'].sort(),
    );
    for (const n of queueNames) expect(typeof queueCatalog[n].schema.parse).toBe('function');
  });

  it('refuses to start a worker for a queue without a handler', () => {
    expect(() => createWorkers(['classify', 'build-summary'], { classify: async () => 1 }, { connection: redis, prefix, log })).toThrow(
      /no handler registered for queue\(s\): build-summary/,
    );
  });

  it('rejects a payload that does not match the catalog before it reaches Redis', async () => {
    await expect(enqueue(queues, 'fetch-activity', { athleteId: '', intervalsActivityId: 'i1', reason: 'x' })).rejects.toThrow();
    expect(await queues['fetch-activity'].count()).toBe(0);
  });

  it('dedupes by deterministic job id while a job is pending', async () => {
    const p = { athleteId: 'ath_1', intervalsActivityId: 'i99', reason: 'ACTIVITY_UPLOADED' };
    const a = await enqueue(queues, 'fetch-activity', p, { delay: 60_000 });
    const b = await enqueue(queues, 'fetch-activity', p, { delay: 60_000 });
    expect(a).toBe('act-ath_1-i99');
    expect(b).toBe(a);
    expect(await queues['fetch-activity'].getDelayedCount()).toBe(1);
  });

  it('coalesces a burst of summary requests into one build and keeps one follow-up while it runs', async () => {
    let runs = 0;
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const [worker] = createWorkers(
      ['build-summary'],
      {
        'build-summary': async () => {
          runs++;
          if (runs === 1) await gate;
        },
      },
      { connection: workerConn(), prefix, log },
    );
    for (let i = 0; i < 5; i++) await enqueue(queues, 'build-summary', { athleteId: 'ath_s' }, { delay: 200 });
    await waitFor(() => runs === 1, { what: 'first build to start' });
    // While it runs, more events arrive: they must produce exactly one more build, not zero and not three.
    for (let i = 0; i < 3; i++) await enqueue(queues, 'build-summary', { athleteId: 'ath_s' }, { delay: 0 });
    release();
    await waitFor(() => runs === 2, { what: 'the follow-up build' });
    await waitFor(async () => (await queues['build-summary'].count()) === 0 && (await queues['build-summary'].getActiveCount()) === 0, {
      what: 'summary queue to drain',
    });
    expect(runs).toBe(2);
    await worker!.close();
  });

  it('a trailing debounce is pushed back by each request, but never past maxWaitMs after the first it coalesced', async () => {
    const q = queues['build-summary'];
    const { delayMs, maxWaitMs } = queueCatalog['build-summary'].debounce as { delayMs: number; maxWaitMs: number };
    const dueOf = async (athleteId: string) => {
      const id = await q.getDeduplicationJobId(`sum-${athleteId}`);
      return Math.floor(Number(await redis.zscore(`${prefix}:build-summary:delayed`, id!)) / 0x1000);
    };
    // A burst that started just now: each request pushes the build back by the full delay.
    await enqueue(queues, 'build-summary', { athleteId: 'ath_t' });
    const before = Date.now();
    await enqueue(queues, 'build-summary', { athleteId: 'ath_t' });
    expect(await dueOf('ath_t')).toBeGreaterThanOrEqual(before + delayMs);
    // A burst that has gone on for maxWaitMs - 1 s: the build stays due 1 s from now, not delayMs.
    const first = Date.now() - (maxWaitMs - 1_000);
    await enqueue(queues, 'build-summary', { athleteId: 'ath_w' }, { timestamp: first, delay: 20_000 });
    await enqueue(queues, 'build-summary', { athleteId: 'ath_w' });
    const due = await dueOf('ath_w');
    expect(due).toBeLessThanOrEqual(first + maxWaitMs + 50);
    expect(due).toBeLessThan(Date.now() + delayMs);
    await q.obliterate({ force: true });
  });

  it('fails a job with an invalid payload permanently instead of retrying it', async () => {
    let called = 0;
    const [worker] = createWorkers(['poll-athlete'], { 'poll-athlete': async () => void called++ }, { connection: workerConn(), prefix, log });
    await queues['poll-athlete'].add('poll-athlete', { nope: true }, { attempts: 5 });
    await waitFor(async () => (await queues['poll-athlete'].getFailedCount()) === 1, { what: 'permanent failure' });
    const [failed] = await queues['poll-athlete'].getFailed();
    expect(failed!.attemptsMade).toBe(1);
    expect(called).toBe(0);
    await worker!.close();
  });
});
