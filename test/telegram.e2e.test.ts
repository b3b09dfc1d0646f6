import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawn, type ChildProcess } from 'node:child_process';
import { sql } from 'kysely';
import { upsertWorkout } from '@splits/db';
import { createQueues, createRedis, enqueue, type Queues } from '@splits/queue';
import { startServices, type RunningServices } from '@splits/cli';
import {
  createTestDatabase,
  dropQueuePrefix,
  freePort,
  REPO_ROOT,
  runRecord,
  TEST_REDIS_URL,
  testQueuePrefix,
  waitFor,
  type TestDatabase,
} from '@splits/testing';
import { REPORT_END, REPORT_START } from '@splits/training';
import type { Redis } from 'ioredis';
import { serviceEnv, startWorld } from './helpers.js';

/**
 * Telegram end to end, getUpdates-driven: real fetch-, summary- and telegram-worker processes,
 * real Postgres and Redis, fake Telegram and Intervals.icu. The report loop ends in the fake
 * Intervals.icu's activity description; a telegram-worker killed mid-send sends no second card.
 */
let t: TestDatabase;
let world: Awaited<ReturnType<typeof startWorld>>;
let svc: RunningServices;
let producer: Redis;
let queues: Queues;
const prefix = testQueuePrefix('tge2e');
let env: Record<string, string>;
const children: ChildProcess[] = [];

const auth = () => ({ authorization: `Basic ${Buffer.from('API_KEY:fake-intervals-key-7001').toString('base64')}` });
const description = async (id: string) => ((await (await fetch(`${world.intervals.url}/api/v1/activity/${id}`, { headers: auth() })).json()) as { description: string | null }).description;
const chat = () => world.telegram.sent.filter((m) => String(m.chat_id) === world.chatId);
const cardsFor = (workoutId: string) => world.telegram.sent.filter((m) => JSON.stringify(m.reply_markup ?? null).includes(`report:${workoutId}`));
const chatId = () => Number(world.chatId);

/** A telegram-worker as its own process (not through startServices: this test needs its pid to kill it). */
async function spawnTelegramWorker(): Promise<ChildProcess> {
  const port = await freePort();
  const { NODE_OPTIONS: _n, ...parent } = process.env;
  const child = spawn(process.execPath, ['--import', 'tsx', 'services/telegram-worker/src/main.ts'], {
    cwd: REPO_ROOT,
    env: { ...parent, ...env, HEALTH_PORT: String(port), TELEGRAM_POLLING: 'false' },
    stdio: 'ignore',
  });
  children.push(child);
  await waitFor(async () => (await fetch(`http://127.0.0.1:${port}/ready`)).ok, { timeoutMs: 60_000, what: 'telegram-worker ready' });
  return child;
}

beforeAll(async () => {
  t = await createTestDatabase('tge2e');
  world = await startWorld(t.db, { analysedAfterFetches: 1, seed: 17 });
  env = { ...serviceEnv(world, { dbUrl: t.url, redisUrl: TEST_REDIS_URL, prefix }), TELEGRAM_JOB_LOCK_MS: '2000', LOG_LEVEL: 'warn' };
  svc = await startServices({ env, services: ['fetch-worker', 'summary-worker', 'telegram-worker'] });
  producer = createRedis(TEST_REDIS_URL);
  queues = createQueues(producer, prefix);
}, 120_000);
afterAll(async () => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  await svc?.stop();
  await queues?.close();
  await producer?.quit();
  await world?.close();
  await t?.drop();
  await dropQueuePrefix(TEST_REDIS_URL, prefix);
}, 60_000);

