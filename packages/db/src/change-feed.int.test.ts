import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { sql } from 'kysely';
import { createTestDatabase, runRecord, TEST_ENCRYPTION_KEY, type TestDatabase, waitFor } from '@splits/testing';
import {
  ChangeFeed,
  createApiToken,
  createAthlete,
  hashToken,
  InvalidatedCache,
  markWorkoutDeleted,
  saveWorkoutReport,
  setClassification,
  replaceSportSettings,
  upsertWorkout,
  insertOAuthTokens,
  parseChange,
  parseEncryptionKey,
  removeAthlete,
  revokeApiToken,
  revokeOAuthFamily,
  saveOAuthClient,
  storeAthleteSummary,
  type Change,
} from './index.js';

let t: TestDatabase;
let feed: ChangeFeed;
const seen: Change[] = [];
const key = parseEncryptionKey(TEST_ENCRYPTION_KEY);

/** Polls until `cond` holds (the shared waitFor, at a short interval). */
const until = (cond: () => boolean | Promise<boolean>, ms = 5_000) => waitFor(cond, { timeoutMs: ms, intervalMs: 10 });
const saw = (kind: string, k: string) => seen.some((c) => c.kind === kind && 'key' in c && c.key === k);

beforeAll(async () => {
  t = await createTestDatabase('feed');
  feed = new ChangeFeed(t.url, { applicationName: 'feed-test', retryMs: 50 });
  feed.subscribe((c) => seen.push(c));
  await feed.start();
});
afterAll(async () => {
  await feed?.close();
  await t?.drop();
});

async function athlete(n: string) {
  const { id } = await createAthlete(t.db, key, { intervalsAthleteId: `i${n}`, authKind: 'api_key', credential: `k${n}` });
  return id;
}

describe('parseChange', () => {
  it('reads kind:key and ignores anything else on the channel', () => {
    expect(parseChange('summary:ath_1')).toEqual({ kind: 'summary', key: 'ath_1' });
    expect(parseChange('token:ab:cd')).toEqual({ kind: 'token', key: 'ab:cd' });
    expect(parseChange('athlete:ath_1')).toEqual({ kind: 'athlete', key: 'ath_1' });
    for (const bad of [undefined, '', 'summary', 'summary:', ':x', 'other:x']) expect(parseChange(bad)).toBeNull();
  });
});

