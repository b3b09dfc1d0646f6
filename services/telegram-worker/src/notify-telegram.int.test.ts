import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Bot } from 'grammy';
import { pino } from 'pino';
import type { Redis } from 'ioredis';
import type { Worker } from 'bullmq';
import { createAthlete, linkTelegram, parseEncryptionKey, upsertWorkout } from '@splits/db';
import { createQueues, createRedis, createWorkers, enqueue, queueNames, type Queues } from '@splits/queue';
import {
  createTestDatabase,
  runRecord,
  startFakeTelegram,
  TEST_ENCRYPTION_KEY,
  TEST_REDIS_URL,
  testQueuePrefix,
  waitFor,
  type FakeTelegram,
  type TestDatabase,
} from '@splits/testing';
import { processNotifyTelegram } from './notify-telegram.processor.js';

const log = pino({ level: 'silent' });
const prefix = testQueuePrefix('tg');
let t: TestDatabase;
let tg: FakeTelegram;
let producer: Redis;
let conn: Redis;
let queues: Queues;
let worker: Worker | undefined;
let athleteId: string;
let n = 0;

const newWorkout = async () => (await upsertWorkout(t.db, athleteId, runRecord(`i77${++n}`, '2026-11-20'))).id;
// Messages Telegram accepted (a 429'd call is not a message).
const sentFor = (workoutId: string) => tg.sent.filter((m) => JSON.stringify(m.reply_markup ?? null).includes(workoutId));

beforeAll(async () => {
  t = await createTestDatabase('tg');
  tg = await startFakeTelegram();
  ({ id: athleteId } = await createAthlete(t.db, parseEncryptionKey(TEST_ENCRYPTION_KEY), {
    intervalsAthleteId: 'i880088', authKind: 'api_key', credential: 'k', telegramChatId: '9001',
  }));
  producer = createRedis(TEST_REDIS_URL);
  conn = createRedis(TEST_REDIS_URL);
  queues = createQueues(producer, prefix);
  const bot = new Bot(tg.token, { client: { apiRoot: tg.url } });
  [worker] = createWorkers(['notify-telegram'], { 'notify-telegram': (p, job, token) => processNotifyTelegram(p, job, token, { db: t.db, api: bot.api, log }) }, { connection: conn, prefix, log });
});
afterAll(async () => {
  await worker?.close();
  for (const q of queueNames) await queues[q].obliterate({ force: true });
  await queues.close();
  await producer.quit();
  await conn.quit();
  await tg.close();
  await t.drop();
});

describe('notify-telegram', () => {
  it('sends one message with a Write report button and records its id', async () => {
    const id = await newWorkout();
    await enqueue(queues, 'notify-telegram', { workoutId: id, kind: 'new' });
    const [msg] = await waitFor(() => (sentFor(id).length ? sentFor(id) : null), { what: 'message' });
    const body = msg as unknown as { chat_id: number | string; text: string; reply_markup: { inline_keyboard: { text: string; callback_data: string }[][] } };
    expect(String(body.chat_id)).toBe('9001');
    expect(body.text).toContain('Morning threshold run');
    expect(body.reply_markup.inline_keyboard[0]![0]).toEqual({ text: 'Write report', callback_data: `report:${id}` });
    const marker = await waitFor(() => t.db.selectFrom('notification').selectAll().where('workout_id', '=', id).where('status', '=', 'sent').executeTakeFirst(), { what: 'sent marker' });
    expect(marker.telegram_message_id).toEqual(expect.any(String));
  });

  it('sends once even when the job runs again after completing', async () => {
    const id = await newWorkout();
    await enqueue(queues, 'notify-telegram', { workoutId: id, kind: 'new' });
    await waitFor(() => sentFor(id).length === 1, { what: 'first send' });
    // Same payload under a fresh job id: the processor itself must refuse the second send.
    await queues['notify-telegram'].add('notify-telegram', { workoutId: id, kind: 'new' }, { jobId: `again-${id}` });
    await waitFor(async () => (await queues['notify-telegram'].getJob(`again-${id}`))?.isCompleted(), { what: 'second run' });
    expect(sentFor(id)).toHaveLength(1);
  });

  it('waits out a 429 retry_after and then sends exactly once', async () => {
    const id = await newWorkout();
    tg.failNext('sendMessage', { status: 429, retryAfter: 1 });
    const t0 = Date.now();
    await enqueue(queues, 'notify-telegram', { workoutId: id, kind: 'new' });
    await waitFor(() => sentFor(id).length === 1, { what: 'send after 429' });
    expect(Date.now() - t0).toBeGreaterThanOrEqual(1000);
    const job = await queues['notify-telegram'].getJob(`ntf-${id}-new`);
    await waitFor(() => job!.isCompleted(), { what: 'completion' });
    expect(sentFor(id)).toHaveLength(1);
  });

  it('skips athletes without a linked chat and fails permanently when the bot is blocked', async () => {
    await t.db.deleteFrom('telegram_link').where('athlete_id', '=', athleteId).execute();
    const quiet = await newWorkout();
    await enqueue(queues, 'notify-telegram', { workoutId: quiet, kind: 'new' });
    const done = await waitFor(async () => {
      const j = await queues['notify-telegram'].getJob(`ntf-${quiet}-new`);
      return j && (await j.isCompleted()) ? j : null;
    }, { what: 'skip' });
    expect(done.returnvalue).toEqual({ skipped: 'no linked chat' });

    await linkTelegram(t.db, athleteId, '9002');
    tg.blockChat('9002');
    const blocked = await newWorkout();
    await enqueue(queues, 'notify-telegram', { workoutId: blocked, kind: 'new' });
    const failed = await waitFor(async () => {
      const j = await queues['notify-telegram'].getJob(`ntf-${blocked}-new`);
      return j && (await j.isFailed()) ? j : null;
    }, { what: 'permanent failure' });
    expect(failed.attemptsMade).toBe(1);
  });
});
