import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { pino } from 'pino';
import type { Redis } from 'ioredis';
import { TEST_REDIS_URL, testQueuePrefix, waitFor } from '@splits/testing';
import { createQueues, createRedis, createWorkers, enqueue, enqueueBulk, queueCatalog, queueNames, type Queues } from './index.js';

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
      ['backfill-athlete', 'build-summary', 'classify', 'erase-athlete', 'fetch-activity', 'notify-telegram', 'poll-athlete', 'prune-retention', 'recalibrate', 'reminder-tick', 'send-reminder', 'sweep-reports', 'sync-calendar', 'sync-pace-model', 'sync-settings', 'sync-wellness', 'update-connection', 'write-report'].sort(),
    );
    for (const n of queueNames) expect(typeof queueCatalog[n].schema.parse).toBe('function');
  });

  it('refuses to start a worker for a queue without a handler (a compile error, and refused at start when cast past it)', () => {
    // @ts-expect-error the handlers are typed complete for the names given: build-summary is missing
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

  it('a job that failed for good does not swallow a later add under its id: it is archived, still failed and replayable', async () => {
    const runs: string[] = [];
    const [worker] = createWorkers(
      ['classify'],
      {
        classify: async (_p, job) => {
          runs.push(job.id!);
          if (runs.length === 1) throw new Error('first run fails');
          return 'ok';
        },
      },
      { connection: workerConn(), prefix, log },
    );
    const p = { workoutId: 'trn_f1', rev: 1 };
    const q = queues.classify;
    await enqueue(queues, 'classify', p, { attempts: 1 });
    await waitFor(async () => (await q.getFailedCount()) === 1, { what: 'the first job to fail for good' });
    // A later request for the same revision (the outbox relay, a new event) must run, not meet the failure.
    expect(await enqueue(queues, 'classify', p)).toBe('cls-trn_f1-1');
    await waitFor(async () => (await q.getJob('cls-trn_f1-1'))?.isCompleted(), { what: 'the new job to run' });
    expect(runs).toEqual(['cls-trn_f1-1', 'cls-trn_f1-1']);
    const [archived] = await q.getFailed();
    expect(archived!.id).toMatch(/^cls-trn_f1-1-failed-\d+$/);
    expect(archived!.failedReason).toBe('first run fails');
    expect(archived!.data).toEqual({ ...p, notify: true });
    // Operators can still replay it (DESIGN §3).
    await archived!.retry('failed');
    await waitFor(() => runs.length === 3, { what: 'the replay' });
    expect(runs[2]).toBe(archived!.id);
    await worker!.close();
    await q.obliterate({ force: true });
  });

  it('two producers racing past a failed job leave exactly one new job (single and bulk adds)', async () => {
    const [worker] = createWorkers(['fetch-activity'], { 'fetch-activity': async () => Promise.reject(new Error('down')) }, { connection: workerConn(), prefix, log });
    const p = { athleteId: 'ath_r', intervalsActivityId: 'i7', reason: 'ACTIVITY_UPLOADED' };
    const q = queues['fetch-activity'];
    await enqueue(queues, 'fetch-activity', p, { attempts: 1, delay: 0 });
    await waitFor(async () => (await q.getFailedCount()) === 1, { what: 'the fetch to fail for good' });
    await worker!.close();
    await Promise.all([
      enqueue(queues, 'fetch-activity', { ...p, reason: 'ACTIVITY_UPDATED' }, { delay: 60_000 }),
      enqueueBulk(queues, 'fetch-activity', [{ payload: { ...p, reason: 'poll' }, opts: { delay: 60_000 } }]),
      enqueue(queues, 'fetch-activity', { ...p, reason: 'ACTIVITY_UPDATED' }, { delay: 60_000 }),
    ]);
    const mine = async (state: 'delayed' | 'failed') => (await q.getJobs([state])).map((j) => j.id!).filter((id) => id.startsWith('act-ath_r-i7'));
    expect(await mine('delayed')).toEqual(['act-ath_r-i7']);
    expect(await mine('failed')).toEqual([expect.stringMatching(/^act-ath_r-i7-failed-\d+$/)]);
    await q.obliterate({ force: true });
  });

  it('a backfill runs again right after one completed; a reminder that failed stays failed for its day', async () => {
    let backfills = 0;
    const [bf, rem] = createWorkers(
      ['backfill-athlete', 'send-reminder'],
      { 'backfill-athlete': async () => ++backfills, 'send-reminder': async () => Promise.reject(new Error('telegram down')) },
      { connection: workerConn(), prefix, log },
    );
    const b = { athleteId: 'ath_b', oldest: '2026-01-01' };
    await enqueue(queues, 'backfill-athlete', b);
    await waitFor(async () => (await queues['backfill-athlete'].getJob('bf-ath_b'))?.isCompleted(), { what: 'the first backfill' });
    await enqueue(queues, 'backfill-athlete', b);
    await waitFor(async () => backfills === 2 && (await queues['backfill-athlete'].getJob('bf-ath_b'))?.isCompleted(), { what: 'the reconnect backfill' });
    const completed = (await queues['backfill-athlete'].getCompleted()).map((j) => j.id!);
    expect(completed).toHaveLength(2);
    expect(completed).toContain('bf-ath_b');
    expect(completed.find((id) => id !== 'bf-ath_b')).toMatch(/^bf-ath_b-done-\d+$/);

    const r = { athleteId: 'ath_b', localDate: '2026-01-02' };
    await enqueue(queues, 'send-reminder', r, { attempts: 1 });
    await waitFor(async () => (await queues['send-reminder'].getFailedCount()) === 1, { what: 'the reminder to fail' });
    await enqueue(queues, 'send-reminder', r);
    expect(await queues['send-reminder'].getWaitingCount()).toBe(0);
    expect((await queues['send-reminder'].getFailed()).map((j) => j.id)).toEqual(['rem-ath_b-2026-01-02']);
    await Promise.all([bf!.close(), rem!.close()]);
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
