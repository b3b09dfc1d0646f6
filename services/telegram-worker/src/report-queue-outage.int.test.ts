import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import type { Redis } from 'ioredis';
import { createAthlete, parseEncryptionKey, saveTelegramPrompt, upsertWorkout } from '@splits/db';
import { createQueues, createRedis, relayOutbox, type Queues } from '@splits/queue';
import {
  closedQueues,
  createTestDatabase,
  dropQueuePrefix,
  runRecord,
  startFakeTelegram,
  TEST_ENCRYPTION_KEY,
  TEST_REDIS_URL,
  testQueuePrefix,
  waitFor,
  type FakeTelegram,
  type TestDatabase,
} from '@splits/testing';
import { startHarness } from './test-harness.js';

/**
 * The bot's report loop while Redis refuses jobs: the update itself arrives (polling, its lease and
 * the update dedupe work), the report is saved, and only the queueing fails.
 */
const logged: Array<Record<string, unknown>> = [];
const log = pino(
  { level: 'info' },
  new Writable({
    write(chunk, _enc, done) {
      for (const line of String(chunk).split('\n').filter(Boolean)) logged.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  }),
);
const prefix = testQueuePrefix('tgq');
let t: TestDatabase;
let tg: FakeTelegram;
let producer: Redis;
let queues: Queues;
let closed: Queues;
let stack: Awaited<ReturnType<typeof startHarness>>;

beforeAll(async () => {
  t = await createTestDatabase('tgq');
  tg = await startFakeTelegram();
  producer = createRedis(TEST_REDIS_URL);
  queues = createQueues(producer, prefix);
  closed = await closedQueues();
  stack = await startHarness({ db: t.db, queues: closed, redisUrl: TEST_REDIS_URL, prefix, log, token: tg.token, apiRoot: tg.url, workers: false });
});
afterAll(async () => {
  await stack?.close();
  await closed?.close();
  await queues?.close();
  await producer?.quit();
  await dropQueuePrefix(TEST_REDIS_URL, prefix);
  await tg?.close();
  await t?.drop();
});

describe('report while Redis refuses the write-back job', () => {
  it('answers "saved" (not "something went wrong"), keeps the report and its next steps in the outbox for the relay, and warns without secrets', async () => {
    const chatId = 6101;
    const { id: athleteId } = await createAthlete(t.db, parseEncryptionKey(TEST_ENCRYPTION_KEY), {
      intervalsAthleteId: 'i610001',
      authKind: 'api_key',
      credential: 'k-intervals-6101',
      telegramChatId: String(chatId),
    });
    const { id: workoutId } = await upsertWorkout(t.db, athleteId, { ...runRecord('i7761001', '2026-11-20'), userReport: null });
    // The ForceReply prompt the bot sent for this workout (message 900 in the chat).
    await saveTelegramPrompt(t.db, String(chatId), '900', workoutId);

    const report = 'Hill repeats: legs fine, breathing the limit on the last two.';
    const update = tg.injectMessage(chatId, report, { replyToMessageId: 900 });
    // Handled to the end (error handler included) once polling confirms the update's offset.
    await waitFor(() => tg.calls.some((c) => c.method === 'getUpdates' && Number(c.body.offset) > update.update_id), { what: 'the update to be handled' });
    expect(tg.sent.filter((m) => String(m.chat_id) === String(chatId)).map((m) => m.text)).toEqual(['Report saved. It goes to Intervals.icu within a few minutes.']);

    const rows = await t.db.selectFrom('workout_report').select(['id', 'revision', 'text', 'writeback_status']).where('workout_id', '=', workoutId).execute();
    expect(rows).toEqual([{ id: expect.any(String), revision: 1, text: report, writeback_status: 'pending' }]);
    const rec = await t.db.selectFrom('workout_record').select('record').where('id', '=', workoutId).executeTakeFirstOrThrow();
    expect((rec.record as { userReport: string }).userReport).toBe(report);
    // Nothing reached Redis: the write-back and the summary rebuild wait in the outbox, staged with the report.
    expect(await queues['write-report'].getJob(`rep-${rows[0]!.id}-1`)).toBeUndefined();
    expect(await queues['write-report'].count()).toBe(0);
    const outbox = () => t.db.selectFrom('job_outbox').select(['queue', 'payload', 'athlete_id']).orderBy('id').execute();
    expect(await outbox()).toEqual([
      { queue: 'write-report', payload: { reportId: rows[0]!.id, rev: 1 }, athlete_id: athleteId },
      { queue: 'build-summary', payload: { athleteId, reason: 'report' }, athlete_id: athleteId },
    ]);

    const warn = logged.find((l) => l.msg === 'report saved but queueing failed; the outbox relay catches up');
    expect(warn).toMatchObject({ level: 40, workoutId, reportId: rows[0]!.id, revision: 1, err: expect.stringMatching(/closed/i) });
    expect(logged.some((l) => l.level === 50)).toBe(false);
    const all = JSON.stringify(logged);
    for (const secret of [tg.token, 'k-intervals-6101', report]) expect(all).not.toContain(secret);

    // Redis answers again: a worker's outbox relay hands both on, once.
    expect(await relayOutbox({ db: t.db, queues, log, minAgeMs: 0 })).toBe(2);
    expect((await queues['write-report'].getJob(`rep-${rows[0]!.id}-1`))?.data).toEqual({ reportId: rows[0]!.id, rev: 1 });
    expect(await queues['build-summary'].getDeduplicationJobId(`sum-${athleteId}`)).toBeTruthy();
    expect(await outbox()).toEqual([]);
    expect(await relayOutbox({ db: t.db, queues, log, minAgeMs: 0 })).toBe(0);
  });
});
