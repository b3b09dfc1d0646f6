import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { FastifyInstance } from 'fastify';
import { createLogger } from '@splits/telemetry';
import { createTestDatabase, type TestDatabase } from '@splits/testing';
import { buildApp } from '../app.js';
import { openTestQueues, seedAthlete, type SeededAthlete } from '../test-harness.js';

const q = openTestQueues('gwprof');
let tdb: TestDatabase;
let app: FastifyInstance;
let a: SeededAthlete;
let b: SeededAthlete;

beforeAll(async () => {
  tdb = await createTestDatabase('gwprof');
  a = await seedAthlete(tdb.db, 'i7107', []);
  b = await seedAthlete(tdb.db, 'i8108', []);
  app = await buildApp({ db: tdb.db, queues: q.queues, log: createLogger('api-gateway', 'silent'), publicBaseUrl: 'http://127.0.0.1' });
});
afterAll(async () => {
  await app?.close();
  await tdb?.drop();
  await q.close();
});

const call = (method: 'GET' | 'PATCH' | 'POST', url: string, token: string, payload?: unknown) =>
  app.inject({ method, url, headers: { authorization: `Bearer ${token}` }, ...(payload === undefined ? {} : { payload: payload as object }) });
const goals = [{ name: 'Berlin Marathon', date: '2026-09-27', distance: 'Marathon', target: 'sub 3:15 ', priority: 'A' }];

describe('profile', () => {
  it('starts empty at revision 0', async () => {
    expect((await call('GET', '/profile', a.token)).json()).toEqual({ about: null, goals: [], rules: [], strategy: null, revision: 0, updatedAt: null });
  });

  it('saves an edit verbatim as a new revision and asks for a summary rebuild', async () => {
    const strategy = '  Base until May.\n\nThen threshold focus ';
    const res = await call('PATCH', '/profile', a.token, { goals, rules: ['No two hard days in a row'], strategy, revision: 0 });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ revision: 1, strategy, rules: ['No two hard days in a row'], goals: [{ ...goals[0], notes: null }] });
    const jobs = await q.queues['build-summary'].getJobs(['delayed', 'waiting']);
    expect(jobs.map((j) => j.data)).toEqual([{ athleteId: a.athleteId, reason: 'profile' }]);
  });

  it('changes only the fields given and refuses a stale revision with 409', async () => {
    const res = await call('PATCH', '/profile', a.token, { strategy: 'Marathon block', revision: 1 });
    expect(res.json()).toMatchObject({ revision: 2, strategy: 'Marathon block', rules: ['No two hard days in a row'] });
    const stale = await call('PATCH', '/profile', a.token, { strategy: 'lost edit', revision: 1 });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().error.code).toBe('conflict');
  });

  it('rejects bad input with 400', async () => {
    for (const body of [{ goals: 'run fast' }, { rules: [''] }, { goals: [{ name: 'X', date: '27.09.2026' }] }, { strategy: 'x'.repeat(8001) }]) {
      const res = await call('PATCH', '/profile', a.token, body);
      expect(res.statusCode).toBe(400);
      expect(res.json().error.code).toBe('bad_request');
    }
  });

  it('keeps the history and restores an earlier revision as a new one', async () => {
    const history = (await call('GET', '/profile/history?limit=1', a.token)).json();
    expect(history.revisions.map((r: { revision: number }) => r.revision)).toEqual([2]);
    expect(history.nextBefore).toBe(2);
    const older = (await call('GET', '/profile/history?before=2', a.token)).json();
    expect(older.revisions[0]).toMatchObject({ revision: 1, source: 'edit', profile: { strategy: '  Base until May.\n\nThen threshold focus ' } });
    const restored = await call('POST', '/profile/restore', a.token, { revision: 1 });
    expect(restored.json()).toMatchObject({ revision: 3, strategy: '  Base until May.\n\nThen threshold focus ' });
    expect((await call('GET', '/profile/history?limit=1', a.token)).json().revisions[0]).toMatchObject({ revision: 3, source: 'restore', restoredFrom: 1 });
    expect((await call('POST', '/profile/restore', a.token, { revision: 99 })).statusCode).toBe(404);
  });

  // That the summary shows the profile is the summary-worker's (build-summary.int.test.ts): the gateway only asks for the rebuild.
  it("is the token's athlete's only", async () => {
    expect((await call('GET', '/profile', b.token)).json().revision).toBe(0);
    expect((await call('POST', '/profile/restore', b.token, { revision: 1 })).statusCode).toBe(404);
  });
});