describe('Telegram report loop (end to end)', () => {
  it('card with chart → Write report → reply → Intervals.icu description → confirmation; a new report replaces the section', async () => {
    // The newest run, stored under its own date, as the fetcher would store it.
    const activity = world.generated.activities.filter((a) => a.activity.type === 'Run').at(-1)!;
    const activityId = String(activity.id);
    await fetch(`${world.intervals.url}/api/v1/activity/${activityId}`, {
      method: 'PUT',
      headers: { ...auth(), 'content-type': 'application/json' },
      body: JSON.stringify({ description: 'Shoes: Pegasus 41.' }),
    });
    const day = activity.activity.start_date_local.slice(0, 10);
    const { id } = await upsertWorkout(t.db, world.athleteId, { ...runRecord(activityId, day), userReport: null });
    await enqueue(queues, 'notify-telegram', { workoutId: id, kind: 'new' });
    // The reconciliation poll may run at any moment (the first one is due at start-up, late on a busy
    // machine): run one now. It must leave this workout alone (an earlier version of this test stored
    // the run under today's date, which the poll rightly took for a deleted activity).
    await enqueue(queues, 'poll-athlete', { athleteId: world.athleteId });
    const [card] = await waitFor(() => (cardsFor(id).length ? cardsFor(id) : null), { timeoutMs: 30_000, what: 'card' });
    expect(card!.method).toBe('sendPhoto');

    world.telegram.injectCallback(chatId(), `report:${id}`, card!.message_id);
    const prompt = await waitFor(() => chat().find((m) => /Reply to this message/.test(m.text ?? '')), { what: 'ForceReply prompt' });
    world.telegram.injectMessage(chatId(), 'Controlled. Rep 4 was the hardest.', { replyToMessageId: prompt.message_id });
    await waitFor(async () => (await description(activityId))?.includes('Rep 4 was the hardest'), { timeoutMs: 30_000, what: 'description written' });
    expect(await description(activityId)).toBe(`Shoes: Pegasus 41.\n\n${REPORT_START}\nControlled. Rep 4 was the hardest.\n${REPORT_END}`);
    await waitFor(() => chat().find((m) => /Intervals\.icu has your report/.test(m.text ?? '')), { timeoutMs: 20_000, what: 'confirmation' });

    world.telegram.injectMessage(chatId(), 'Correction: rep 3 was the hardest.', { replyToMessageId: card!.message_id });
    await waitFor(async () => (await description(activityId))?.includes('Correction'), { timeoutMs: 30_000, what: 'second write' });
    expect(await description(activityId)).toBe(`Shoes: Pegasus 41.\n\n${REPORT_START}\nCorrection: rep 3 was the hardest.\n${REPORT_END}`);
    await waitFor(() => chat().filter((m) => /Intervals\.icu has your report/.test(m.text ?? '')).length === 2, { timeoutMs: 20_000, what: 'second confirmation' });

    // The report is in the workout record and in the athlete summary.
    const summary = await waitFor(async () => {
      const s = await t.db.selectFrom('athlete_summary').select('document').where('athlete_id', '=', world.athleteId).executeTakeFirst();
      const doc = s?.document as { recentTrainings: { id: string; userReport: string | null }[] } | undefined;
      return doc?.recentTrainings.find((r) => r.id === id && r.userReport?.startsWith('Correction')) ?? null;
    }, { timeoutMs: 60_000, what: 'summary with the report' }).catch(async (err: Error) => {
      // Say what the summary and its queue looked like, so a failure here can be understood later.
      const s = await t.db.selectFrom('athlete_summary').select(['version', 'built_at', 'build_count', 'last_reason', 'document']).where('athlete_id', '=', world.athleteId).executeTakeFirst();
      const w = await t.db.selectFrom('workout_record').select(['local_date', 'deleted_at', 'record_rev', sql<string>`record->>'userReport'`.as('report')]).where('id', '=', id).executeTakeFirst();
      const jobs = await queues['build-summary'].getJobs(['active', 'waiting', 'delayed', 'failed']);
      const mine = (s?.document as { recentTrainings?: { id: string }[] } | undefined)?.recentTrainings?.findIndex((r) => r.id === id);
      throw new Error(
        `${err.message}; summary ${JSON.stringify({ version: s?.version, builtAt: s?.built_at, builds: s?.build_count, reason: s?.last_reason, indexOfWorkout: mine })}; ` +
          `workout ${JSON.stringify(w)}; build-summary jobs ${JSON.stringify(await Promise.all(jobs.map(async (j) => ({ state: await j.getState(), failed: j.failedReason, attempts: j.attemptsMade }))))}`,
      );
    });
    expect(summary.userReport).toBe('Correction: rep 3 was the hardest.');
  }, 150_000);

  it('a telegram-worker killed mid-send leaves exactly one card; its job is recovered without a second send', async () => {
    await svc.stop('telegram-worker');
    // Another real run under its own date (a made-up one would be deleted by the next poll).
    const run = world.generated.activities.filter((a) => a.activity.type === 'Run').at(-2)!;
    const { id } = await upsertWorkout(t.db, world.athleteId, { ...runRecord(String(run.id), run.activity.start_date_local.slice(0, 10)), userReport: null });
    const hold = world.telegram.holdNext('sendPhoto');
    const first = await spawnTelegramWorker();
    await enqueue(queues, 'notify-telegram', { workoutId: id, kind: 'new' });
    await hold.arrived; // Telegram has the card; the worker is waiting for the answer
    first.kill('SIGKILL');
    await new Promise((r) => first.once('exit', r));
    hold.release();
    expect(cardsFor(id)).toHaveLength(1);

    await spawnTelegramWorker();
    await waitFor(async () => (await queues['notify-telegram'].getJob(`ntf-${id}-new`))?.isCompleted(), {
      timeoutMs: 40_000,
      what: 'the stalled job to be taken over and finished',
    });
    const job = (await queues['notify-telegram'].getJob(`ntf-${id}-new`))!;
    expect(job.returnvalue).toEqual({ skipped: 'already sent or in doubt' });
    expect(cardsFor(id)).toHaveLength(1);
    expect(world.telegram.calls.filter((c) => c.method === 'sendPhoto' && JSON.stringify(c.body.reply_markup ?? '').includes(id))).toHaveLength(1);
  }, 90_000);
});
