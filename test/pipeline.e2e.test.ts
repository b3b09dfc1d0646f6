import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { sql } from 'kysely';
import { startServices, type RunningServices } from '@splits/cli';
import {
  createTestDatabase,
  dropQueuePrefix,
  makeNewActivity,
  TEST_REDIS_URL,
  testQueuePrefix,
  waitFor,
  type TestDatabase,
} from '@splits/testing';
import { serviceEnv, startWorld, WEBHOOK_SECRET, DASHBOARD } from './helpers.js';

/**
 * End to end: the real services as processes, real Postgres and Redis, fake Intervals.icu,
 * Telegram and LLM. One new workout goes webhook → fetch (unanalysed first) → classify →
 * summary → one Telegram message → GET /trainings and MCP get_trainings.
 */
let t: TestDatabase;
let world: Awaited<ReturnType<typeof startWorld>>;
let svc: RunningServices;
const prefix = testQueuePrefix('e2e');

beforeAll(async () => {
  t = await createTestDatabase('e2e');
  world = await startWorld(t.db, { analysedAfterFetches: 2 });
  svc = await startServices({ env: serviceEnv(world, { dbUrl: t.url, redisUrl: TEST_REDIS_URL, prefix }) });
}, 200_000);

afterAll(async () => {
  await svc?.stop();
  await world?.close();
  await t?.drop();
  await dropQueuePrefix(TEST_REDIS_URL, prefix);
}, 60_000);

