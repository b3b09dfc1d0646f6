import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { pino } from 'pino';
import type { Redis } from 'ioredis';
import { createAthlete, getLlmClassification, recordConsent, insertInboxEvents, getWorkoutRow, parseEncryptionKey, replaceSportSettings, upsertActivitySource, upsertWorkout } from '@splits/db';
import { createQueues, createRedis, queueNames, relayOutbox, type Queues } from '@splits/queue';
import { sessionReasonOf } from '@splits/contracts';
import { normalizeActivity, renderReason } from '@splits/training';
import {
  closedQueues,
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
let backup: FakeLlm;
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
  backup = await startFakeLlm();
  ({ id: athleteId } = await createAthlete(t.db, parseEncryptionKey(TEST_ENCRYPTION_KEY), { intervalsAthleteId: athlete.athleteId, authKind: 'api_key', credential: 'k' }));
  // The LLM sees session data only with the athlete's consent; this athlete gave it (the test below withdraws it once).
  await recordConsent(t.db, { athleteId, kind: 'llm', granted: true, noticeVersion: 'test', source: 'test' });
});
afterAll(async () => {
  for (const n of queueNames) await queues[n].obliterate({ force: true });
  await queues.close();
  await redis.quit();
  await llm.close();
  await backup.close();
  await t.drop();
});

const classifier = (timeoutMs = 2000, withBackup = false) =>
  createLlmClassifier({
    providers: [{ baseURL: llm.url, apiKey: 'k', model: 'primary' }, ...(withBackup ? [{ baseURL: backup.url, apiKey: 'k', model: 'backup' }] : [])],
    timeoutMs,
  });
const deps = (over: Partial<Parameters<typeof processClassify>[1]> = {}) => ({ db: t.db, queues, log, llm: null, llmBelowConfidence: 0.6, ...over });
const record = async (id: string) => (await getWorkoutRow(t.db, id))!.record as Record<string, any>;
let day = 1;
const at = () => new Date(Date.UTC(2026, 9, day++, 7));

