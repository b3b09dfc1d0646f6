import { pino } from 'pino';
import type { Redis } from 'ioredis';
import type { Job, Worker } from 'bullmq';
import { createAthlete, parseEncryptionKey, setConnectionStatus, type IntervalsCredential } from '@splits/db';
import { createIntervalsClient } from '@splits/intervals';
import { createQueues, createRedis, createWorkers, queueNames, type QueueName, type Queues } from '@splits/queue';
import {
  createTestDatabase,
  dropQueuePrefix,
  startFakeIntervals,
  TEST_ENCRYPTION_KEY,
  TEST_REDIS_URL,
  testQueuePrefix,
  type FakeAthlete,
  type FakeIntervals,
  type TestDatabase,
} from '@splits/testing';
import { processBackfill } from './backfill.processor.js';
import type { FetchDeps } from './context.js';
import { processFetchActivity } from './fetch-activity.processor.js';
import { asJobError } from './job-errors.js';
import { processPollAthlete } from './poll.processor.js';
import { processSyncCalendar, processSyncSettings, processSyncWellness, processUpdateConnection } from './sync.processors.js';

/** The fetch-worker's processors on a real database, real Redis and the fake Intervals.icu (as main.ts wires them). */
export interface FetchHarness {
  t: TestDatabase;
  fake: FakeIntervals;
  queues: Queues;
  deps: FetchDeps;
  key: Buffer;
  addAthlete(athlete: FakeAthlete, opts?: { timezone?: string; authKind?: 'api_key' | 'oauth' }): Promise<string>;
  close(): Promise<void>;
}

export async function startFetchHarness(label: string, opts: { maxWaits?: () => number } = {}): Promise<FetchHarness> {
  const log = pino({ level: 'silent' });
  const key = parseEncryptionKey(TEST_ENCRYPTION_KEY);
  const prefix = testQueuePrefix(label);
  const t = await createTestDatabase(label);
  const fake = await startFakeIntervals();
  const producer: Redis = createRedis(TEST_REDIS_URL);
  const workerConn: Redis = createRedis(TEST_REDIS_URL);
  const queues = createQueues(producer, prefix);
  const deps: FetchDeps = {
    db: t.db,
    queues,
    log,
    encryptionKey: key,
    retryDelayMs: 50,
    get maxWaits() {
      return opts.maxWaits?.() ?? 3;
    },
    clientFor: (c: IntervalsCredential) =>
      // A short in-line Retry-After cap, so a 1 s Retry-After exercises the job re-delay path.
      createIntervalsClient({ baseUrl: fake.url, auth: { kind: c.authKind, secret: c.secret }, baseDelayMs: 10, maxRetryAfterMs: 200 }),
  };
  const wrap =
    (fn: (p: never, job: Job, token: string | undefined) => Promise<unknown>) =>
    (p: unknown, job: Job, token: string | undefined) =>
      fn(p as never, job, token).catch((err) =>
        asJobError(err, job, token, {
          onAuthRejected: (reason) => setConnectionStatus(t.db, (p as { athleteId: string }).athleteId, 'broken', reason),
        }),
      );
  const pollOpts = { lookbackDays: 3, reconcileDays: 7 };
  const names: QueueName[] = ['fetch-activity', 'sync-wellness', 'sync-calendar', 'sync-settings', 'update-connection', 'poll-athlete', 'backfill-athlete'];
  const workers: Worker[] = createWorkers(
    names,
    {
      'fetch-activity': wrap((p, job, token) => processFetchActivity(p, job, token, deps)),
      'sync-wellness': wrap((p) => processSyncWellness(p, deps)),
      'sync-calendar': wrap((p) => processSyncCalendar(p, deps)),
      'sync-settings': wrap((p) => processSyncSettings(p, deps)),
      'update-connection': wrap((p) => processUpdateConnection(p, deps)),
      'poll-athlete': wrap((p) => processPollAthlete(p, deps, pollOpts)),
      'backfill-athlete': wrap((p, job) => processBackfill(p, job, deps)),
    } as never,
    { connection: workerConn, prefix, log },
    { 'fetch-activity': { concurrency: 2 } },
  );
  let n = 0;
  return {
    t,
    fake,
    queues,
    deps,
    key,
    async addAthlete(athlete, o = {}) {
      const apiKey = `k-${label}-${++n}`;
      fake.addAthlete(athlete, o.authKind === 'oauth' ? { bearer: apiKey } : { apiKey });
      const { id } = await createAthlete(t.db, key, {
        intervalsAthleteId: athlete.athleteId,
        authKind: o.authKind ?? 'api_key',
        credential: apiKey,
        timezone: o.timezone,
      });
      return id;
    },
    async close() {
      await Promise.all(workers.map((w) => w.close()));
      for (const q of queueNames) await queues[q].obliterate({ force: true }).catch(() => undefined);
      await queues.close();
      await dropQueuePrefix(TEST_REDIS_URL, prefix);
      await producer.quit();
      await workerConn.quit();
      await fake.close();
      await t.drop();
    },
  };
}
