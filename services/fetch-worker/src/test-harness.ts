import { pino } from 'pino';
import type { Redis } from 'ioredis';
import type { Worker } from 'bullmq';
import { createAthlete, parseEncryptionKey, type IntervalsCredential } from '@splits/db';
import { createIntervalsClient } from '@splits/intervals';
import { createQueues, createRedis, createWorkers, queueNames, type Queues } from '@splits/queue';
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
import type { FetchDeps } from './context.js';
import { fetchWorkerHandlers, FETCH_WORKER_QUEUES } from './handlers.js';

/** The fetch-worker's processors on a real database, real Redis and the fake Intervals.icu (as main.ts wires them). */
export interface Harness {
  t: TestDatabase;
  fake: FakeIntervals;
  queues: Queues;
  deps: FetchDeps;
  key: Buffer;
  addAthlete(athlete: FakeAthlete, opts?: { timezone?: string; authKind?: 'api_key' | 'oauth' }): Promise<string>;
  close(): Promise<void>;
}

export async function startHarness(label: string, opts: { maxWaits?: () => number; sweepMinAgeMs?: number } = {}): Promise<Harness> {
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
  const workers: Worker[] = createWorkers(
    FETCH_WORKER_QUEUES,
    fetchWorkerHandlers(deps, { poll: { lookbackDays: 3, reconcileDays: 7 }, sweep: { minAgeMs: opts.sweepMinAgeMs ?? 120_000 } }),
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
