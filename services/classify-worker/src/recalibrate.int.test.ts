import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { pino } from 'pino';
import type { Redis } from 'ioredis';
import type { IntervalsActivity } from '@splits/contracts';
import { createAthlete, getWorkoutRow, parseEncryptionKey, replaceSportSettings, upsertActivitySource, upsertWorkout } from '@splits/db';
import { createQueues, createRedis, queueNames, type Queues } from '@splits/queue';
import { normalizeActivity } from '@splits/training';
import { generateEvalSet, rng, shuffle, withSettings } from '@splits/training/eval';
import { createTestDatabase, TEST_ENCRYPTION_KEY, TEST_REDIS_URL, testQueuePrefix, type TestDatabase } from '@splits/testing';
import { processClassify } from './classify.processor.js';
import { processRecalibrate } from './recalibrate.processor.js';

const log = pino({ level: 'silent' });
let t: TestDatabase;
let redis: Redis;
let queues: Queues;

beforeAll(async () => {
  t = await createTestDatabase('recalibrate');
  redis = createRedis(TEST_REDIS_URL);
  queues = createQueues(redis, testQueuePrefix('recalibrate'));
});
afterAll(async () => {
  for (const n of queueNames) await queues[n].obliterate({ force: true });
  await queues.close();
  await redis.quit();
  await t.drop();
});

const deps = () => ({ db: t.db, queues, log, llm: null, llmBelowConfidence: 0 });

/** Stores and classifies one arrival, as fetch-activity and the classify worker would. */
async function arrive(athleteId: string, activity: IntervalsActivity) {
  await upsertActivitySource(t.db, { athleteId, intervalsActivityId: activity.id, activity, intervals: null, streams: null, wellness: null });
  const w = await upsertWorkout(t.db, athleteId, normalizeActivity({ activity }));
  await processClassify({ workoutId: w.id, rev: w.rev, notify: false }, deps());
  return w.id;
}

/** Runs what the recalibration queued (and what that queues) until nothing is left. */
async function drain(athleteId: string) {
  let passes = 0;
  for (;;) {
    const recal = await queues.recalibrate.getJobs(['waiting', 'delayed', 'prioritized']);
    const classify = await queues.classify.getJobs(['waiting', 'delayed', 'prioritized']);
    if (!recal.length && !classify.length) return passes;
    for (const j of recal) {
      await j.remove();
      await processRecalibrate(j.data, deps());
    }
    for (const j of classify) {
      await j.remove();
      if (j.data.inputs) passes++;
      await processClassify(j.data, deps());
    }
    if (athleteId && passes > 500) throw new Error('recalibration does not settle');
  }
}

describe('recalibrate', () => {
  // One generated athlete with 90 days of running and settings 5 % slower than they are.
  const c = withSettings(generateEvalSet(2026).find((x) => x.historyActivities.length >= 30 && x.history.some((h) => h.sessionType === 'Race'))!, -0.05);
  const activities = [...c.historyActivities.slice(0, 30), c.activity]; // the newest 30 runs before the case
  const settings = [{ id: 1, types: ['Run'], lthr: c.settings!.lthr, max_hr: c.settings!.maxHr, hr_zones: c.settings!.hrZones, threshold_pace: c.settings!.thresholdPaceMps }];

  it('ends with the same labels whatever order the activities arrived in, classifying again only what moved', async () => {
    const labels: Array<Map<string, string>> = [];
    const reclassified: number[] = [];
    const orders = [
      [...activities].sort((a, b) => Date.parse(a.start_date!) - Date.parse(b.start_date!)),
      [...activities].sort((a, b) => Date.parse(b.start_date!) - Date.parse(a.start_date!)),
      shuffle(activities, rng(11)),
    ];
    for (const [k, order] of orders.entries()) {
      const { id } = await createAthlete(t.db, parseEncryptionKey(TEST_ENCRYPTION_KEY), { intervalsAthleteId: `i77${k}`, authKind: 'api_key', credential: 'k' });
      await replaceSportSettings(t.db, id, settings);
      const ids = new Map<string, string>();
      for (const a of order) ids.set(a.id, await arrive(id, a));
      reclassified.push(await drain(id));
      const m = new Map<string, string>();
      for (const [activityId, workoutId] of ids) m.set(activityId, (await getWorkoutRow(t.db, workoutId))!.session_type);
      labels.push(m);
    }
    // In date order nothing arrives late: no run is classified twice. Newest first, later runs must be.
    expect(reclassified[0]).toBe(0);
    expect(reclassified[1]).toBeGreaterThan(0);
    const sorted = (m: Map<string, string>) => [...m].sort((a, b) => a[0].localeCompare(b[0]));
    expect(sorted(labels[1]!)).toEqual(sorted(labels[0]!));
    expect(sorted(labels[2]!)).toEqual(sorted(labels[0]!));
    // And the case itself is judged against the athlete's own running, not the stale settings.
    const row = (await getWorkoutRow(t.db, [...(await t.db.selectFrom('workout').select('id').where('intervals_activity_id', '=', c.activity.id).execute())][0]!.id))!;
    expect(row.session_type).toBe(c.label);
    expect((row.record as { classification: { thresholdSource: string } }).classification.thresholdSource).not.toBe('settings');
  }, 120_000);

  it('without sport settings (the activities\' own stamps stand in) reads the inputs classify stored: a settled athlete has nothing to reclassify', async () => {
    const stamped = activities.filter((a) => a.threshold_pace != null).length;
    expect(stamped).toBeGreaterThan(0); // the walk reads stamps, not only empty ones
    const labels: Array<Map<string, string>> = [];
    const reclassified: number[] = [];
    const orders = [[...activities].sort((a, b) => Date.parse(a.start_date!) - Date.parse(b.start_date!)), [...activities].sort((a, b) => Date.parse(b.start_date!) - Date.parse(a.start_date!))];
    for (const [k, order] of orders.entries()) {
      const { id } = await createAthlete(t.db, parseEncryptionKey(TEST_ENCRYPTION_KEY), { intervalsAthleteId: `i78${k}`, authKind: 'api_key', credential: 'k' });
      const ids = new Map<string, string>();
      for (const a of order) ids.set(a.id, await arrive(id, a));
      reclassified.push(await drain(id));
      // Settled: walking again finds every run classified with exactly the inputs it would read now.
      expect((await processRecalibrate({ athleteId: id }, deps())).reclassify).toBe(0);
      const m = new Map<string, string>();
      for (const [activityId, workoutId] of ids) m.set(activityId, (await getWorkoutRow(t.db, workoutId))!.session_type);
      labels.push(m);
    }
    expect(reclassified[0]).toBe(0);
    const sorted = (m: Map<string, string>) => [...m].sort((a, b) => a[0].localeCompare(b[0]));
    expect(sorted(labels[1]!)).toEqual(sorted(labels[0]!));
  }, 120_000);
});
