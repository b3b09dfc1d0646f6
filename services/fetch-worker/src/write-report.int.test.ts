import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { pino } from 'pino';
import type { Redis } from 'ioredis';
import { createAthlete, parseEncryptionKey, saveWorkoutReport, upsertWorkout, type Db } from '@splits/db';
import { createIntervalsClient } from '@splits/intervals';
import { createQueues, createRedis, relayOutbox, type Queues } from '@splits/queue';
import {
  closedQueues,
  createTestDatabase,
  dropQueuePrefix,
  generateAthlete,
  runRecord,
  startFakeIntervals,
  TEST_ENCRYPTION_KEY,
  TEST_REDIS_URL,
  testQueuePrefix,
  type FakeIntervals,
  type TestDatabase,
} from '@splits/testing';
import { REPORT_END, REPORT_START } from '@splits/training';
import { processWriteReport, type WriteReportDeps } from './write-report.processor.js';

const log = pino({ level: 'silent' });
const key = parseEncryptionKey(TEST_ENCRYPTION_KEY);
const prefix = testQueuePrefix('wrep');
const API_KEY = 'k-write-report-31';
let t: TestDatabase;
let fake: FakeIntervals;
let producer: Redis;
let queues: Queues;
let deps: WriteReportDeps;
let athleteId: string;
const athlete = generateAthlete({ seed: 31, intervalsAthleteId: 'i310031', weeks: 2, now: new Date('2026-11-20T12:00:00Z') });
const activityId = String(athlete.activities[0]!.id);
const job = { id: 'j', attemptsMade: 0, opts: { attempts: 8 }, moveToDelayed: async () => undefined };

const description = async () => {
  const res = await fetch(`${fake.url}/api/v1/activity/${activityId}`, { headers: { authorization: `Basic ${Buffer.from(`API_KEY:${API_KEY}`).toString('base64')}` } });
  return ((await res.json()) as { description: string | null }).description;
};
const setDescription = (d: string) =>
  fetch(`${fake.url}/api/v1/activity/${activityId}`, {
    method: 'PUT',
    headers: { authorization: `Basic ${Buffer.from(`API_KEY:${API_KEY}`).toString('base64')}`, 'content-type': 'application/json' },
    body: JSON.stringify({ description: d }),
  });
const report = (db: Db, workoutId: string, text: string) => db.transaction().execute((trx) => saveWorkoutReport(trx, { workoutId, text, source: 'telegram', sourceRef: null }));

beforeAll(async () => {
  t = await createTestDatabase('wrep');
  fake = await startFakeIntervals();
  fake.addAthlete(athlete, { apiKey: API_KEY });
  ({ id: athleteId } = await createAthlete(t.db, key, { intervalsAthleteId: athlete.athleteId, authKind: 'api_key', credential: API_KEY }));
  producer = createRedis(TEST_REDIS_URL);
  queues = createQueues(producer, prefix);
  deps = {
    db: t.db,
    queues,
    log,
    encryptionKey: key,
    writerFor: (cred) => createIntervalsClient({ baseUrl: fake.url, auth: { kind: cred.authKind, secret: cred.secret }, maxAttempts: 1 }),
  };
});
afterAll(async () => {
  await queues.close();
  await producer.quit();
  await dropQueuePrefix(TEST_REDIS_URL, prefix);
  await fake.close();
  await t.drop();
});

