import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { pino } from 'pino';
import type { Redis } from 'ioredis';
import {
  createAthlete,
  createTelegramLinkCode,
  findAthleteIdByToken,
  linkTelegram,
  parseEncryptionKey,
  getWorkoutRow,
  setClassification,
  upsertPlannedEvents,
  upsertWorkout,
} from '@splits/db';
import { createQueues, createRedis, enqueue, type Queues } from '@splits/queue';
import { RUN_SESSION_TYPES, WorkoutRecordSchema, type SessionReason } from '@splits/contracts';
import { BOT_COMMANDS, renderReason } from '@splits/training';
import {
  createTestDatabase,
  dropQueuePrefix,
  englishWordsIn,
  runRecord,
  startFakeTelegram,
  TEST_ENCRYPTION_KEY,
  TEST_REDIS_URL,
  testQueuePrefix,
  waitFor,
  type FakeTelegram,
  type TelegramSentMessage,
  type TelegramUpdate,
  type TestDatabase,
} from '@splits/testing';
import { createRateLimiter } from './rate-limit.js';
import { processReminderTick } from './reminder.processor.js';
import { prepareCard } from './card.js';
import { startHarness } from './test-harness.js';

const log = pino({ level: 'silent' });
const key = parseEncryptionKey(TEST_ENCRYPTION_KEY);
const prefix = testQueuePrefix('tg');
let t: TestDatabase;
let tg: FakeTelegram;
let producer: Redis;
let queues: Queues;
let stack: Awaited<ReturnType<typeof startHarness>>;
let n = 0;

const athlete = async (opts: { chatId?: string; timezone?: string } = {}) =>
  (await createAthlete(t.db, key, { intervalsAthleteId: `i9${++n}`, authKind: 'api_key', credential: 'k', telegramChatId: opts.chatId ?? null, timezone: opts.timezone })).id;
const workout = async (athleteId: string, extra: Partial<ReturnType<typeof runRecord>> = {}) =>
  (await upsertWorkout(t.db, athleteId, { ...runRecord(`i77${++n}`, '2026-11-20'), userReport: null, ...extra })).id;
const to = (chatId: number | string) => tg.sent.filter((m) => String(m.chat_id) === String(chatId));
const textOf = (m: TelegramSentMessage) => m.text ?? m.caption ?? '';
/** Waits for the next message to `chatId` whose text matches. */
const nextTo = (chatId: number | string, re: RegExp, what = String(re)) => waitFor(() => to(chatId).find((m) => re.test(textOf(m))), { what });
const languageOf = async (athleteId: string) => (await t.db.selectFrom('athlete').select('language').where('id', '=', athleteId).executeTakeFirstOrThrow()).language;
const cardsFor = (workoutId: string) => tg.sent.filter((m) => JSON.stringify(m.reply_markup ?? null).includes(`report:${workoutId}`));

beforeAll(async () => {
  t = await createTestDatabase('tg');
  tg = await startFakeTelegram();
  producer = createRedis(TEST_REDIS_URL);
  queues = createQueues(producer, prefix);
  stack = await startHarness({ db: t.db, queues, redisUrl: TEST_REDIS_URL, prefix, log, token: tg.token, apiRoot: tg.url, chatIntervalMs: 200 });
});
afterAll(async () => {
  await stack.close();
  await queues.close();
  await producer.quit();
  await dropQueuePrefix(TEST_REDIS_URL, prefix);
  await tg.close();
  await t.drop();
});

describe('the card', () => {
  it('gives the reason the classifier stored, without classifying again, in the card\'s language', async () => {
    const id = await workout(await athlete());
    const { rev } = (await getWorkoutRow(t.db, id))!;
    const why: SessionReason = { code: 'tempo', params: { blockSecs: 1440, effort: { basis: 'pace', lo: 100, hi: 103 }, raceLike: true, missing: null } };
    // Stored by the classifier with words that the rules would not say: the card shows what was stored.
    await setClassification(t.db, id, rev, { sessionType: 'Threshold', classification: { method: 'rules', confidence: 0.8, reason: 'stored', reasonCode: why.code, reasonParams: why.params }, mainSet: null, vdot: null });
    expect((await prepareCard(t.db, id, 'en'))!.text.split('\n')[2]).toBe('24 min tempo at 100–103% of threshold pace, possibly a race');
    expect((await prepareCard(t.db, id, 'ru'))!.text.split('\n')[2]).toBe('24 мин в темпе на 100–103% порогового темпа, возможно, соревнование');
    // The record assistants read keeps the English words only.
    const rec = WorkoutRecordSchema.parse({ ...((await getWorkoutRow(t.db, id))!.record as object), id });
    expect(rec.classification).toEqual({ method: 'rules', confidence: 0.8, reason: 'stored' });
  });
});

