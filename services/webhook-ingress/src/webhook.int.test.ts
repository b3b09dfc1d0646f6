import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { sql } from 'kysely';
import { createDb, inboxDeliveryState } from '@splits/db';
import { Worker, UnrecoverableError } from 'bullmq';
import { createRedis } from '@splits/queue';
import { freePort, TEST_REDIS_URL, waitFor } from '@splits/testing';
import { INTERVALS_ATHLETE_ID, SECRET, startHarness, uploadedBody, type Harness } from './test-harness.js';
import { createInboxBatcher } from './inbox-batcher.js';
import { toInboxEvent } from './webhook.service.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness('ingress');
});
afterAll(async () => {
  await h?.close();
});

const post = (body: unknown, app = h.app) =>
  app.inject({
    method: 'POST',
    url: '/webhooks/intervals',
    headers: { 'content-type': 'application/json' },
    payload: typeof body === 'string' ? body : JSON.stringify(body),
  });

const inboxRows = (activityId: string) =>
  h.db.selectFrom('webhook_inbox').selectAll().where('activity_id', '=', activityId).execute();

const jobFor = (activityId: string) => h.queues['fetch-activity'].getJob(`act-${h.athleteId}-${activityId}`);

describe('POST /webhooks/intervals', () => {
  it('stores the event with its athlete before answering, then queues a delayed fetch-activity job', async () => {
    const res = await post(uploadedBody('i900001'));
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ ok: true, received: 1, stored: 1 });

    // Durable before the 200: the row is there the moment the answer is.
    const [row] = await inboxRows('i900001');
    expect(row).toMatchObject({ athlete_id: h.athleteId, intervals_athlete_id: INTERVALS_ATHLETE_ID, type: 'ACTIVITY_UPLOADED' });

    const job = await waitFor(() => jobFor('i900001'), { what: 'fetch-activity job' });
    expect(job.data).toEqual({ athleteId: h.athleteId, intervalsActivityId: 'i900001', reason: 'ACTIVITY_UPLOADED', waits: 0 });
    expect(job.opts.delay).toBe(60_000);
    expect(await job.getState()).toBe('delayed');
    await waitFor(async () => (await inboxDeliveryState(h.db, 'i900001')) === 'queued', { what: 'row marked queued' });
  });

  it('a webhook for an activity whose fetch failed for good is queued as a new fetch; its row says queued only then', async () => {
    await post(uploadedBody('i900050'));
    await waitFor(async () => (await inboxDeliveryState(h.db, 'i900050')) === 'queued', { what: 'the upload queued' });
    // The fetch-worker used the job's attempts (stood in for by a worker that fails it at once).
    await (await jobFor('i900050'))!.promote();
    const conn = createRedis(TEST_REDIS_URL);
    const worker = new Worker('fetch-activity', async () => Promise.reject(new UnrecoverableError('Intervals.icu answered 500')), { connection: conn, prefix: h.prefix });
    await waitFor(async () => (await jobFor('i900050'))?.isFailed(), { what: 'the fetch to fail for good' });
    await worker.close();
    await conn.quit();

    const edit = uploadedBody('i900050');
    edit.events[0] = { ...edit.events[0]!, type: 'ACTIVITY_UPDATED', timestamp: '2026-04-16T08:15:00.000+00:00' };
    expect((await post(edit)).json()).toMatchObject({ stored: 1 });
    const row = await h.db.selectFrom('webhook_inbox').select('id').where('activity_id', '=', 'i900050').where('type', '=', 'ACTIVITY_UPDATED').executeTakeFirstOrThrow();
    const pending = () => h.db.selectFrom('webhook_inbox_pending').select('inbox_id').where('inbox_id', '=', row.id).executeTakeFirst();
    await waitFor(async () => (await pending()) === undefined, { what: 'the edit marked queued' });
    // Queued means a job that will run: the edit's own fetch, delayed like any first fetch.
    const job = (await jobFor('i900050'))!;
    expect(await job.getState()).toBe('delayed');
    expect(job.data).toMatchObject({ reason: 'ACTIVITY_UPDATED', waits: 0 });
    // The failure stays listed for operators, under an archived id.
    const failed = await h.queues['fetch-activity'].getFailed();
    expect(failed.map((j) => [j.id, j.failedReason])).toEqual([[expect.stringMatching(`^act-${h.athleteId}-i900050-failed-\\d+$`), 'Intervals.icu answered 500']]);
  });

  it('stores a redelivery once and queues one job', async () => {
    const body = uploadedBody('i900002');
    const first = await post(body);
    const second = await post(body);
    expect(first.json()).toEqual({ ok: true, received: 1, stored: 1 });
    expect(second.statusCode).toBe(200);
    expect(second.json()).toEqual({ ok: true, received: 1, stored: 0 });
    expect(await inboxRows('i900002')).toHaveLength(1);
    await waitFor(() => jobFor('i900002'), { what: 'fetch-activity job' });
    const ids = (await h.queues['fetch-activity'].getJobs(['delayed', 'waiting'])).map((j) => j.id);
    expect(ids.filter((id) => id === `act-${h.athleteId}-i900002`)).toHaveLength(1);
  });

  it('keeps the same event twice in one delivery once', async () => {
    const body = uploadedBody('i900003');
    const res = await post({ ...body, events: [body.events[0], body.events[0]] });
    expect(res.json()).toEqual({ ok: true, received: 2, stored: 1 });
    expect(await inboxRows('i900003')).toHaveLength(1);
  });

  it('rejects a wrong secret with 401 and stores nothing', async () => {
    const before = await h.db.selectFrom('webhook_inbox').select(sql<string>`count(*)`.as('n')).executeTakeFirstOrThrow();
    const res = await post(uploadedBody('i900004', { secret: 'not-the-secret' }));
    expect(res.statusCode).toBe(401);
    expect(res.json()).toEqual({ error: { code: 'unauthorized', message: expect.any(String) } });
    // A prefix of the real secret is just as wrong.
    expect((await post(uploadedBody('i900004', { secret: SECRET.slice(0, -1) }))).statusCode).toBe(401);
    const after = await h.db.selectFrom('webhook_inbox').select(sql<string>`count(*)`.as('n')).executeTakeFirstOrThrow();
    expect(after.n).toBe(before.n);
    expect(await inboxRows('i900004')).toHaveLength(0);
  });

  it.each([
    ['a body that is not an object', []],
    ['events not an array', { secret: SECRET, events: { athlete_id: INTERVALS_ATHLETE_ID } }],
    ['an event without athlete_id', { secret: SECRET, events: [{ type: 'ACTIVITY_UPLOADED' }] }],
    ['malformed JSON', `{"secret":"${SECRET}","events":[`],
    ['an empty body', ''],
  ])('answers 400 {error:{code,message}} for %s, without echoing the secret', async (_what, body) => {
    const res = await post(body);
    expect(res.statusCode).toBe(400);
    const json = res.json();
    expect(json).toEqual({ error: { code: 'bad_request', message: expect.any(String) } });
    expect(res.body).not.toContain(SECRET);
  });

  it('stores an event of an unknown athlete as unknown_athlete and queues nothing', async () => {
    const res = await post(uploadedBody('i900005', { athlete: 'i999999' }));
    expect(res.json()).toEqual({ ok: true, received: 1, stored: 1 });
    const [row] = await inboxRows('i900005');
    expect(row).toMatchObject({ status: 'unknown_athlete', athlete_id: null, intervals_athlete_id: 'i999999' });
    // The hand-over runs after the answer; a known athlete's event sent after it is queued, this one never is.
    await post(uploadedBody('i900006'));
    await waitFor(() => jobFor('i900006'), { what: 'the later job' });
    const jobs = await h.queues['fetch-activity'].getJobs(['delayed', 'waiting']);
    expect(jobs.filter((j) => j.data.intervalsActivityId === 'i900005')).toHaveLength(0);
  });

  it('routes wellness and calendar events to their debounced syncs; unknown types are stored and ignored', async () => {
    const res = await post({
      secret: SECRET,
      events: [
        { athlete_id: INTERVALS_ATHLETE_ID, type: 'WELLNESS_UPDATED', timestamp: '2026-04-15T16:29:56.819+00:00', records: [{ id: '2026-04-15', ctl: 18.4 }] },
        {
          athlete_id: INTERVALS_ATHLETE_ID,
          type: 'CALENDAR_UPDATED',
          timestamp: '2026-04-16T14:22:33.000+00:00',
          events: [{ id: 104649834 }],
          deleted_events: [104649801],
        },
        { athlete_id: INTERVALS_ATHLETE_ID, type: 'CHAT_UPDATE', timestamp: '2026-04-16T14:22:34.000+00:00' },
      ],
    });
    expect(res.json()).toEqual({ ok: true, received: 3, stored: 3 });
    const rows = await h.db
      .selectFrom('webhook_inbox')
      .select(['type', 'status'])
      .where('type', 'in', ['WELLNESS_UPDATED', 'CALENDAR_UPDATED', 'CHAT_UPDATE'])
      .orderBy('type')
      .execute();
    expect(rows.map((r) => `${r.type}:${r.status}`)).toEqual(['CALENDAR_UPDATED:accepted', 'CHAT_UPDATE:ignored', 'WELLNESS_UPDATED:accepted']);
    await waitFor(async () => (await h.queues['sync-calendar'].getJobs(['delayed', 'waiting'])).length === 1, { what: 'the calendar sync job' });
    const wellness = await h.queues['sync-wellness'].getJobs(['delayed', 'waiting']);
    expect(wellness.map((j) => j.data)).toEqual([{ athleteId: h.athleteId, dates: ['2026-04-15'] }]);
  });

  it('stores a wellness event whose dates do not exist as ignored, drops bad dates, and keeps the rest of the delivery', async () => {
    const ev = (timestamp: string, ids: string[]) => ({ athlete_id: INTERVALS_ATHLETE_ID, type: 'WELLNESS_UPDATED', timestamp, records: ids.map((id) => ({ id })) });
    const upload = uploadedBody('i900010').events[0]!;
    const res = await post({
      secret: SECRET,
      events: [ev('2026-04-16T05:00:00.000+00:00', ['2024-13-45']), ev('2026-04-16T05:00:01.000+00:00', ['2024-02-30', '2026-04-13']), upload],
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ ok: true, received: 3, stored: 3 });
    const rows = await h.db
      .selectFrom('webhook_inbox')
      .select(['status', sql<string>`payload->>'timestamp'`.as('ts')])
      .where('type', '=', 'WELLNESS_UPDATED')
      .where(sql<string>`payload->>'timestamp'`, 'like', '2026-04-16T05:00:0%')
      .orderBy(sql`payload->>'timestamp'`)
      .execute();
    expect(rows.map((r) => r.status)).toEqual(['ignored', 'accepted']);
    expect((await inboxRows('i900010'))[0]).toMatchObject({ status: 'accepted' });
    await waitFor(() => jobFor('i900010'), { what: 'the upload in the same delivery to be queued' });
    await waitFor(async () => (await h.queues['sync-wellness'].getJobs(['delayed', 'waiting'])).some((j) => j.data.dates[0] === '2026-04-13'), {
      what: 'the real date to be synced',
    });
    const dates = (await h.queues['sync-wellness'].getJobs(['delayed', 'waiting'])).flatMap((j) => j.data.dates);
    expect(dates).not.toContain('2024-02-30');
    expect(dates).not.toContain('2024-13-45');
  });

  it('answers 503 when Postgres is unreachable, so Intervals.icu retries', async () => {
    const deadDb = createDb(`postgres://postgres@127.0.0.1:${await freePort()}/nothing`, { poolSize: 1 });
    try {
      const app = await h.build({ db: deadDb });
      const res = await post(uploadedBody('i900007'), app);
      expect(res.statusCode).toBe(503);
      expect(res.json()).toEqual({ error: { code: 'unavailable', message: expect.any(String) } });
      expect(res.body).not.toMatch(/ECONNREFUSED|127\.0\.0\.1/);
      const ready = await app.inject({ method: 'GET', url: '/ready' });
      expect(ready.statusCode).toBe(503);
      expect(ready.json()).toEqual({ status: 'not_ready', checks: { postgres: 'down', redis: 'ok' } });
    } finally {
      await deadDb.destroy();
    }
  });

  it('shares one INSERT between concurrent deliveries; each gets its own result', async () => {
    const flushes: number[] = [];
    const batcher = createInboxBatcher(h.db, { maxInFlight: 2, onFlush: (size) => flushes.push(size) });
    const app = await h.build({ batcher });
    const ids = Array.from({ length: 40 }, (_, i) => `i9100${String(i).padStart(2, '0')}`);
    const dup = uploadedBody('i910099');
    const responses = await Promise.all([...ids.map((id) => post(uploadedBody(id), app)), post(dup, app), post(dup, app)]);
    expect(responses.map((r) => r.statusCode)).toEqual(responses.map(() => 200));
    expect(responses.slice(0, 40).map((r) => r.json())).toEqual(ids.map(() => ({ ok: true, received: 1, stored: 1 })));
    // The same event in two concurrent deliveries: stored once, reported as new to exactly one of them.
    expect(responses.slice(40).map((r) => r.json().stored).sort()).toEqual([0, 1]);
    expect(flushes.reduce((a, b) => a + b, 0)).toBe(42);
    expect(flushes.length).toBeLessThan(42 / 2);
    const rows = await h.db.selectFrom('webhook_inbox').select('activity_id').where('activity_id', 'like', 'i910%').execute();
    expect(rows).toHaveLength(41);
    await batcher.close();
  });

  it('one delivery Postgres cannot take fails alone (400); the deliveries that shared its INSERT are stored', async () => {
    const flushes: { size: number; failed: boolean }[] = [];
    const batcher = createInboxBatcher(h.db, { maxInFlight: 1, onFlush: (size, _ms, err) => flushes.push({ size, failed: err !== undefined }) });
    // Straight into the batcher, in one tick: one shared INSERT for certain.
    const poisoned = { ...uploadedBody('i920000').events[0]!, type: 'ACTIVITY_UPLOADED\u0000' };
    const good = ['i920001', 'i920002'].map((id) => batcher.submit([toInboxEvent(uploadedBody(id).events[0]!)]));
    const bad = batcher.submit([toInboxEvent(poisoned)]);
    for (const p of good) expect((await p)[0]).toMatchObject({ status: 'accepted', athlete_id: h.athleteId });
    await expect(bad).rejects.toMatchObject({ code: '22P05' });
    expect(flushes[0]).toEqual({ size: 3, failed: true });
    expect(flushes.filter((f) => !f.failed).map((f) => f.size)).toEqual([1, 1]);
    await batcher.close();

    // Through the app, concurrently: the poisoned delivery gets a 4xx, the others their 200.
    const app = await h.build();
    const ids = Array.from({ length: 8 }, (_, i) => `i92001${i}`);
    const [refused, ...accepted] = await Promise.all([
      post({ secret: SECRET, events: [{ ...poisoned, activity: { id: 'i920099' } }] }, app),
      ...ids.map((id) => post(uploadedBody(id), app)),
    ]);
    expect(refused!.statusCode).toBe(400);
    expect(refused!.json()).toEqual({ error: { code: 'bad_request', message: expect.any(String) } });
    expect(accepted.map((r) => r.statusCode)).toEqual(ids.map(() => 200));
    const stored = await h.db.selectFrom('webhook_inbox').select('activity_id').where('activity_id', 'in', [...ids, 'i920099']).execute();
    expect(stored.map((r) => r.activity_id).sort()).toEqual(ids);
  });

  it('sets aside an event whose job the queue catalog refuses as rejected, with the reason; its delivery-mates are queued', async () => {
    const tooLong = `i${'9'.repeat(300)}`; // the catalog's ids are at most 200 characters
    const res = await post({ secret: SECRET, events: [uploadedBody(tooLong).events[0], uploadedBody('i930001').events[0]] });
    expect(res.json()).toEqual({ ok: true, received: 2, stored: 2 });
    await waitFor(() => jobFor('i930001'), { what: 'the good event to be queued' });
    await waitFor(async () => (await inboxDeliveryState(h.db, tooLong)) === 'rejected', { what: 'the bad event to be set aside' });
    expect(await inboxDeliveryState(h.db, 'i930001')).toBe('queued');
    const [row] = await inboxRows(tooLong);
    expect(row!.status_reason).toMatch(/fetch-activity payload refused by the queue catalog \(intervalsActivityId: /);
    expect(await h.db.selectFrom('webhook_inbox_pending').select('inbox_id').where('inbox_id', '=', row!.id).execute()).toHaveLength(0);
    expect(h.logLines.some((l) => l.includes('inbox row rejected'))).toBe(true);
  });

  it('never writes the secret to the logs or the stored payloads', async () => {
    await post(uploadedBody('i900008'));
    await post(uploadedBody('i900009', { secret: `${SECRET}-wrong` }));
    await post(`{"secret":"${SECRET}","events":[{"athlete_id":`);
    const logs = h.logLines.join('\n');
    expect(logs).toContain('request refused'); // the refusals were logged, at trace level everything is
    expect(logs).not.toContain(SECRET);
    const payloads = await h.db.selectFrom('webhook_inbox').select(sql<string>`payload::text`.as('p')).execute();
    expect(payloads.length).toBeGreaterThan(0);
    for (const { p } of payloads) {
      expect(p).not.toContain(SECRET);
      expect(p).not.toContain('"secret"');
    }
  });
});

describe('health and errors', () => {
  it('answers /health and /ready', async () => {
    expect((await h.app.inject({ method: 'GET', url: '/health' })).json()).toEqual({ status: 'ok' });
    const ready = await h.app.inject({ method: 'GET', url: '/ready' });
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toEqual({ status: 'ready', checks: { postgres: 'ok', redis: 'ok' } });
  });

  it('answers unknown routes with 404 in the same error shape', async () => {
    const res = await h.app.inject({ method: 'GET', url: '/nope' });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toEqual({ error: { code: 'not_found', message: expect.any(String) } });
  });
});
