import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { sql } from 'kysely';
import { pruneInbox } from '@splits/db';
import { createRedis } from '@splits/queue';
import { TEST_REDIS_URL, waitFor } from '@splits/testing';
import { INTERVALS_ATHLETE_ID, SECRET, startHarness, uploadedBody, type Harness } from './test-harness.js';
import { PRUNE_RETENTION_SCHEDULER, processPruneRetention, startRetention, syncRetentionSchedule } from './retention.processor.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness('retention');
  await h.db.insertInto('oauth_client').values({ client_id: 'cl_1', secret_enc: null, info: JSON.stringify({}) }).execute();
});
afterAll(async () => {
  await h?.close();
});

const DAY = 24 * 3600_000;
const ago = (ms: number) => new Date(Date.now() - ms);
const RETENTION = { inboxDays: 30, unknownAthleteDays: 7, expiredCodesDays: 1 };

let seq = 0;
/** An inbox row received `age` ms ago; `pending` puts it in the relay's work list (not yet queued). */
async function inboxRow(key: string, status: string, age: number, opts: { pending?: boolean } = {}) {
  const known = status !== 'unknown_athlete';
  const row = await h.db
    .insertInto('webhook_inbox')
    .values({
      dedupe_key: key,
      type: 'ACTIVITY_UPLOADED',
      intervals_athlete_id: known ? INTERVALS_ATHLETE_ID : 'i999999',
      athlete_id: known ? h.athleteId : null,
      activity_id: `i6${++seq}`,
      status: status as 'accepted',
      received_at: ago(age),
      payload: JSON.stringify({}),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  if (opts.pending) await h.db.insertInto('webhook_inbox_pending').values({ inbox_id: row.id, received_at: ago(age) }).execute();
}
const keys = async (prefix: string) =>
  (await h.db.selectFrom('webhook_inbox').select('dedupe_key').where('dedupe_key', 'like', `${prefix}%`).orderBy('dedupe_key').execute()).map((r) => r.dedupe_key);

/** One row of each kind of code or token, expired `age` ms ago (negative: still valid). */
async function grants(tag: string, expiredAgo: number) {
  const expires_at = ago(expiredAgo);
  await h.db.insertInto('login_code').values({ code_hash: `lc-${tag}`, athlete_id: h.athleteId, expires_at, used_at: null }).execute();
  await h.db.insertInto('telegram_link_code').values({ code_hash: `tl-${tag}`, athlete_id: h.athleteId, expires_at, used_at: null }).execute();
  await h.db
    .insertInto('oauth_authorization')
    .values({ id: `az-${tag}`, client_id: 'cl_1', redirect_uri: 'https://x', code_challenge: 'c', scopes: 'training', state: null, resource: 'https://r', athlete_id: h.athleteId, code_hash: `ac-${tag}`, expires_at, used_at: null })
    .execute();
  await h.db
    .insertInto('oauth_token')
    .values({ id: `otk-${tag}`, token_hash: `th-${tag}`, kind: 'refresh', family: `fam-${tag}`, athlete_id: h.athleteId, client_id: 'cl_1', resource: 'https://r', scopes: 'training', expires_at, revoked_at: null })
    .execute();
}
async function grantTags() {
  const [lc, tl, az, tk] = await Promise.all([
    h.db.selectFrom('login_code').select('code_hash as k').execute(),
    h.db.selectFrom('telegram_link_code').select('code_hash as k').execute(),
    h.db.selectFrom('oauth_authorization').select('id as k').execute(),
    h.db.selectFrom('oauth_token').select('id as k').execute(),
  ]);
  return { lc: lc.map((r) => r.k).sort(), tl: tl.map((r) => r.k).sort(), az: az.map((r) => r.k).sort(), tk: tk.map((r) => r.k).sort() };
}

describe('retention', () => {
  it('deletes only rows past their window; a pending accepted row is never deleted', async () => {
    await inboxRow('p-accepted-old', 'accepted', 31 * DAY);
    await inboxRow('p-accepted-new', 'accepted', 29 * DAY);
    await inboxRow('p-ignored-old', 'ignored', 31 * DAY);
    await inboxRow('p-ignored-new', 'ignored', 1 * DAY);
    await inboxRow('p-rejected-old', 'rejected', 31 * DAY);
    await inboxRow('p-pending-ancient', 'accepted', 400 * DAY, { pending: true });
    await inboxRow('p-unknown-old', 'unknown_athlete', 8 * DAY);
    await inboxRow('p-unknown-new', 'unknown_athlete', 6 * DAY);
    await grants('expired-2d', 2 * DAY);
    await grants('expired-12h', 12 * 3600_000);
    await grants('valid', -DAY);

    const counts = await processPruneRetention({ db: h.db, log: h.log }, RETENTION);
    expect(counts).toEqual({ processed: 3, unknownAthlete: 1, loginCodes: 1, telegramLinkCodes: 1, oauthAuthorizations: 1, oauthTokens: 1 });
    expect(await keys('p-')).toEqual(['p-accepted-new', 'p-ignored-new', 'p-pending-ancient', 'p-unknown-new']);
    expect(await grantTags()).toEqual({
      lc: ['lc-expired-12h', 'lc-valid'],
      tl: ['tl-expired-12h', 'tl-valid'],
      az: ['az-expired-12h', 'az-valid'],
      tk: ['otk-expired-12h', 'otk-valid'],
    });
    // Nothing left to do: a second run deletes nothing.
    expect(Object.values(await processPruneRetention({ db: h.db, log: h.log }, RETENTION)).every((n) => n === 0)).toBe(true);
  });

  it('deletes in batches until the window is clear', async () => {
    for (let i = 0; i < 12; i++) await inboxRow(`b-${String(i).padStart(2, '0')}`, 'ignored', 40 * DAY);
    expect(await pruneInbox(h.db, { processedDays: 30, unknownAthleteDays: 7, batchSize: 5 })).toEqual({ processed: 12, unknownAthlete: 0 });
    expect(await keys('b-')).toEqual([]);
  });

  it("keeps an unknown athlete's event without its payload: only what dedupe needs", async () => {
    const body = uploadedBody('i610001', { athlete: 'i999998' });
    expect((await h.app.inject({ method: 'POST', url: '/webhooks/intervals', payload: body })).json()).toEqual({ ok: true, received: 1, stored: 1 });
    const row = await h.db
      .selectFrom('webhook_inbox')
      .select(['status', 'dedupe_key', 'intervals_athlete_id', sql<string>`payload::text`.as('payload')])
      .where('activity_id', '=', 'i610001')
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({ status: 'unknown_athlete', intervals_athlete_id: 'i999998', payload: '{}' });
    // The redelivery is still recognised.
    expect((await h.app.inject({ method: 'POST', url: '/webhooks/intervals', payload: body })).json()).toEqual({ ok: true, received: 1, stored: 0 });
    // A known athlete's event keeps its payload (the relay and the workers read it), never the secret.
    await h.app.inject({ method: 'POST', url: '/webhooks/intervals', payload: uploadedBody('i610002') });
    const known = await h.db.selectFrom('webhook_inbox').select(sql<string>`payload::text`.as('p')).where('activity_id', '=', 'i610002').executeTakeFirstOrThrow();
    expect(JSON.parse(known.p)).toMatchObject({ type: 'ACTIVITY_UPLOADED', activity: { id: 'i610002' } });
    expect(known.p).not.toContain(SECRET);
  });

  it('runs on its own schedule in the ingress: one scheduler, and its job prunes', async () => {
    await inboxRow('s-old', 'ignored', 31 * DAY);
    const connection = createRedis(TEST_REDIS_URL);
    const retention = startRetention({ db: h.db, queues: h.queues, connection, prefix: h.prefix, log: h.log, everyMs: 3_600_000, retention: RETENTION });
    try {
      // The upsert queues a first run at once.
      await waitFor(async () => (await keys('s-')).length === 0, { what: 'the scheduled prune' });
      const schedulers = await h.queues['prune-retention'].getJobSchedulers(0, -1);
      expect(schedulers.map((s) => s.key ?? s.id)).toEqual([PRUNE_RETENTION_SCHEDULER]);
      expect(Number(schedulers[0]!.every)).toBe(3_600_000);
      // Another replica (or the next beat) leaves an unchanged scheduler alone.
      expect(await syncRetentionSchedule(h.queues, 3_600_000)).toBe(false);
    } finally {
      await retention.stop();
      await connection.quit();
    }
  });
});