describe('classify', () => {
  it('classifies a structured run by rules and stores type, method, confidence, reason and main set', async () => {
    const p = athlete.profile;
    await replaceSportSettings(t.db, athleteId, [{ id: 1, types: ['Run'], lthr: p.lthr, max_hr: p.maxHr, hr_zones: p.hrZones, threshold_pace: p.thresholdPace }]);
    const w = await store(makeNewActivity(athlete, { kind: 'threshold', at: at() }));
    const res = await processClassify({ workoutId: w.id, rev: w.rev, notify: true }, deps());
    expect(res).toMatchObject({ sessionType: 'Threshold', by: 'rules' });
    const row = await getWorkoutRow(t.db, w.id);
    expect(row!.session_type).toBe('Threshold');
    const rec = await record(w.id);
    expect(rec.sessionType).toBe('Threshold');
    expect(rec.classification).toMatchObject({ method: 'rules' });
    expect(rec.classification.confidence).toBeGreaterThanOrEqual(0.6);
    expect(rec.classification.reason).toMatch(/threshold/i);
    // The same reason without words, and the English one is its rendering.
    const why = sessionReasonOf(rec.classification);
    expect(why).toMatchObject({ code: 'reps', params: { set: { reps: rec.mainSet.reps } } });
    expect(renderReason(why!, 'en')).toBe(rec.classification.reason);
    expect(renderReason(why!, 'ru')).toMatch(/порог/);
    expect(rec.mainSet).toMatchObject({ reps: expect.any(Number), pace: expect.stringMatching(/\/km$/) });
    // Every interval carries Splits' role, read from the intensity profile: the reps are work.
    const roles = (rec.intervals as Array<{ role?: string }>).map((i) => i.role);
    expect(roles.every((r) => ['warmup', 'work', 'recovery', 'cooldown', 'steady'].includes(r!))).toBe(true);
    expect(roles.filter((r) => r === 'work').length).toBe(rec.mainSet.reps);
    expect(await queues['notify-telegram'].getJob(`ntf-${w.id}-new`)).toBeTruthy();
    expect(await queues['build-summary'].count()).toBeGreaterThanOrEqual(1);
  });

  it('keeps the sport as the session type for other sports and never calls the LLM for them', async () => {
    const w = await store(makeNewActivity(athlete, { kind: 'ride', at: at() }));
    const llmCalls = llm.calls.length;
    const res = await processClassify({ workoutId: w.id, rev: w.rev, notify: false }, deps({ llm: classifier(), llmBelowConfidence: 1.01 }));
    expect(res).toMatchObject({ sessionType: 'Ride' });
    expect(llm.calls.length).toBe(llmCalls);
    expect(await queues['notify-telegram'].getJob(`ntf-${w.id}-new`)).toBeUndefined();
  });

  it('lets the LLM decide an unsure run from the lap structure, and caches the answer per revision', async () => {
    const w = await store(makeNewActivity(athlete, { kind: 'intervals', at: at() }));
    llm.setResponder(() => ({ sessionType: 'Repetition', confidence: 0.8, reason: 'short fast reps' }));
    const calls = llm.calls.length;
    const first = await processClassify({ workoutId: w.id, rev: w.rev, notify: false }, deps({ llm: classifier(), llmBelowConfidence: 1.01 }));
    expect(first).toMatchObject({ sessionType: 'Repetition', by: 'llm', confidence: 0.8 });
    expect(llm.calls.length).toBe(calls + 1);
    const sent = JSON.parse(llm.calls.at(-1)!.body.messages.at(-1)!.content as string);
    expect(sent.laps.length).toBeGreaterThan(3);
    expect(sent.laps[0]).toEqual(expect.objectContaining({ secs: expect.any(Number), role: expect.any(String) }));
    expect(llm.calls.at(-1)!.body.response_format).toMatchObject({ type: 'json_schema' });
    expect((await record(w.id)).classification).toMatchObject({ method: 'llm', confidence: 0.8, reason: 'short fast reps', reasonCode: 'llm', thresholdSource: 'settings', thresholdPace: '4:42/km', staleSettings: false });
    expect(await getLlmClassification(t.db, w.id, w.rev)).toMatchObject({ sessionType: 'Repetition', model: 'primary' });

    const again = await processClassify({ workoutId: w.id, rev: w.rev, notify: false }, deps({ llm: classifier(), llmBelowConfidence: 1.01 }));
    expect(again).toMatchObject({ sessionType: 'Repetition', by: 'llm' });
    expect(llm.calls.length).toBe(calls + 1);
    llm.setResponder(null);
  });

  it('keeps to the rules, sending nothing to the LLM, while the athlete has not allowed it', async () => {
    await recordConsent(t.db, { athleteId, kind: 'llm', granted: false, noticeVersion: 'test', source: 'test' });
    try {
      const w = await store(makeNewActivity(athlete, { kind: 'intervals', at: at() }));
      llm.setResponder(() => ({ sessionType: 'Repetition', confidence: 0.8, reason: 'short fast reps' }));
      const calls = llm.calls.length;
      const res = await processClassify({ workoutId: w.id, rev: w.rev, notify: false }, deps({ llm: classifier(), llmBelowConfidence: 1.01 }));
      expect(res).toMatchObject({ by: 'rules' });
      expect(llm.calls.length).toBe(calls);
      expect((await record(w.id)).classification).toMatchObject({ method: 'rules' });
    } finally {
      llm.setResponder(null);
      await recordConsent(t.db, { athleteId, kind: 'llm', granted: true, noticeVersion: 'test', source: 'test' });
    }
  });

  it('falls back to the second provider when the first answers 500', async () => {
    const w = await store(makeNewActivity(athlete, { kind: 'intervals', at: at() }));
    llm.failNext(500);
    backup.setResponder(() => ({ sessionType: 'Interval', confidence: 0.7, reason: '5 x 3 min above threshold' }));
    const res = await processClassify({ workoutId: w.id, rev: w.rev, notify: false }, deps({ llm: classifier(2000, true), llmBelowConfidence: 1.01 }));
    expect(res).toMatchObject({ sessionType: 'Interval', by: 'llm' });
    expect(await getLlmClassification(t.db, w.id, w.rev)).toMatchObject({ model: 'backup' });
    backup.setResponder(null);
  });

  it.each([
    ['is down (500)', () => llm.failNext(500, { times: 1 })],
    ['answers garbage', () => llm.garbageNext('certainly! the session was {probably easy')],
    ['answers outside the schema', () => llm.garbageNext(JSON.stringify({ sessionType: 'Tempo', confidence: 3 }))],
    ['hangs past the timeout', () => llm.hangNext(1)],
  ])('finishes with the rules at low confidence when the LLM %s', async (_what, arrange) => {
    const w = await store(makeNewActivity(athlete, { kind: 'intervals', at: at() }));
    const rulesOnly = await processClassify({ workoutId: w.id, rev: w.rev, notify: false }, deps());
    arrange();
    const started = Date.now();
    const res = await processClassify({ workoutId: w.id, rev: w.rev, notify: true }, deps({ llm: classifier(400), llmBelowConfidence: 1.01 }));
    expect(Date.now() - started).toBeLessThan(5000);
    expect(res).toMatchObject({ sessionType: (rulesOnly as { sessionType: string }).sessionType, by: 'rules' });
    expect((res as { confidence: number }).confidence).toBeLessThanOrEqual(0.3);
    expect((await record(w.id)).classification).toMatchObject({ method: 'rules' });
    expect(await getLlmClassification(t.db, w.id, w.rev)).toBeNull();
    expect(await queues['notify-telegram'].getJob(`ntf-${w.id}-new`)).toBeTruthy();
  });

  it('announces a silently imported workout when Intervals.icu sent its upload webhook, and only then', async () => {
    // A first poll (reason backfill, notify false) can fetch an activity before the upload webhook's
    // job, which then shares its job id: the webhook in the inbox is what says it is news.
    const quiet = await store(makeNewActivity(athlete, { kind: 'easy', at: at() }));
    await processClassify({ workoutId: quiet.id, rev: quiet.rev, notify: false }, deps());
    expect(await queues['notify-telegram'].getJob(`ntf-${quiet.id}-new`)).toBeUndefined();

    const a = makeNewActivity(athlete, { kind: 'easy', at: at() });
    const w = await store(a);
    // An edit of an activity is no announcement; the upload is.
    await insertInboxEvents(t.db, [{ dedupeKey: `upd-${a.id}`, type: 'ACTIVITY_UPDATED', intervalsAthleteId: athlete.athleteId, activityId: a.id, actionable: true, payload: {} }]);
    await processClassify({ workoutId: w.id, rev: w.rev, notify: false }, deps());
    expect(await queues['notify-telegram'].getJob(`ntf-${w.id}-new`)).toBeUndefined();
    await insertInboxEvents(t.db, [{ dedupeKey: `up-${a.id}`, type: 'ACTIVITY_UPLOADED', intervalsAthleteId: athlete.athleteId, activityId: a.id, actionable: true, payload: {} }]);
    await processClassify({ workoutId: w.id, rev: w.rev, notify: false }, deps());
    expect((await queues['notify-telegram'].getJob(`ntf-${w.id}-new`))?.data).toMatchObject({ workoutId: w.id, kind: 'new' });
  });

  it('a classification whose summary and card could not be queued after the commit gets both from the outbox, once', async () => {
    const closed = await closedQueues();
    const w = await store(makeNewActivity(athlete, { kind: 'easy', at: at() }));
    // Redis refuses the hand-on after the classification committed (as a process killed there would leave it).
    await expect(processClassify({ workoutId: w.id, rev: w.rev, notify: true }, deps({ queues: closed }))).rejects.toThrow(/closed/i);
    await closed.close();
    expect((await getWorkoutRow(t.db, w.id))!.session_type).toBe('Easy');
    const card = () => queues['notify-telegram'].getJob(`ntf-${w.id}-new`);
    expect(await card()).toBeUndefined();
    const staged = await t.db.selectFrom('job_outbox').select(['queue', 'payload']).orderBy('id').execute();
    expect(staged).toEqual([
      { queue: 'build-summary', payload: { athleteId, reason: 'workout' } },
      { queue: 'notify-telegram', payload: { workoutId: w.id, kind: 'new' } },
    ]);

    // Any worker's outbox relay hands them on; a second pass has nothing left.
    expect(await relayOutbox({ db: t.db, queues, log, minAgeMs: 0 })).toBe(2);
    expect((await card())?.data).toEqual({ workoutId: w.id, kind: 'new' });
    expect(await queues['build-summary'].getDeduplicationJobId(`sum-${athleteId}`)).toBeTruthy();
    expect(await relayOutbox({ db: t.db, queues, log, minAgeMs: 0 })).toBe(0);
  });

  it('skips a stale revision', async () => {
    const a = makeNewActivity(athlete, { kind: 'easy', at: at() });
    const first = await store(a);
    await store(a);
    expect(await processClassify({ workoutId: first.id, rev: first.rev, notify: true }, deps())).toEqual({ skipped: 'stale revision' });
  });
});