describe('write-report', () => {
  it('puts the report into a delimited section, keeps the athlete text, and a new revision replaces only the section', async () => {
    const { id: workoutId } = await upsertWorkout(t.db, athleteId, { ...runRecord(activityId, '2026-11-19'), userReport: null });
    await setDescription('Legs heavy from Sunday.');
    const r1 = (await report(t.db, workoutId, 'Felt strong, last rep hard.'))!;
    expect(await processWriteReport({ reportId: r1.id, rev: r1.revision }, job, undefined, deps)).toEqual({ written: true });
    expect(await description()).toBe(`Legs heavy from Sunday.\n\n${REPORT_START}\nFelt strong, last rep hard.\n${REPORT_END}`);

    const r2 = (await report(t.db, workoutId, 'Actually: hamstring tight after rep 3.'))!;
    expect(r2.revision).toBe(2);
    await processWriteReport({ reportId: r2.id, rev: 2 }, job, undefined, deps);
    const d = (await description())!;
    expect(d).toBe(`Legs heavy from Sunday.\n\n${REPORT_START}\nActually: hamstring tight after rep 3.\n${REPORT_END}`);
    expect(d.split(REPORT_START)).toHaveLength(2);

    // The older revision arriving late is superseded, not written over the newer one.
    expect(await processWriteReport({ reportId: r1.id, rev: 1 }, job, undefined, deps)).toEqual({ skipped: 'superseded by a newer revision' });
    expect(await description()).toBe(d);
    // Running the newest again changes nothing and PUTs nothing.
    const puts = fake.writes.length;
    await processWriteReport({ reportId: r2.id, rev: 2 }, job, undefined, deps);
    expect(fake.writes.length).toBe(puts);

    const rec = await t.db.selectFrom('workout_record').select('record').where('id', '=', workoutId).executeTakeFirstOrThrow();
    expect((rec.record as { userReport: string }).userReport).toBe('Actually: hamstring tight after rep 3.');
    const statuses = await t.db.selectFrom('workout_report').select(['revision', 'writeback_status']).where('workout_id', '=', workoutId).orderBy('revision').execute();
    expect(statuses).toEqual([{ revision: 1, writeback_status: 'superseded' }, { revision: 2, writeback_status: 'written' }]);
    expect(await queues['notify-telegram'].getJob(`ntf-${workoutId}-report-saved-2`)).toBeTruthy();

    // A re-fetch of the activity keeps the report in the record.
    await upsertWorkout(t.db, athleteId, { ...runRecord(activityId, '2026-11-19'), userReport: null });
    const again = await t.db.selectFrom('workout_record').select('record').where('id', '=', workoutId).executeTakeFirstOrThrow();
    expect((again.record as { userReport: string }).userReport).toBe('Actually: hamstring tight after rep 3.');
  });

  it('gives up at once on a permanent refusal, marks the revision failed and tells the athlete', async () => {
    const other = String(athlete.activities[1]!.id);
    const { id: workoutId } = await upsertWorkout(t.db, athleteId, { ...runRecord(other, '2026-11-18'), userReport: null });
    const r = (await report(t.db, workoutId, 'Easy jog.'))!;
    fake.failNext(new RegExp(`/activity/${other}$`), 403);
    await expect(processWriteReport({ reportId: r.id, rev: r.revision }, job, undefined, deps)).rejects.toThrow(/403/);
    const row = await t.db.selectFrom('workout_report').select(['writeback_status', 'writeback_error']).where('id', '=', r.id).executeTakeFirstOrThrow();
    expect(row.writeback_status).toBe('failed');
    expect(await queues['notify-telegram'].getJob(`ntf-${workoutId}-report-failed-1`)).toBeTruthy();
  });

  it('a write-back whose Telegram answer could not be queued after the commit still sends it: the outbox relay queues it', async () => {
    const other = String(athlete.activities[2]!.id);
    const { id: workoutId } = await upsertWorkout(t.db, athleteId, { ...runRecord(other, '2026-11-17'), userReport: null });
    const r = (await report(t.db, workoutId, 'Tempo felt controlled.'))!;
    const closed = await closedQueues();
    await expect(processWriteReport({ reportId: r.id, rev: r.revision }, job, undefined, { ...deps, queues: closed })).rejects.toThrow(/closed/i);
    await closed.close();
    const row = await t.db.selectFrom('workout_report').select('writeback_status').where('id', '=', r.id).executeTakeFirstOrThrow();
    expect(row.writeback_status).toBe('written');
    const answer = () => queues['notify-telegram'].getJob(`ntf-${workoutId}-report-saved-1`);
    expect(await answer()).toBeUndefined();
    expect(await relayOutbox({ db: t.db, queues, log, minAgeMs: 0 })).toBe(1);
    expect((await answer())?.data).toEqual({ workoutId, kind: 'report-saved', rev: 1 });
  });
});