describe('ChangeFeed (migration 0009 triggers + LISTEN)', () => {
  it('is live after start and announced a reset for the new connection', () => {
    expect(feed.live).toBe(true);
    expect(seen[0]).toEqual({ kind: 'reset' });
  });

  it('hears a stored summary, on insert and on every rebuild', async () => {
    const id = await athlete('2001');
    const doc = { document: { a: 1 }, contentHash: 'h1', sizeChars: 7, buildMs: 1, reason: 'test' };
    await storeAthleteSummary(t.db, id, doc);
    await until(() => saw('summary', id));
    seen.length = 0;
    await storeAthleteSummary(t.db, id, doc); // same content: version stays, builtAt moves
    await until(() => saw('summary', id));
  });

  it('hears an API token revoked and tokens deleted with their athlete, by hash', async () => {
    const id = await athlete('2002');
    const one = await createApiToken(t.db, id, 'one');
    const two = await createApiToken(t.db, id, 'two');
    expect(await revokeApiToken(t.db, id, one.id)).toBe(true);
    await until(() => saw('token', hashToken(one.token)));
    expect(saw('token', hashToken(two.token))).toBe(false);
    await removeAthlete(t.db, id); // ON DELETE CASCADE fires the row trigger too
    await until(() => saw('token', hashToken(two.token)));
  });

  it('hears every token of a revoked OAuth family', async () => {
    const id = await athlete('2003');
    await saveOAuthClient(t.db, { clientId: 'c1', secretEnc: null, info: { client_name: 'test', redirect_uris: ['http://127.0.0.1/cb'] } });
    const tokens = ['spa_x1', 'spr_x1'].map((token, i) => ({
      token,
      kind: i === 0 ? ('access' as const) : ('refresh' as const),
      family: 'fam1',
      athleteId: id,
      clientId: 'c1',
      resource: 'http://127.0.0.1',
      scopes: '',
      expiresAt: new Date(Date.now() + 3_600_000),
    }));
    await insertOAuthTokens(t.db, tokens);
    expect(await revokeOAuthFamily(t.db, 'fam1')).toBe(2);
    await until(() => saw('token', hashToken('spa_x1')) && saw('token', hashToken('spr_x1')));
  });

  it('goes not live and resets when its connection dies, then listens again and resets again', async () => {
    seen.length = 0;
    const gen = feed.generation;
    await sql`select pg_terminate_backend(pid) from pg_stat_activity where application_name = 'feed-test' and datname = current_database()`.execute(t.db);
    await until(() => !feed.live);
    expect(seen).toContainEqual({ kind: 'reset' });
    await until(() => feed.live);
    expect(seen.filter((c) => c.kind === 'reset').length).toBe(2);
    expect(feed.generation).toBeGreaterThanOrEqual(gen + 2);
    // And it hears changes on the new connection.
    const id = await athlete('2004');
    await storeAthleteSummary(t.db, id, { document: {}, contentHash: 'h', sizeChars: 2, buildMs: 1, reason: 'test' });
    await until(() => saw('summary', id));
  });

  it('proves itself with probe notifications it hears back, which are not changes', async () => {
    const probing = new ChangeFeed(t.url, { applicationName: 'feed-probe-test', heartbeatMs: 30 });
    const changes: Change[] = [];
    probing.subscribe((c) => changes.push(c));
    await probing.start();
    expect(probing.live).toBe(true);
    const gen = probing.generation;
    await new Promise((r) => setTimeout(r, 400)); // ~13 heartbeats, each a probe heard back
    expect(probing.live).toBe(true);
    expect(probing.generation).toBe(gen);
    expect(changes).toEqual([{ kind: 'reset' }]);
    // Other listeners ignore the probes too.
    expect(seen.some((c) => 'key' in c && c.key.startsWith('probe'))).toBe(false);
    await probing.close();
  });

  it('never throws at start when Postgres is unreachable; it stays not live', async () => {
    const down = new ChangeFeed('postgres://postgres@127.0.0.1:1/none', { retryMs: 60_000 });
    await down.start();
    expect(down.live).toBe(false);
    await down.close();
  });
});

