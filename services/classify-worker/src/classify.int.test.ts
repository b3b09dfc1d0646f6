import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { pino } from 'pino';
import type { Redis } from 'ioredis';
import { createAthlete, getWorkoutRow, parseEncryptionKey, upsertActivitySource, upsertWorkout } from '@splits/db';
import { createQueues, createRedis, queueNames, type Queues } from '@splits/queue';
import { normalizeActivity } from '@splits/training';
import {
  createTestDatabase,
  generateAthlete,
  makeNewActivity,
  startFakeLlm,
  TEST_ENCRYPTION_KEY,
  TEST_REDIS_URL,
  testQueuePrefix,
  type FakeLlm,
  type FakeActivity,
  type TestDatabase,
} from '@splits/testing';
import { processClassify } from './classify.processor.js';
import { createLlmClassifier } from './llm-classifier.js';

const log = pino({ level: 'silent' });
let t: TestDatabase;
let redis: Redis;
let queues: Queues;
let llm: FakeLlm;
let athleteId: string;
const athlete = generateAthlete({ seed: 31, intervalsAthleteId: 'i310031', weeks: 2, now: new Date('2026-11-20T12:00:00Z') });

async function store(a: FakeActivity) {
  const activity = { ...a.activity, icu_intervals: a.icu_intervals, icu_groups: a.icu_groups };
  await upsertActivitySource(t.db, { athleteId, intervalsActivityId: a.id, activity, intervals: null, streams: null, wellness: null });
  return upsertWorkout(t.db, athleteId, normalizeActivity({ activity: activity as never }));
}

beforeAll(async () => {
  t = await createTestDatabase('classify');
  redis = createRedis(TEST_REDIS_URL);
  queues = createQueues(redis, testQueuePrefix('classify'));
  llm = await startFakeLlm();
  ({ id: athleteId } = await createAthlete(t.db, parseEncryptionKey(TEST_ENCRYPTION_KEY), { intervalsAthleteId: athlete.athleteId, authKind: 'api_key', credential: 'k' }));
});
afterAll(async () => {
  for (const n of queueNames) await queues[n].obliterate({ force: true });
  await queues.close();
  await redis.quit();
  await llm.close();
  await t.drop();
});

describe('classify', () => {
  it('classifies a structured run from its laps, then asks for a summary and one notification', async () => {
    const w = await store(makeNewActivity(athlete, { kind: 'threshold', at: new Date('2026-11-20T07:00:00Z') }));
    const res = await processClassify({ workoutId: w.id, rev: w.rev, notify: true }, { db: t.db, queues, log, llm: null, llmBelowConfidence: 0.6 });
    expect(res).toMatchObject({ sessionType: 'Threshold', by: 'rules' });
    const row = await getWorkoutRow(t.db, w.id);
    expect(row!.session_type).toBe('Threshold');
    expect((row!.record as { sessionType: string }).sessionType).toBe('Threshold');
    expect(await queues['notify-telegram'].getJob(`ntf-${w.id}-new`)).toBeTruthy();
    expect(await queues['build-summary'].count()).toBeGreaterThanOrEqual(1);
  });

  it('keeps the sport as the session type for other sports and never calls the LLM for them', async () => {
    const w = await store(makeNewActivity(athlete, { kind: 'ride', at: new Date('2026-11-19T07:00:00Z') }));
    const llmCalls = llm.calls.length;
    const classifier = createLlmClassifier({ baseURL: llm.url, apiKey: 'k', model: 'm' });
    const res = await processClassify({ workoutId: w.id, rev: w.rev, notify: false }, { db: t.db, queues, log, llm: classifier, llmBelowConfidence: 1.01 });
    expect(res).toMatchObject({ sessionType: 'Ride' });
    expect(llm.calls.length).toBe(llmCalls);
    expect(await queues['notify-telegram'].getJob(`ntf-${w.id}-new`)).toBeUndefined();
  });

  it('lets the LLM decide an unsure run, and keeps the rules when the LLM is down', async () => {
    const w = await store(makeNewActivity(athlete, { kind: 'intervals', at: new Date('2026-11-18T07:00:00Z') }));
    const classifier = createLlmClassifier({ baseURL: llm.url, apiKey: 'k', model: 'm' });
    llm.setResponder(() => ({ sessionType: 'Repetition', reason: 'short fast reps' }));
    const viaLlm = await processClassify({ workoutId: w.id, rev: w.rev, notify: false }, { db: t.db, queues, log, llm: classifier, llmBelowConfidence: 1.01 });
    expect(viaLlm).toMatchObject({ sessionType: 'Repetition', by: 'llm' });
    llm.setResponder(null);

    llm.failNext(500, { times: 5 });
    const w2 = await store(makeNewActivity(athlete, { kind: 'intervals', at: new Date('2026-11-17T07:00:00Z') }));
    const viaRules = await processClassify({ workoutId: w2.id, rev: w2.rev, notify: false }, { db: t.db, queues, log, llm: classifier, llmBelowConfidence: 1.01 });
    expect(viaRules).toMatchObject({ by: 'rules' });
  });

  it('skips a stale revision', async () => {
    const a = makeNewActivity(athlete, { kind: 'easy', at: new Date('2026-11-16T07:00:00Z') });
    const first = await store(a);
    await store(a);
    expect(await processClassify({ workoutId: first.id, rev: first.rev, notify: true }, { db: t.db, queues, log, llm: null, llmBelowConfidence: 0.6 })).toEqual({ skipped: 'stale revision' });
  });
});
