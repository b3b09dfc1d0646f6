import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { pino } from 'pino';
import type { Redis } from 'ioredis';
import type { Worker } from 'bullmq';
import { createAthlete, parseEncryptionKey, type IntervalsCredential } from '@splits/db';
import { createIntervalsClient } from '@splits/intervals';
import { createQueues, createRedis, createWorkers, enqueue, queueNames, type Queues } from '@splits/queue';
import {
  createTestDatabase,
  generateAthlete,
  makeNewActivity,
  startFakeIntervals,
  TEST_ENCRYPTION_KEY,
  TEST_REDIS_URL,
  testQueuePrefix,
  waitFor,
  type FakeIntervals,
  type TestDatabase,
} from '@splits/testing';
import { processFetchActivity } from './fetch-activity.processor.js';
import { asJobError } from './job-errors.js';

const log = pino({ level: 'silent' });
const key = parseEncryptionKey(TEST_ENCRYPTION_KEY);
const prefix = testQueuePrefix('fetch');
let t: TestDatabase;
let fake: FakeIntervals;
let producer: Redis;
let workerConn: Redis;
let queues: Queues;
let worker: Worker | undefined;
let athleteId: string;
const athlete = generateAthlete({ seed: 21, intervalsAthleteId: 'i210021', weeks: 4, now: new Date('2026-11-20T12:00:00Z') });
let maxWaits = 3;

beforeAll(async () => {
  t = await createTestDatabase('fetch');
  fake = await startFakeIntervals();
  fake.addAthlete(athlete, { apiKey: 'k-fetch-21' });
  ({ id: athleteId } = await createAthlete(t.db, key, { intervalsAthleteId: athlete.athleteId, authKind: 'api_key', credential: 'k-fetch-21' }));
  producer = createRedis(TEST_REDIS_URL);
  workerConn = createRedis(TEST_REDIS_URL);
  queues = createQueues(producer, prefix);
  const deps = {
    db: t.db,
    queues,
    log,
    encryptionKey: key,
    retryDelayMs: 50,
    get maxWaits() {
      return maxWaits;
    },
    readerFor: (c: IntervalsCredential) =>
      // A short in-line Retry-After cap, so a 1 s Retry-After exercises the job re-delay path.
      createIntervalsClient({ baseUrl: fake.url, auth: { kind: c.authKind, secret: c.secret }, baseDelayMs: 10, maxRetryAfterMs: 200 }),
  };
  [worker] = createWorkers(
    ['fetch-activity'],
    { 'fetch-activity': (p, job, token) => processFetchActivity(p, job, token, deps).catch((err) => asJobError(err, job, token)) },
    { connection: workerConn, prefix, log },
    { 'fetch-activity': { concurrency: 2 } },
  );
});

afterAll(async () => {
  await worker?.close();
  for (const n of queueNames) await queues[n].obliterate({ force: true });
  await queues.close();
  await producer.quit();
  await workerConn.quit();
  await fake.close();
  await t.drop();
});

const workoutOf = (activityId: string) =>
  t.db.selectFrom('workout').select(['id', 'rev', 'provisional', 'record']).where('intervals_activity_id', '=', activityId).executeTakeFirst();