const post = (body: unknown) =>
  fetch(`${svc.urls['webhook-ingress']}/webhooks/intervals`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
// A card is a photo with the card as caption when there is a chart, else a text message.
const messagesTo = (chatId: string) => world.telegram.sent.filter((m) => String(m.chat_id) === chatId);
const inboxCount = async () => Number((await sql<{ n: string }>`select count(*) as n from webhook_inbox`.execute(t.db)).rows[0]!.n);

describe('pipeline end to end', () => {
  const activity = () => makeNewActivity(world.generated, { kind: 'threshold', at: new Date(Date.now() - 3_600_000) });
  let newActivity: ReturnType<typeof activity>;
  let body: unknown;

  it('a webhook leads to one Telegram message and a complete record in GET /trainings and MCP get_trainings', async () => {
    newActivity = activity();
    world.intervals.addActivity(world.generated.athleteId, newActivity, { analysedAfterFetches: 2 });
    body = world.intervals.uploadedWebhook(WEBHOOK_SECRET, world.generated.athleteId, newActivity);
    expect(JSON.stringify(body)).not.toContain('icu_ctl'); // the upload arrives before CTL/ATL exist

    const res = await post(body);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ ok: true });

    const sent = await waitFor(() => (messagesTo(world.chatId).length > 0 ? messagesTo(world.chatId) : null), { timeoutMs: 30_000, what: 'the telegram message' });
    expect(sent).toHaveLength(1);
    const msg = sent[0]!;
    expect(msg.text ?? msg.caption).toContain(String(newActivity.activity.name));
    expect(JSON.stringify(msg.reply_markup)).toContain('Write report');

    // The first fetch saw no analysis; a later one did, and the record carries fitness, fatigue and form.
    const gets = world.intervals.requests.filter((r) => r.method === 'GET' && r.path === `/api/v1/activity/${newActivity.id}`);
    expect(gets.length).toBeGreaterThanOrEqual(2);

    const row = await t.db.selectFrom('workout_record').select(['id', 'record', 'provisional', 'session_type']).where('intervals_activity_id', '=', String(newActivity.id)).executeTakeFirstOrThrow();
    const rec = row.record as Record<string, unknown>;
    expect(row.provisional).toBe(false);
    expect(rec.fitness).toEqual(expect.any(Number));
    expect(rec.fatigue).toEqual(expect.any(Number));
    expect(rec.form).toBeCloseTo((rec.fitness as number) - (rec.fatigue as number), 0);
    expect(row.session_type).not.toBe('Unclassified');

    const api = await fetch(`${svc.urls['api-gateway']}/trainings?full=1&limit=5`, { headers: { authorization: `Bearer ${world.token}` } });
    expect(api.status).toBe(200);
    const page = (await api.json()) as { trainings: Array<Record<string, unknown>> };
    const fromApi = page.trainings.find((x) => x.intervalsActivityId === String(newActivity.id));
    // Served compact: `provisional` only when true, the laps as a table.
    expect(fromApi).toMatchObject({ id: row.id, workoutType: 'Run', fitness: rec.fitness });
    expect(fromApi).not.toHaveProperty('provisional');
    expect(Array.isArray((fromApi!.intervals as { rows: unknown[] }).rows)).toBe(true);

    const mcp = await fetch(`${svc.urls['api-gateway']}/mcp`, {
      method: 'POST',
      headers: { authorization: `Bearer ${world.token}`, 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'get_trainings', arguments: { limit: 5, full: true } } }),
    });
    expect(mcp.status).toBe(200);
    const rpc = (await mcp.json()) as { result: { content: Array<{ text: string }> } };
    expect(rpc.result.content[0]!.text).toContain(row.id);
  }, 60_000);

  it('a duplicate webhook stores nothing new and sends no second message', async () => {
    const before = await inboxCount();
    const res = await post(body);
    expect(res.status).toBe(200);
    expect(await inboxCount()).toBe(before);
    // Give any stray job a chance to surface: wait until every queue is idle, then count again.
    await waitFor(async () => {
      const r = await fetch(`${svc.urls.dashboard}/admin/queues/api/queues`, { headers: { authorization: `Basic ${Buffer.from(`${DASHBOARD.user}:${DASHBOARD.password}`).toString('base64')}` } });
      const j = (await r.json()) as { queues: Array<{ name: string; counts: Record<string, number> }> };
      // Scheduled queues always hold their next run (delayed): that is the schedule, not stray work.
      // So do the debounced follow-ups that wait on purpose (the pace-curve read a minute after a
      // recent run, the recalibration after an older one): they send nothing.
      const scheduled = new Set(['poll-athlete', 'reminder-tick', 'sweep-reports', 'prune-retention', 'sync-pace-model', 'recalibrate']);
      return j.queues.every((q) => (q.counts.active ?? 0) + (q.counts.waiting ?? 0) + (scheduled.has(q.name) ? 0 : (q.counts.delayed ?? 0)) === 0);
    }, { timeoutMs: 20_000, what: 'idle queues' });
    expect(messagesTo(world.chatId)).toHaveLength(1);
  }, 30_000);

  it('a wrong secret gets 401 and stores nothing', async () => {
    const before = await inboxCount();
    const wrong = world.intervals.uploadedWebhook('not-the-secret', world.generated.athleteId, activity());
    const res = await post(wrong);
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ error: { code: expect.any(String), message: expect.any(String) } });
    expect(await inboxCount()).toBe(before);
  });

  it('a malformed body gets 400 with {error:{code,message}}', async () => {
    // Without its secret a body is refused before its events are read (401); with it, a bad one is 400.
    for (const [bad, status] of [['{"secret": "x", "events": ', 400], [JSON.stringify({ secret: WEBHOOK_SECRET, events: 'nope' }), 400], [JSON.stringify({ events: [] }), 401]] as const) {
      const res = await post(bad);
      expect(res.status).toBe(status);
      const j = (await res.json()) as { error: { code: string; message: string } };
      expect(j.error.code).toEqual(expect.any(String));
      expect(j.error.message).not.toContain(WEBHOOK_SECRET);
    }
  });

  it('no secret or credential appears in any service log', () => {
    const all = Object.values(svc.logs).flat().join('\n');
    expect(all.length).toBeGreaterThan(0);
    for (const s of [WEBHOOK_SECRET, world.token, 'fake-intervals-key-7001', world.telegram.token.split(':')[1]!]) {
      expect(all).not.toContain(s);
    }
  });
});
