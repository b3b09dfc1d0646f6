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
  type TelegramSentMessage,
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
  it('gives the reason the classifier stored, without classifying again', async () => {
    const id = await workout(await athlete());
    const { rev } = (await getWorkoutRow(t.db, id))!;
    const reason = 'stored by the classifier: 3 x 10 min near threshold';
    await setClassification(t.db, id, rev, { sessionType: 'Threshold', classification: { method: 'llm', confidence: 0.8, reason }, mainSet: null, vdot: null });
    expect((await prepareCard(t.db, id, 'en'))!.text).toContain(`(${reason})`);
  });
});

describe('linking and commands (getUpdates)', () => {
  it('links a chat with a one-time code, refuses it twice, and unlinks on /stop', async () => {
    const athleteId = await athlete();
    const { code } = await createTelegramLinkCode(t.db, athleteId);
    tg.injectMessage(5001, `/start ${code}`, { languageCode: 'ru' });
    await nextTo(5001, /Чат привязан/);
    const link = await t.db.selectFrom('telegram_link').selectAll().where('athlete_id', '=', athleteId).executeTakeFirstOrThrow();
    expect(link).toMatchObject({ chat_id: '5001', language: 'ru', disabled_at: null });
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
      'Fitness 52.1 · Fatigue 61.4 · Form -9.3',
      'https://intervals.icu/activities/' + card!.caption!.split('/').at(-1),
    ]);
    expect((card!.reply_markup as { inline_keyboard: unknown[][] }).inline_keyboard[0]).toEqual([{ text: 'Write report', callback_data: `report:${id}` }]);

    // The same job again (fresh job id): the sent-marker refuses a second card.
    await queues['notify-telegram'].add('notify-telegram', { workoutId: id, kind: 'new' }, { jobId: `again-${id}` });
    await waitFor(async () => (await queues['notify-telegram'].getJob(`again-${id}`))?.isCompleted(), { what: 'second run' });
    expect(cardsFor(id)).toHaveLength(1);
  });

  it('a card without splits or intervals is a text message; Russian when the chat speaks Russian', async () => {
    const athleteId = await athlete({ chatId: '5302' });
    await t.db.updateTable('telegram_link').set({ language: 'ru' }).where('chat_id', '=', '5302').execute();
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
