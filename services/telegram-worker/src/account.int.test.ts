import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { pino } from 'pino';
import type { Redis } from 'ioredis';
import { createAthlete, currentConsents, parseEncryptionKey, upsertWorkout } from '@splits/db';
import { createQueues, createRedis, type Queues } from '@splits/queue';
import {
  createTestDatabase,
  dropQueuePrefix,
  runRecord,
  startFakeTelegram,
  TEST_ENCRYPTION_KEY,
  TEST_REDIS_URL,
  testQueuePrefix,
  waitFor,
  type FakeTelegram,
  type MultipartFile,
  type TestDatabase,
} from '@splits/testing';
import { startHarness } from './test-harness.js';

/** The athlete's own data from Telegram (issue 15): /export, /llm, /delete with its grace period, /help's privacy link. */
const log = pino({ level: 'silent' });
const prefix = testQueuePrefix('tgacct');
let t: TestDatabase;
let tg: FakeTelegram;
let producer: Redis;
let queues: Queues;
let stack: Awaited<ReturnType<typeof startHarness>>;
let n = 0;

async function linkedAthlete(chatId: number) {
  const { id } = await createAthlete(t.db, parseEncryptionKey(TEST_ENCRYPTION_KEY), { intervalsAthleteId: `i95${++n}`, authKind: 'api_key', credential: 'k', telegramChatId: String(chatId) });
  await upsertWorkout(t.db, id, { ...runRecord(`i95${n}01`, '2026-11-20'), userReport: null });
  return id;
}
const to = (chatId: number) => tg.sent.filter((m) => String(m.chat_id) === String(chatId));
const nextTo = (chatId: number, re: RegExp) =>
  waitFor(() => to(chatId).find((m) => re.test(m.text ?? m.caption ?? '') || m.edits.some((e) => re.test(e))), { what: String(re) });
const buttons = (chatId: number) => to(chatId).flatMap((m) => ((m.reply_markup as { inline_keyboard?: Array<Array<{ text?: string; callback_data?: string }>> })?.inline_keyboard ?? []).flat());
const exists = async (athleteId: string) => (await t.db.selectFrom('athlete').select('id').where('id', '=', athleteId).executeTakeFirst()) !== undefined;

beforeAll(async () => {
  t = await createTestDatabase('tgacct');
  tg = await startFakeTelegram();
  producer = createRedis(TEST_REDIS_URL);
  queues = createQueues(producer, prefix);
  stack = await startHarness({ db: t.db, queues, redisUrl: TEST_REDIS_URL, prefix, log, token: tg.token, apiRoot: tg.url, chatIntervalMs: 0, deleteGraceMs: 1_500 });
});
afterAll(async () => {
  await stack.close();
  await queues.close();
  await producer.quit();
  await dropQueuePrefix(TEST_REDIS_URL, prefix);
  await tg.close();
  await t.drop();
});

describe('Telegram: the athlete’s own data', () => {
  it('/export sends everything as one JSON file', async () => {
    const chat = 6101;
    const athleteId = await linkedAthlete(chat);
    tg.injectMessage(chat, '/export');
    const doc = await waitFor(() => to(chat).find((m) => m.method === 'sendDocument'), { what: 'the export document' });
    const file = doc.document as MultipartFile;
    expect(file.filename).toMatch(/^splits-export-\d{4}-\d{2}-\d{2}\.json$/);
    const body = JSON.parse(file.text!);
    expect(body).toMatchObject({ athleteId, tables: { athlete: [{ id: athleteId }], telegram_link: [{ chat_id: String(chat) }] } });
    expect(body.tables.workout).toHaveLength(1);
    expect(JSON.stringify(body.tables)).not.toContain('credential_enc');
  });

  it('/llm on and off record the consent; /help links the privacy notice', async () => {
    const chat = 6102;
    const athleteId = await linkedAthlete(chat);
    tg.injectMessage(chat, '/llm on');
    await nextTo(chat, /may go to the LLM provider/);
    expect((await currentConsents(t.db, athleteId)).llm).toMatchObject({ granted: true, source: 'telegram' });
    tg.injectMessage(chat, '/llm off');
    await nextTo(chat, /rules only/);
    expect((await currentConsents(t.db, athleteId)).llm?.granted).toBe(false);
    tg.injectMessage(chat, '/help');
    await nextTo(chat, /\/privacy/);
  });

  it('speaks the athlete\'s language: /llm, /delete and the answer after the deletion in Russian', async () => {
    const chat = 6104;
    const athleteId = await linkedAthlete(chat);
    tg.injectMessage(chat, '/language ru');
    await nextTo(chat, /Язык/);
    tg.injectMessage(chat, '/llm вкл');
    await nextTo(chat, /могут уходить языковой модели/);
    expect((await currentConsents(t.db, athleteId)).llm?.granted).toBe(true);
    tg.injectMessage(chat, '/delete');
    const ask = await nextTo(chat, /Удалить аккаунт Splits\?/);
    expect(buttons(chat).map((b) => b.text)).toEqual(['Удалить мой аккаунт', 'Отмена']);
    tg.injectCallback(chat, 'account:delete', ask.message_id);
    await nextTo(chat, /будет удалён через \d с/);
    // The athlete's row (and its language) is gone when the answer is written: the job carries it.
    const done = await nextTo(chat, /Аккаунт Splits удалён/);
    expect(done.text).toMatch(/Остаётся в Intervals\.icu/);
    expect(await exists(athleteId)).toBe(false);
  }, 30_000);

  it('/delete asks first, can be cancelled during the grace period, and then deletes and says what stays on Intervals.icu', async () => {
    const chat = 6103;
    const athleteId = await linkedAthlete(chat);
    tg.injectMessage(chat, '/delete');
    const ask = await nextTo(chat, /Delete your Splits account\?/);
    expect(buttons(chat).map((b) => b.callback_data)).toEqual(['account:delete', 'account:keep']);

    // Confirm, then keep: nothing is deleted, even after the grace period.
    tg.injectCallback(chat, 'account:delete', ask.message_id);
    await nextTo(chat, /will be deleted in 2 s|will be deleted in 1 s/);
    expect(await queues['erase-athlete'].getJob(`del-${athleteId}`)).toBeDefined();
    tg.injectCallback(chat, 'account:keep', ask.message_id);
    await nextTo(chat, /Nothing was deleted/);
    expect(await queues['erase-athlete'].getJob(`del-${athleteId}`)).toBeUndefined();
    expect(await exists(athleteId)).toBe(true);

    // Confirm again and wait it out.
    tg.injectCallback(chat, 'account:delete', ask.message_id);
    const done = await nextTo(chat, /Your Splits account is deleted/);
    expect(done.text).toMatch(/1 workouts/);
    expect(done.text).toMatch(/API key stays valid/);
    expect(done.text).toMatch(/Still on Intervals\.icu: the reports Splits wrote/);
    expect(await exists(athleteId)).toBe(false);
    // The chat is no longer linked.
    tg.injectMessage(chat, '/export');
    await nextTo(chat, /not linked/);
  }, 30_000);
});