describe('linking and commands (getUpdates)', () => {
  it('links a chat with a one-time code, refuses it twice, and unlinks on /stop', async () => {
    const athleteId = await athlete();
    const { code } = await createTelegramLinkCode(t.db, athleteId);
    tg.injectMessage(5001, `/start ${code}`, { languageCode: 'ru' });
    await nextTo(5001, /Чат привязан/);
    const link = await t.db.selectFrom('telegram_link').selectAll().where('athlete_id', '=', athleteId).executeTakeFirstOrThrow();
    expect(link).toMatchObject({ chat_id: '5001', disabled_at: null });
    expect(await languageOf(athleteId)).toBe('ru');
    // Only the hash is stored.
    expect(JSON.stringify(await t.db.selectFrom('telegram_link_code').selectAll().execute())).not.toContain(code);

    tg.injectMessage(5002, `/start ${code}`);
    await nextTo(5002, /invalid, already used or expired/);
    const expired = await createTelegramLinkCode(t.db, athleteId, -1000);
    tg.injectMessage(5002, `/start ${expired.code}`);
    await waitFor(() => to(5002).filter((m) => /invalid/.test(textOf(m))).length === 2, { what: 'expired code refused' });

    tg.injectMessage(5001, '/stop', { languageCode: 'ru' });
    await nextTo(5001, /Чат отвязан/);
    expect(await t.db.selectFrom('telegram_link').selectAll().where('athlete_id', '=', athleteId).executeTakeFirst()).toBeUndefined();
    tg.injectMessage(5001, '/today', { languageCode: 'ru' });
    await nextTo(5001, /ещё не привязан/);
  });

  it('/token issues a working gateway token; /today shows the local day\'s plan; /help answers', async () => {
    const athleteId = await athlete({ chatId: '5101', timezone: 'Pacific/Kiritimati' });
    tg.injectMessage(5101, '/token');
    const msg = await nextTo(5101, /spl_/);
    const token = /spl_[A-Za-z0-9_-]+/.exec(textOf(msg))![0];
    expect(await findAthleteIdByToken(t.db, token)).toBe(athleteId);

    // Kiritimati is UTC+14: its "today" is often a different date than UTC's.
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Pacific/Kiritimati' }).format(new Date());
    await upsertPlannedEvents(t.db, athleteId, [
      { id: 71, category: 'WORKOUT', type: 'Run', name: 'Tempo 3x10', start_date_local: `${today}T00:00:00`, moving_time: 3600 },
    ] as never);
    tg.injectMessage(5101, '/today');
    const plan = await nextTo(5101, /Planned for today/);
    expect(textOf(plan)).toContain(`(${today})`);
    expect(textOf(plan)).toContain('Tempo 3x10 — Run · 1:00:00');
    tg.injectMessage(5101, '/help');
    await nextTo(5101, /\/reminders on\|off/);
  });

  it('one of two replicas polls; every update is handled once', async () => {
    const second = await startHarness({ db: t.db, queues, redisUrl: TEST_REDIS_URL, prefix, log, token: tg.token, apiRoot: tg.url, workers: false });
    try {
      expect([stack.isLeader(), second.isLeader()]).toEqual([true, false]);
      for (let i = 0; i < 5; i++) tg.injectMessage(5201, '/help');
      await waitFor(() => to(5201).length === 5, { what: 'five answers' });
      expect(to(5201)).toHaveLength(5);
    } finally {
      await second.close();
    }
  });
});

