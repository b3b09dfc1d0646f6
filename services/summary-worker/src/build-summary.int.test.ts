import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { pino } from 'pino';
import type { Redis } from 'ioredis';
import { sql } from 'kysely';
import { getAthleteSummary, getAthleteSummaryMeta } from '@splits/db';
import { createQueues, createRedis, createWorkers, queueCatalog, requestSummaryRebuild, type Queues, type SummaryRebuildReason } from '@splits/queue';
import type { AthleteSummaryDocument } from '@splits/training';
import { createTestDatabase, dropQueuePrefix, generateAthlete, seedSummaryAthlete, TEST_REDIS_URL, testQueuePrefix, waitFor, type TestDatabase } from '@splits/testing';
import { processBuildSummary } from './build-summary.processor.js';

const log = pino({ level: 'silent' });
const now = new Date('2026-11-20T12:00:00Z');
const athlete = generateAthlete({ seed: 41, intervalsAthleteId: 'i410041', weeks: 30, now });
const prefix = testQueuePrefix('summary');
let t: TestDatabase;
let athleteId: string;
let redis: Redis;
let workerRedis: Redis;
let queues: Queues;

beforeAll(async () => {
  t = await createTestDatabase('summary');
  athleteId = await seedSummaryAthlete(t.db, athlete, { profile: true });
  redis = createRedis(TEST_REDIS_URL);
  workerRedis = createRedis(TEST_REDIS_URL);
  queues = createQueues(redis, prefix);
}, 60_000);
afterAll(async () => {
  await queues.close();
  await Promise.all([redis.quit(), workerRedis.quit()]);
  await dropQueuePrefix(TEST_REDIS_URL, prefix);
  await t.drop();
});

const build = () => processBuildSummary({ athleteId, reason: 'manual' }, { db: t.db, log, now: () => now });

describe('build-summary', () => {
  it('builds every section for a generated athlete from what is stored', async () => {
    const res = await build();
    expect(res).toMatchObject({ status: 'built', version: 1 });
    const doc = (await getAthleteSummary(t.db, athleteId))!.document as unknown as AthleteSummaryDocument;
    expect(doc.athlete).toEqual({ name: athlete.profile.name, timezone: athlete.profile.timezone });
    expect(doc.profile).toMatchObject({ revision: 1, goals: [{ name: 'Berlin Marathon' }, { name: 'City 10K' }] });
    expect(doc.condition.source).toBe('wellness');
    expect(doc.condition.fitness).toBeGreaterThan(0);
    expect(doc.condition.rampRate).not.toBeNull();
    expect(doc.condition.missedKeySessions).toEqual([]); // the seeded runs match the past planned ones or they are not key
    expect(doc.recentTrainings).toHaveLength(30);
    expect(doc.history.weeks).toHaveLength(26);
    expect(doc.history.weeks.filter((w) => w.sessions > 0).length).toBeGreaterThan(20);
    expect(doc.history.months).toHaveLength(12);
    expect(doc.history.quarters).toHaveLength(8);
    expect(doc.history.sportMix.map((m) => m.sport)).toContain('Run');
    expect(doc.history.keySessions.length).toBe(10);
    expect(doc.running.vdot).toBeGreaterThan(30);
    expect(doc.running.paces).not.toBeNull();
    expect(doc.running.predictions).toHaveLength(6);
    expect(doc.paceJournal.length).toBeGreaterThan(0);
    expect(doc.wellness.hrv.avg7d).not.toBeNull();
    expect(doc.wellness.restingHr.baselineDays).toBeGreaterThan(30);
    expect(doc.next7Days.map((p) => p.name)).toEqual(['Easy run', 'Threshold 3x10 min', 'Easy run', 'Threshold 3x10 min']);
    const size = JSON.stringify(doc).length;
    expect(size).toBeLessThan(50_000);
    expect((await getAthleteSummaryMeta(t.db, athleteId))!.size_chars).toBe(size);
  });

  it('keeps the version when nothing changed, bumps it when a workout changes, and leaves deleted workouts out', async () => {
    const before = (await getAthleteSummaryMeta(t.db, athleteId))!;
    expect(await build()).toMatchObject({ version: before.version });
    const after = (await getAthleteSummaryMeta(t.db, athleteId))!;
    expect(after.build_count).toBe(before.build_count + 1);

    const newest = await t.db.selectFrom('workout').select('id').where('athlete_id', '=', athleteId).orderBy('start_date', 'desc').limit(1).executeTakeFirstOrThrow();
    await t.db.updateTable('workout').set({ deleted_at: new Date() }).where('id', '=', newest.id).execute();
    expect(await build()).toMatchObject({ version: before.version + 1 });
    const doc = (await getAthleteSummary(t.db, athleteId))!.document as unknown as AthleteSummaryDocument;
    expect(doc.recentTrainings.map((r) => r.id)).not.toContain(newest.id);
    await t.db.updateTable('workout').set({ deleted_at: null }).where('id', '=', newest.id).execute();
  });

  it('completes without a build for an athlete removed meanwhile', async () => {
    expect(await processBuildSummary({ athleteId: 'ath_gone' }, { db: t.db, log, now: () => now })).toEqual({ status: 'no_athlete' });
  });
});

describe('event-driven rebuild', () => {
  const buildCount = async () => (await getAthleteSummaryMeta(t.db, athleteId))?.build_count ?? 0;
  const idle = async () => (await queues['build-summary'].count()) === 0 && (await queues['build-summary'].getActiveCount()) === 0;

  it('rebuilds on each kind of event, and a 26-week backfill burst causes few builds', async () => {
    const [worker] = createWorkers(['build-summary'], { 'build-summary': (p) => processBuildSummary(p, { db: t.db, log, now: () => now }) }, { connection: workerRedis, prefix, log });
    try {
      const kinds: SummaryRebuildReason[] = ['workout', 'report', 'wellness', 'plan', 'profile'];
      for (const reason of kinds) {
        const before = await buildCount();
        await requestSummaryRebuild(queues, athleteId, reason);
        await waitFor(async () => (await buildCount()) === before + 1 && (await idle()), { what: `a build after a ${reason} event` });
        expect(await t.db.selectFrom('athlete_summary').select('last_reason').where('athlete_id', '=', athleteId).executeTakeFirst()).toEqual({ last_reason: reason });
      }

      // A 26-week backfill: every imported workout and wellness day asks for a rebuild, one after the other.
      const events = athlete.activities.filter((a) => Date.parse(a.activity.start_date) > now.getTime() - 26 * 7 * 86_400_000).length + 26 * 7;
      expect(events).toBeGreaterThan(300);
      const before = await buildCount();
      const burstStarted = Date.now();
      for (let i = 0; i < events; i++) await requestSummaryRebuild(queues, athleteId, i % 2 ? 'backfill' : 'wellness');
      const burstMs = Date.now() - burstStarted;
      await waitFor(async () => (await buildCount()) > before && (await idle()), { what: 'the burst to settle' });
      const builds = (await buildCount()) - before;
      log.info({ events, builds }, 'backfill burst');
      console.log(`26-week backfill burst: ${events} rebuild requests in ${burstMs} ms → ${builds} build(s)`);
      // One at the end, plus at most one per maxWaitMs while the burst lasts (a slow machine stretches it).
      const { maxWaitMs } = queueCatalog['build-summary'].debounce as { maxWaitMs: number };
      expect(builds).toBeLessThanOrEqual(2 + Math.floor(burstMs / maxWaitMs));
    } finally {
      await worker!.close();
    }
  }, 60_000);
});