describe('InvalidatedCache', () => {
  it('is trusted only with a live feed and drops entries on their change and on reset', async () => {
    const cache = new InvalidatedCache<string>(feed, 'summary', { max: 10 });
    expect(cache.trusted).toBe(true);
    const id = await athlete('2005');
    const other = await athlete('2006');
    cache.set(id, 'a', cache.mark());
    cache.set(other, 'b', cache.mark());
    await storeAthleteSummary(t.db, id, { document: {}, contentHash: 'h', sizeChars: 2, buildMs: 1, reason: 'test' });
    await until(() => cache.get(id) === undefined);
    expect(cache.get(other)).toBe('b');
    expect(new InvalidatedCache<string>(null, 'token', { max: 10 }).trusted).toBe(false); // no feed, no trust
    cache.set(id, 'a2', cache.mark());
    await sql`select pg_terminate_backend(pid) from pg_stat_activity where application_name = 'feed-test' and datname = current_database()`.execute(t.db);
    await until(() => !feed.live);
    expect(cache.trusted).toBe(false);
    expect(cache.size).toBe(0);
    await until(() => feed.live);
  });

  it('does not keep a value read before a change that arrived before it was stored', async () => {
    const cache = new InvalidatedCache<string>(feed, 'summary', { max: 10 });
    const id = await athlete('2007');
    const mark = cache.mark();
    await storeAthleteSummary(t.db, id, { document: {}, contentHash: 'h', sizeChars: 2, buildMs: 1, reason: 'test' });
    await until(() => feed.generation !== mark);
    cache.set(id, 'read before the change', mark);
    expect(cache.get(id)).toBeUndefined();
    cache.set(id, 'read after', cache.mark());
    expect(cache.get(id)).toBe('read after');

    // Only a change of the same key counts: another athlete's rebuild does not block the store.
    const other = await athlete('2008');
    const mark2 = cache.mark();
    await storeAthleteSummary(t.db, other, { document: {}, contentHash: 'h', sizeChars: 2, buildMs: 1, reason: 'test' });
    await until(() => feed.generation !== mark2);
    cache.set(id, 'read while another changed', mark2);
    expect(cache.get(id)).toBe('read while another changed');

    // A reset (feed lost and regained) refuses every read marked before it.
    const mark3 = cache.mark();
    await sql`select pg_terminate_backend(pid) from pg_stat_activity where application_name = 'feed-test' and datname = current_database()`.execute(t.db);
    await until(() => feed.live && feed.generation >= mark3 + 2);
    cache.set(id, 'read before the reset', mark3);
    expect(cache.get(id)).toBeUndefined();
  });

  it('with groupOf, drops every entry of a group on its change (an athlete\'s workout, settings or time zone: migration 0025)', async () => {
    const cache = new InvalidatedCache<string>(feed, 'athlete', { max: 10, groupOf: (k) => k.split('|')[0]! });
    const id = await athlete('2009');
    const other = await athlete('2010');
    const fill = () => {
      for (const k of [`${id}|p1`, `${id}|p2`, `${other}|p1`]) cache.set(k, k, cache.mark());
    };
    const changes: [string, () => Promise<unknown>][] = [
      ['a workout stored', () => upsertWorkout(t.db, id, runRecord('a2201', '2026-05-02'))],
      ['a sport\'s settings', () => replaceSportSettings(t.db, id, [{ id: 1, types: ['Run'], lthr: 170 }])],
      ['the time zone', () => t.db.updateTable('athlete').set({ timezone: 'Europe/Oslo' }).where('id', '=', id).execute()],
    ];
    for (const [what, change] of changes) {
      fill();
      const mark = cache.mark();
      await change();
      await until(() => cache.get(`${id}|p1`) === undefined);
      expect([what, cache.get(`${id}|p2`), cache.get(`${other}|p1`)]).toEqual([what, undefined, `${other}|p1`]);
      // A page read before the change arrived is not kept, under any key of the group.
      cache.set(`${id}|p3`, 'raced', mark);
      expect(cache.get(`${id}|p3`)).toBeUndefined();
    }
  });

  it('keeps at most max entries, least recently used out first, and honours maxAge', async () => {
    const cache = new InvalidatedCache<number>(null, 'token', { max: 2, maxAgeMs: 40 });
    cache.set('a', 1, 0);
    cache.set('b', 2, 0);
    expect(cache.get('a')).toBe(1); // a is now the most recent
    cache.set('c', 3, 0);
    expect(cache.get('b')).toBeUndefined();
    expect([cache.get('a'), cache.get('c')]).toEqual([1, 3]);
    await new Promise((r) => setTimeout(r, 60));
    expect(cache.get('a')).toBeUndefined();
  });
});

describe('workout.record_rev (migrations 0010 and 0016: triggers)', () => {
  it('moves on every change of the composed record (its source, classification or report), whoever writes it, and only then', async () => {
    const id = await athlete('2101');
    const rev = async (wid: string) => (await t.db.selectFrom('workout').select('record_rev').where('id', '=', wid).executeTakeFirstOrThrow()).record_rev;
    const w = await upsertWorkout(t.db, id, runRecord('a2101', '2026-05-01'));
    expect(await rev(w.id)).toBe('0');
    await upsertWorkout(t.db, id, runRecord('a2101', '2026-05-01', { name: 'renamed' })); // re-fetch
    expect(await rev(w.id)).toBe('1');
    const again = await upsertWorkout(t.db, id, runRecord('a2101', '2026-05-01', { name: 'renamed' })); // same content again
    expect(await rev(w.id)).toBe('1');
    expect(await setClassification(t.db, w.id, again.rev, { sessionType: 'Interval' })).toBe(true); // classification
    expect(await rev(w.id)).toBe('2');
    await t.db.transaction().execute((trx) => saveWorkoutReport(trx, { workoutId: w.id, text: 'felt good', source: 'telegram', sourceRef: 'r1' })); // report
    expect(await rev(w.id)).toBe('3');
    await sql`update workout set record = record || '{"name":"by hand"}'::jsonb where id = ${w.id}`.execute(t.db); // manual SQL
    expect(await rev(w.id)).toBe('4');
    await t.db.updateTable('workout').set({ record_rev: '0' }).where('id', '=', w.id).execute(); // cannot be set back
    expect(await rev(w.id)).toBe('4');
    await markWorkoutDeleted(t.db, id, 'a2101'); // not a record change
    expect(await rev(w.id)).toBe('4');
  });
});