describe('workout card and report loop', () => {
  it('sends the card once, as a PNG chart with the card as caption and the Write report button', async () => {
    const athleteId = await athlete({ chatId: '5301' });
    const id = await workout(athleteId);
    await enqueue(queues, 'notify-telegram', { workoutId: id, kind: 'new' });
    const [card] = await waitFor(() => (cardsFor(id).length ? cardsFor(id) : null), { what: 'card' });
    expect(card!.method).toBe('sendPhoto');
    expect(card!.photo).toMatchObject({ filename: `splits-${id}.png`, bytes: expect.any(Number) });
    expect((card!.photo as { bytes: number }).bytes).toBeGreaterThan(5000);
    expect(card!.caption!.split('\n')).toEqual([
      '2026-11-20 · Morning threshold run',
      'Run · Threshold',
      '12.4 km · 1:01:00 · 4:55/km',
      'HR 151 avg / 174 max',
      'Load 84 · intensity moderate',
      'Main set: 4 x 8 min, recovery 3 min jog',
      'Fitness 52.1 · Fatigue 61.4 · Form −9.3',
    ]);
    // The Intervals.icu link is a button, not a line of text.
    expect((card!.reply_markup as { inline_keyboard: unknown[][] }).inline_keyboard).toEqual([
      [{ text: 'Write report', callback_data: `report:${id}` }],
      [{ text: 'Open on Intervals.icu', url: expect.stringMatching(/^https:\/\/intervals\.icu\/activities\//) }],
    ]);

    // The same job again (fresh job id): the sent-marker refuses a second card.
    await queues['notify-telegram'].add('notify-telegram', { workoutId: id, kind: 'new' }, { jobId: `again-${id}` });
    await waitFor(async () => (await queues['notify-telegram'].getJob(`again-${id}`))?.isCompleted(), { what: 'second run' });
    expect(cardsFor(id)).toHaveLength(1);
  });

  it('a card without splits or intervals is a text message; Russian when the chat speaks Russian', async () => {
    const athleteId = await athlete({ chatId: '5302' });
    await t.db.updateTable('athlete').set({ language: 'ru' }).where('id', '=', athleteId).execute();
    const id = await workout(athleteId, { splitsKm: null, intervals: [], intervalSummary: null });
    await enqueue(queues, 'notify-telegram', { workoutId: id, kind: 'new' });
    const [card] = await waitFor(() => (cardsFor(id).length ? cardsFor(id) : null), { what: 'card' });
    expect(card!.method).toBe('sendMessage');
    expect(card!.text).toContain('Пульс 151 средн. / 174 макс.');
    expect(JSON.stringify(card!.reply_markup)).toContain('Написать отчёт');
  });

  it('button → ForceReply prompt → reply saves a report revision and queues its write-back; a reply to the card works too', async () => {
    const athleteId = await athlete({ chatId: '5303' });
    const id = await workout(athleteId);
    await enqueue(queues, 'notify-telegram', { workoutId: id, kind: 'new' });
    const [card] = await waitFor(() => (cardsFor(id).length ? cardsFor(id) : null), { what: 'card' });

    tg.injectCallback(5303, `report:${id}`, card!.message_id);
    const prompt = await nextTo(5303, /Reply to this message with your report/);
    expect(prompt.reply_markup).toMatchObject({ force_reply: true });
    tg.injectMessage(5303, 'Felt strong; last two reps hard but controlled.', { replyToMessageId: prompt.message_id });
    await nextTo(5303, /Report saved/);
    const rows = async () => t.db.selectFrom('workout_report').select(['id', 'revision', 'text']).where('workout_id', '=', id).orderBy('revision').execute();
    const [r1] = await rows();
    expect(r1).toMatchObject({ revision: 1, text: 'Felt strong; last two reps hard but controlled.' });
    expect(await queues['write-report'].getJob(`rep-${r1!.id}-1`)).toBeTruthy();
    expect(await queues['build-summary'].count()).toBeGreaterThanOrEqual(1);

    tg.injectMessage(5303, 'Update: calf tight afterwards.', { replyToMessageId: card!.message_id });
    await waitFor(async () => (await rows()).length === 2, { what: 'second revision' });
    const rec = await t.db.selectFrom('workout_record').select('record').where('id', '=', id).executeTakeFirstOrThrow();
    expect((rec.record as { userReport: string }).userReport).toBe('Update: calf tight afterwards.');

    // A plain message (not a reply) is not a report.
    tg.injectMessage(5303, 'hello?');
    await nextTo(5303, /Reply to a workout card/);
    expect(await rows()).toHaveLength(2);

    // The write-back's outcome is told once per revision, as a reply to the card.
    await enqueue(queues, 'notify-telegram', { workoutId: id, kind: 'report-saved', rev: 2 });
    await enqueue(queues, 'notify-telegram', { workoutId: id, kind: 'report-failed', rev: 1 });
    await nextTo(5303, /Intervals\.icu has your report for "Morning threshold run" \(2026-11-20\)/);
    await nextTo(5303, /did not accept it/);
  });
});

describe('the athlete\'s language, the command menu, buttons (issue 17)', () => {
  const none = { secs: null, secsMax: null, meters: null, recSecs: null, recHow: null };
  /** One stored reason per session type, as the rules would store it. */
  const reasonOf: Record<string, SessionReason> = {
    Easy: { code: 'easy', params: { secs: 2700, pct: 76, strides: 4, even: true, missing: null } },
    Recovery: { code: 'recovery', params: { secs: 2100, pct: 68, strides: 0, missing: 'laps' } },
    Long: { code: 'long_fast_block', params: { secs: 6300, blockSecs: 900, effort: { basis: 'pace', lo: 97, hi: 97 } } },
    Threshold: { code: 'reps', params: { kind: 'at_threshold', set: { ...none, kind: 'reps', reps: 5, secs: 420, recSecs: 95, recHow: 'jog' }, effort: { basis: 'pace', lo: 99, hi: 103 } } },
    Interval: { code: 'reps', params: { kind: 'vo2max', set: { ...none, kind: 'reps', reps: 6, meters: 1000, recSecs: 180, recHow: 'jog' }, effort: { basis: 'hr', lo: 101, hi: 104 } } },
    Repetition: { code: 'reps', params: { kind: 'short_fast', set: { ...none, kind: 'reps', reps: 10, secs: 60, recSecs: 120, recHow: 'walk' }, effort: null } },
    Race: { code: 'race_distance', params: { distance: '10K', secs: 2455, block: true, missing: null } },
    Unclassified: { code: 'too_short', params: { minutes: 10 } },
  };

  it('a card in Russian reads fully in Russian for every session type, through the Bot API', async () => {
    const athleteId = await athlete({ chatId: '5601' });
    await t.db.updateTable('athlete').set({ language: 'ru' }).where('id', '=', athleteId).execute();
    const ids: string[] = [];
    for (const sessionType of RUN_SESSION_TYPES) {
      const why = reasonOf[sessionType]!;
      const id = await workout(athleteId, { activityName: 'Утренняя пробежка', intensity: 'very hard' });
      const { rev } = (await getWorkoutRow(t.db, id))!;
      const classification = { method: 'rules' as const, confidence: 0.9, reason: renderReason(why, 'en'), reasonCode: why.code, reasonParams: why.params, thresholdPace: '4:12/km', settingsThresholdPace: '4:25/km', staleSettings: true };
      await setClassification(t.db, id, rev, { sessionType, classification, mainSet: null, vdot: null });
      await enqueue(queues, 'notify-telegram', { workoutId: id, kind: 'new' });
      ids.push(id);
    }
    for (const [k, id] of ids.entries()) {
      const [card] = await waitFor(() => (cardsFor(id).length ? cardsFor(id) : null), { what: `card ${RUN_SESSION_TYPES[k]}` });
      const text = textOf(card!);
      expect({ text, english: englishWordsIn(text) }).toEqual({ text, english: [] });
      expect(text.split('\n')[1]).toMatch(/^Бег · /);
      const buttons = JSON.stringify(card!.reply_markup);
      expect(buttons).toContain('Написать отчёт');
      expect(buttons).toContain('Открыть в Intervals.icu');
    }
  });

  it('takes the language from the first contact, changes it only with /language, and keeps it across links', async () => {
    const athleteId = await athlete();
    const { code } = await createTelegramLinkCode(t.db, athleteId);
    tg.injectMessage(5602, `/start ${code}`, { languageCode: 'ru' });
    await nextTo(5602, /Чат привязан/);
    expect(await languageOf(athleteId)).toBe('ru');
    // One message from a client in another language changes nothing.
    tg.injectMessage(5602, '/help', { languageCode: 'en' });
    await nextTo(5602, /Splits присылает карточку/);
    expect(await languageOf(athleteId)).toBe('ru');

    tg.injectMessage(5602, '/language en', { languageCode: 'ru' });
    await nextTo(5602, /^Language: English/);
    expect(await languageOf(athleteId)).toBe('en');
    tg.injectMessage(5602, '/language klingon', { languageCode: 'ru' });
    await nextTo(5602, /Use \/language en or \/language ru/);
    const id = await workout(athleteId);
    await enqueue(queues, 'notify-telegram', { workoutId: id, kind: 'new' });
    const [card] = await waitFor(() => (cardsFor(id).length ? cardsFor(id) : null), { what: 'card in English' });
    expect(textOf(card!).split('\n')[1]).toBe('Run · Threshold');

    // Unlinked and linked again from a Russian client: the athlete's choice stands.
    tg.injectMessage(5602, '/stop', { languageCode: 'ru' });
    await nextTo(5602, /^Unlinked/);
    const again = await createTelegramLinkCode(t.db, athleteId);
    tg.injectMessage(5602, `/start ${again.code}`, { languageCode: 'ru' });
    await nextTo(5602, /^Linked\./);
    expect(await languageOf(athleteId)).toBe('en');
    tg.injectMessage(5602, '/language русский', { languageCode: 'en' });
    await nextTo(5602, /^Язык: русский/);
    expect(await languageOf(athleteId)).toBe('ru');
  });

  it('a chat linked by an operator takes the language of its first message, then keeps it', async () => {
    const athleteId = await athlete({ chatId: '5603' });
    expect(await languageOf(athleteId)).toBeNull();
    tg.injectMessage(5603, '/reminders', { languageCode: 'ru-RU' });
    await nextTo(5603, /Утренние напоминания включены/);
    tg.injectMessage(5603, '/reminders выкл', { languageCode: 'en' });
    await nextTo(5603, /Утренние напоминания выключены/);
    expect(await languageOf(athleteId)).toBe('ru');
  });

  it('sets the command menu for each language at start, and not again when it is already set', async () => {
    expect(tg.commands('')).toEqual(BOT_COMMANDS.en);
    expect(tg.commands('en')).toEqual(BOT_COMMANDS.en);
    expect(tg.commands('ru')).toEqual(BOT_COMMANDS.ru);
    const sets = () => tg.calls.filter((c) => c.method === 'setMyCommands').length;
    expect(sets()).toBe(3);
    const another = await startHarness({ db: t.db, queues, redisUrl: TEST_REDIS_URL, prefix, log, token: tg.token, apiRoot: tg.url, workers: false, polling: false });
    await another.close();
    expect(sets()).toBe(3);
    expect(tg.calls.filter((c) => c.method === 'getMyCommands').length).toBeGreaterThanOrEqual(6);
  });

  it('answers every button: unknown data, a workout that is gone and an unlinked chat get a short alert, never a spinner', async () => {
    const athleteId = await athlete({ chatId: '5604' });
    const idOf = (u: TelegramUpdate) => (u.callback_query as { id: string }).id;
    const answered = (u: TelegramUpdate) => waitFor(() => tg.callbackAnswer(idOf(u)), { what: `answer to ${idOf(u)}` });

    expect(await answered(tg.injectCallback(5604, 'rate:5'))).toEqual({ text: 'This button no longer works. Send /last for the latest card.', showAlert: true });
    expect(await answered(tg.injectCallback(5604, 'report:trn_gone'))).toEqual({ text: 'That workout is no longer in Splits.', showAlert: true });
    expect(await answered(tg.injectCallback(5699, 'report:trn_gone', undefined, { languageCode: 'ru' }))).toMatchObject({ text: expect.stringMatching(/ещё не привязан/), showAlert: true });
    const other = await workout(await athlete());
    expect(await answered(tg.injectCallback(5604, `report:${other}`))).toMatchObject({ showAlert: true });

    const id = await workout(athleteId);
    expect(await answered(tg.injectCallback(5604, `report:${id}`))).toEqual({ showAlert: false });
    await nextTo(5604, /Reply to this message with your report/);
  });
});

describe('limits and faults', () => {
  it('waits out a 429 retry_after (shared with every process) and sends exactly once', async () => {
    const athleteId = await athlete({ chatId: '5401' });
    const id = await workout(athleteId);
    tg.failNext('sendPhoto', { status: 429, retryAfter: 1 });
    const t0 = Date.now();
    await enqueue(queues, 'notify-telegram', { workoutId: id, kind: 'new' });
    await waitFor(() => cardsFor(id).length === 1, { what: 'send after 429' });
    expect(Date.now() - t0).toBeGreaterThanOrEqual(1000);
    const job = await queues['notify-telegram'].getJob(`ntf-${id}-new`);
    await waitFor(() => job!.isCompleted(), { what: 'completion' });
    expect(tg.calls.filter((c) => c.method === 'sendPhoto' && String(c.body.chat_id) === '5401')).toHaveLength(2);
    expect(cardsFor(id)).toHaveLength(1);
  });

  it('a long retry_after re-delays the job and releases the claim instead of blocking a worker', async () => {
    const athleteId = await athlete({ chatId: '5402' });
    const id = await workout(athleteId);
    tg.failNext('sendPhoto', { status: 429, retryAfter: 30 });
    await enqueue(queues, 'notify-telegram', { workoutId: id, kind: 'new' });
    const job = await waitFor(async () => {
      const j = await queues['notify-telegram'].getJob(`ntf-${id}-new`);
      return j && (await j.isDelayed()) ? j : null;
    }, { what: 'delayed job' });
    expect(job.delay).toBeGreaterThan(20_000);
    const marker = await t.db.selectFrom('notification').select('status').where('workout_id', '=', id).executeTakeFirstOrThrow();
    expect(marker.status).toBe('pending');
    await job.remove();
  });

  /** The job once completed, read after completion (a job read before it completes has no return value yet). */
  const completedJob = (jobId: string) =>
    waitFor(async () => {
      const j = await queues['notify-telegram'].getJob(jobId);
      return j && (await j.isCompleted()) ? queues['notify-telegram'].getJob(jobId) : null;
    }, { what: `job ${jobId} completed` });

  it('403 (bot blocked) disables the link instead of retrying; later workouts are not sent', async () => {
    const athleteId = await athlete({ chatId: '5403' });
    tg.blockChat('5403');
    const id = await workout(athleteId);
    await enqueue(queues, 'notify-telegram', { workoutId: id, kind: 'new' });
    const done = await completedJob(`ntf-${id}-new`);
    expect(done.returnvalue).toEqual({ skipped: 'bot blocked; link disabled' });
    const link = await t.db.selectFrom('telegram_link').select(['disabled_at', 'disabled_reason']).where('athlete_id', '=', athleteId).executeTakeFirstOrThrow();
    expect(link.disabled_at).not.toBeNull();
    expect(link.disabled_reason).toContain('blocked');

    const later = await workout(athleteId);
    await enqueue(queues, 'notify-telegram', { workoutId: later, kind: 'new' });
    const skipped = await completedJob(`ntf-${later}-new`);
    expect(skipped.returnvalue).toEqual({ skipped: 'no linked chat' });
    expect(tg.calls.filter((c) => String(c.body.chat_id) === '5403')).toHaveLength(1);

    // Linking again (a new code) enables the chat again.
    await linkTelegram(t.db, athleteId, '5403');
  });

  it('per-chat and per-bot limits hold across processes (separate Redis connections, one Redis)', async () => {
    const conns = [createRedis(TEST_REDIS_URL), createRedis(TEST_REDIS_URL)];
    const lp = testQueuePrefix('tgrate');
    try {
      const [a, b] = conns.map((redis) => createRateLimiter({ redis, prefix: lp, botPerSec: 4, chatIntervalMs: 250 }));
      const t0 = Date.now();
      const sameChat = await Promise.all([a, b, a, b].map(async (l) => (await l!.acquire('c1'), Date.now() - t0)));
      sameChat.sort((x, y) => x - y);
      // One per 250 ms for the chat, whichever process asks.
      expect(sameChat[3]! - sameChat[0]!).toBeGreaterThanOrEqual(3 * 250 - 30);

      const t1 = Date.now();
      const chats = Array.from({ length: 12 }, (_, i) => `b${i}`);
      const times = await Promise.all(chats.map(async (c, i) => (await (i % 2 ? a : b)!.acquire(c), Date.now() - t1)));
      // 4 per second for the bot: 12 messages need at least two full windows after the first batch.
      expect(Math.max(...times)).toBeGreaterThanOrEqual(1900);
    } finally {
      await dropQueuePrefix(TEST_REDIS_URL, lp);
      await Promise.all(conns.map((c) => c.quit()));
    }
  });
});

describe('morning reminders', () => {
  it('sends the plan at 07:00 in the athlete\'s time zone, once, not on days without a plan, and not when off', async () => {
    const athleteId = await athlete({ chatId: '5501', timezone: 'Asia/Tokyo' });
    await upsertPlannedEvents(t.db, athleteId, [
      { id: 901, category: 'WORKOUT', type: 'Run', name: 'UTC-day workout', start_date_local: '2026-11-20T00:00:00' },
      { id: 902, category: 'WORKOUT', type: 'Run', name: 'Threshold 4x8', start_date_local: '2026-11-21T00:00:00', moving_time: 3900, distance: 12000 },
    ] as never);
    const tick = (iso: string) => processReminderTick({ db: t.db, queues, log, now: () => new Date(iso) });

    expect(await tick('2026-11-20T21:30:00Z')).toEqual({ queued: 0 }); // 06:30 on the 21st in Tokyo
    expect(await tick('2026-11-20T22:05:00Z')).toEqual({ queued: 1 }); // 07:05 on the 21st in Tokyo
    const msg = await nextTo(5501, /Good morning/);
    expect(textOf(msg)).toContain('(2026-11-21)');
    expect(textOf(msg)).toContain('Threshold 4x8 — Run · 1:05:00 · 12 km');
    expect(textOf(msg)).not.toContain('UTC-day workout');
    expect(await tick('2026-11-20T23:00:00Z')).toEqual({ queued: 0 });
    expect(await tick('2026-11-21T22:05:00Z')).toEqual({ queued: 0 }); // the 22nd: nothing planned

    tg.injectMessage(5501, '/reminders off');
    await nextTo(5501, /reminders are off/);
    await upsertPlannedEvents(t.db, athleteId, [{ id: 903, category: 'WORKOUT', name: 'Long run', start_date_local: '2026-11-23T00:00:00' }] as never);
    expect(await tick('2026-11-22T22:05:00Z')).toEqual({ queued: 0 });
    tg.injectMessage(5501, '/reminders on');
    await nextTo(5501, /reminders are on/);
    expect(await tick('2026-11-22T22:05:00Z')).toEqual({ queued: 1 });
    await waitFor(() => to(5501).filter((m) => /Long run/.test(textOf(m))).length === 1, { what: 'second reminder' });
    expect(to(5501).filter((m) => /Good morning/.test(textOf(m)))).toHaveLength(2);
  });

  it('sends at the time the athlete sets with /reminders HH:MM, and /reminders says what is set', async () => {
    const athleteId = await athlete({ chatId: '5502', timezone: 'Europe/Berlin' });
    await upsertPlannedEvents(t.db, athleteId, [{ id: 911, category: 'WORKOUT', type: 'Run', name: 'Easy 40', start_date_local: '2026-11-25T00:00:00' }] as never);
    const tick = (iso: string) => processReminderTick({ db: t.db, queues, log, now: () => new Date(iso) });
    /** Sends a command and waits for a new answer matching `re` (earlier answers do not count). */
    const ask = async (text: string, re: RegExp) => {
      const before = to(5502).length;
      tg.injectMessage(5502, text);
      await waitFor(() => to(5502).slice(before).find((m) => re.test(textOf(m))), { what: `${text} → ${re}` });
    };

    await ask('/reminders', /reminders are on, at 07:00/);
    for (const bad of ['/reminders 24:00', '/reminders 6:75', '/reminders soon']) await ask(bad, /Use \/reminders on, \/reminders off, or a time/);
    await ask('/reminders 5:45', /reminders are on, at 05:45/);
    expect(await tick('2026-11-25T04:40:00Z')).toEqual({ queued: 0 }); // 05:40 in Berlin
    expect(await tick('2026-11-25T04:46:00Z')).toEqual({ queued: 1 }); // 05:46
    await waitFor(() => to(5502).some((m) => /Easy 40/.test(textOf(m))), { what: 'reminder at 05:45' });

    // Off keeps the time; on brings it back.
    await ask('/reminders off', /reminders are off/);
    await ask('/reminders on', /reminders are on, at 05:45/);
  });
});