describe('fetch-activity', () => {
  it('waits for the analysis, then stores source, record and wellness and hands it to classify', async () => {
    const a = makeNewActivity(athlete, { kind: 'threshold', at: new Date('2026-11-20T07:00:00Z') });
    fake.addActivity(athlete.athleteId, a, { analysedAfterFetches: 2 });
    await enqueue(queues, 'fetch-activity', { athleteId, intervalsActivityId: a.id, reason: 'ACTIVITY_UPLOADED' });
    const w = await waitFor(() => workoutOf(a.id), { what: 'workout row' });
    expect(fake.fetchCount(a.id)).toBe(3); // two unanalysed reads, re-delayed, then the analysed one
    expect(w.provisional).toBe(false);
    const rec = w.record as Record<string, number | null>;
    expect(rec.fitness).toEqual(expect.any(Number));
    expect(rec.fatigue).toEqual(expect.any(Number));
    const src = await t.db.selectFrom('activity_source').select(['activity', 'streams']).where('intervals_activity_id', '=', a.id).executeTakeFirstOrThrow();
    expect((src.activity as { id: string }).id).toBe(a.id);
    expect(Array.isArray(src.streams)).toBe(true);
    const cls = await queues.classify.getJob(`cls-${w.id}-${w.rev}`);
    expect(cls?.data).toMatchObject({ workoutId: w.id, rev: w.rev, notify: true });
  });

  it('stores the record as provisional when the analysis never arrives within the bound', async () => {
    maxWaits = 1;
    const a = makeNewActivity(athlete, { kind: 'easy', at: new Date('2026-11-19T07:00:00Z') });
    fake.addActivity(athlete.athleteId, a, { analysedAfterFetches: 50 });
    await enqueue(queues, 'fetch-activity', { athleteId, intervalsActivityId: a.id, reason: 'ACTIVITY_UPLOADED' });
    const w = await waitFor(() => workoutOf(a.id), { what: 'provisional workout' });
    maxWaits = 3;
    expect(w.provisional).toBe(true);
    expect((w.record as { fitness: unknown }).fitness).toBeNull();
    expect(fake.fetchCount(a.id)).toBe(2);
  });

  it('is safe to run twice: same workout id, next revision, one row', async () => {
    const a = makeNewActivity(athlete, { kind: 'intervals', at: new Date('2026-11-18T07:00:00Z') });
    fake.addActivity(athlete.athleteId, a, { analysedAfterFetches: 0 });
    await enqueue(queues, 'fetch-activity', { athleteId, intervalsActivityId: a.id, reason: 'ACTIVITY_UPLOADED' });
    const first = await waitFor(() => workoutOf(a.id), { what: 'first run' });
    await enqueue(queues, 'fetch-activity', { athleteId, intervalsActivityId: a.id, reason: 'ACTIVITY_UPDATED' });
    const second = await waitFor(async () => {
      const w = await workoutOf(a.id);
      return w && w.rev > first.rev ? w : null;
    }, { what: 'second run' });
    expect(second.id).toBe(first.id);
    const rows = await t.db.selectFrom('workout').select('id').where('intervals_activity_id', '=', a.id).execute();
    expect(rows).toHaveLength(1);
  });

  it('re-delays the job by a Retry-After longer than the client waits in-line, then completes', async () => {
    const a = makeNewActivity(athlete, { kind: 'easy', at: new Date('2026-11-17T07:00:00Z') });
    fake.addActivity(athlete.athleteId, a, { analysedAfterFetches: 0 });
    fake.failNext(new RegExp(`/activity/${a.id}$`), 429, { retryAfterSec: 1 });
    const t0 = Date.now();
    await enqueue(queues, 'fetch-activity', { athleteId, intervalsActivityId: a.id, reason: 'ACTIVITY_UPLOADED' });
    await waitFor(() => workoutOf(a.id), { what: 'workout after 429' });
    expect(Date.now() - t0).toBeGreaterThanOrEqual(1000);
    const statuses = fake.requests.filter((r) => r.path === `/api/v1/activity/${a.id}`).map((r) => r.status);
    expect(statuses.slice(0, 2)).toEqual([429, 200]);
  });

  it('fails permanently, without retries, when Intervals.icu says the activity does not exist', async () => {
    const jobId = await enqueue(queues, 'fetch-activity', { athleteId, intervalsActivityId: 'i999999999', reason: 'ACTIVITY_UPLOADED' });
    const job = await waitFor(async () => {
      const j = await queues['fetch-activity'].getJob(jobId);
      return j && (await j.isFailed()) ? j : null;
    }, { what: 'permanent failure' });
    expect(job.attemptsMade).toBe(1);
    expect(job.failedReason).not.toContain('k-fetch-21');
  });
});
