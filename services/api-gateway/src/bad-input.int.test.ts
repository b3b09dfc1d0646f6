import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { saveAthleteProfile } from '@splits/db';
import { addDays, todayUtc } from './services/window.js';
import { seedAthlete, startHarness, type Harness } from './test-harness.js';

/**
 * Bad input the security review found answered with 500 (Postgres refusing what the schemas let
 * through): each is a 400 `{error:{code,message}}` over REST and a tool error naming the problem
 * over MCP. bad-input.property.int.test.ts throws generated input at every route and tool; these
 * cases are checked on every run.
 */

let gw: Harness;
let mcp: Client;

beforeAll(async () => {
  gw = await startHarness('gwbadinput');
  mcp = new Client({ name: 'bad-input-test', version: '1.0.0' }, { versionNegotiation: { mode: { pin: '2026-07-28' } } });
  await mcp.connect(
    new StreamableHTTPClientTransport(new URL('/mcp', gw.baseUrl), { requestInit: { headers: { authorization: `Bearer ${gw.athlete.token}` } } }),
  );
});

afterAll(async () => {
  await mcp?.close();
  await gw?.close();
});

const IMPOSSIBLE_DATES = ['2024-02-30', '2024-13-01', '2023-02-29', '2024-04-31', '2024-00-10', '0000-01-01'];
const workout = (over: Record<string, unknown> = {}) => ({
  externalId: 'bad-input-1',
  date: addDays(todayUtc(), 3),
  type: 'Run',
  name: 'Easy',
  description: '- 30m Z2 HR',
  ...over,
});

async function rest(method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, body?: unknown) {
  return gw.app.inject({
    method,
    url,
    headers: { authorization: `Bearer ${gw.athlete.token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    payload: body === undefined ? undefined : JSON.stringify(body),
  });
}

/** A 400 in the one error shape whose message names `field` (and says what is wrong with it). */
async function expectBadRequest(method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, body: unknown, field: string, why: RegExp) {
  const res = await rest(method, url, body);
  expect({ status: res.statusCode, body: res.json() }).toEqual({
    status: 400,
    body: { error: { code: 'bad_request', message: expect.stringContaining(field) } },
  });
  expect((res.json() as { error: { message: string } }).error.message).toMatch(why);
}

/** A tool error (isError, or JSON-RPC invalid params) whose text names `field`; never an internal error. */
async function expectToolError(name: string, args: Record<string, unknown>, field: string, why: RegExp) {
  let text: string;
  try {
    const res = await mcp.callTool({ name, arguments: args });
    expect(res.isError).toBe(true);
    text = (res.content as { type: string; text: string }[]).map((c) => c.text).join('\n');
  } catch (err) {
    expect((err as { code?: number }).code).toBe(-32602);
    text = (err as Error).message;
  }
  expect(text).not.toMatch(/internal/i);
  expect(text).toContain(field);
  expect(text).toMatch(why);
}

const NOT_A_DATE = /calendar date/;
const TOO_BIG = /less than or equal|too big|<=/i;
const NUL = /NUL/;

describe('impossible calendar dates are a 400 / tool error', () => {
  it.each(IMPOSSIBLE_DATES)('REST query windows: %s', async (d) => {
    for (const path of ['/trainings', '/wellness', '/events', '/review']) {
      await expectBadRequest('GET', `${path}?oldest=${d}`, undefined, 'oldest', NOT_A_DATE);
      await expectBadRequest('GET', `${path}?newest=${d}`, undefined, 'newest', NOT_A_DATE);
    }
    await expectBadRequest('DELETE', `/events?oldest=${d}&dry_run=1`, undefined, 'oldest', NOT_A_DATE);
  });

  it.each(IMPOSSIBLE_DATES)('REST bodies: %s', async (d) => {
    for (const dryRun of [true, false]) {
      await expectBadRequest('POST', '/events', { workouts: [workout({ date: d })], dry_run: dryRun }, 'workouts.0.date', NOT_A_DATE);
    }
    await expectBadRequest('PATCH', '/profile', { goals: [{ name: 'Berlin', date: d }] }, 'goals.0.date', NOT_A_DATE);
  });

  it('a goal date stored before dates were checked reads as null, not a 500', async () => {
    const { athleteId, token } = await seedAthlete(gw.db, 'i9090', []);
    const goals = [{ name: 'Leap race', date: '2025-02-29', distance: null, target: null, priority: 'A', notes: null }];
    await saveAthleteProfile(gw.db, athleteId, { about: null, goals, rules: [], strategy: null }, { source: 'edit' });
    await saveAthleteProfile(gw.db, athleteId, { about: 'later', goals: [], rules: [], strategy: null }, { source: 'edit' });
    const as = (method: 'GET' | 'POST', url: string, body?: unknown) =>
      gw.app.inject({ method, url, headers: { authorization: `Bearer ${token}` }, ...(body ? { payload: body as object } : {}) });
    expect((await as('GET', '/profile/history')).json()).toMatchObject({ revisions: [{ revision: 2 }, { revision: 1, profile: { goals: [{ name: 'Leap race', date: null }] } }] });
    expect((await as('POST', '/profile/restore', { revision: 1 })).json()).toMatchObject({ revision: 3, goals: [{ name: 'Leap race', date: null }] });
    expect((await as('GET', '/profile')).json()).toMatchObject({ revision: 3, goals: [{ name: 'Leap race', date: null, priority: 'A' }] });
  });

  it('a start time is a real time of day', async () => {
    for (const time of ['24:00', '12:60', '99:99']) {
      await expectBadRequest('POST', '/events', { workouts: [workout({ time })], dry_run: true }, 'workouts.0.time', /00:00-23:59/);
    }
    expect((await rest('POST', '/events', { workouts: [workout({ time: '23:59' })], dry_run: true })).statusCode).toBe(200);
  });

  it.each(IMPOSSIBLE_DATES)('MCP tools: %s', async (d) => {
    for (const tool of ['get_trainings', 'get_wellness', 'get_planned_events', 'get_review']) {
      await expectToolError(tool, { oldest: d }, 'oldest', NOT_A_DATE);
      await expectToolError(tool, { newest: d }, 'newest', NOT_A_DATE);
    }
    await expectToolError('delete_planned_workouts', { oldest: d, dry_run: true }, 'oldest', NOT_A_DATE);
    await expectToolError('upsert_planned_workouts', { workouts: [workout({ date: d })], dry_run: true }, 'date', NOT_A_DATE);
  });

  it('still answers real dates, leap days and the edges of the calendar', async () => {
    expect((await rest('GET', '/trainings?oldest=2024-02-29&newest=2026-03-02')).json()).toMatchObject({ count: 2 });
    expect((await rest('GET', '/wellness?oldest=2024-02-29&newest=2024-03-01')).statusCode).toBe(200);
    expect((await rest('GET', '/events?oldest=9999-12-31')).statusCode).toBe(200);
    expect((await rest('GET', '/wellness?newest=0001-01-01')).statusCode).toBe(200);
    const res = await mcp.callTool({ name: 'get_wellness', arguments: { oldest: '2000-02-29', newest: '2000-03-01' } });
    expect(res.isError).toBeFalsy();
  });
});

describe('integers out of range are a 400 / tool error', () => {
  it.each(['1e20', '9007199254740993', '100001', '-1', 'NaN', 'Infinity'])('GET /trainings?offset=%s', async (offset) => {
    await expectBadRequest('GET', `/trainings?offset=${offset}`, undefined, 'offset', /./);
  });

  it('keeps a large but documented offset working', async () => {
    expect((await rest('GET', '/trainings?offset=100000')).json()).toMatchObject({ count: 0, hasMore: false });
  });

  it.each([1e20, 2 ** 53, 100_001])('get_trainings offset %s', async (offset) => {
    await expectToolError('get_trainings', { offset }, 'offset', TOO_BIG);
  });

  it.each([2 ** 31, 2 ** 53, 1e20])('profile before/revision %s (above Postgres int4)', async (n) => {
    await expectBadRequest('GET', `/profile/history?before=${n}`, undefined, 'before', TOO_BIG);
    await expectBadRequest('PATCH', '/profile', { about: 'x', revision: n }, 'revision', TOO_BIG);
    await expectBadRequest('POST', '/profile/restore', { revision: n }, 'revision', TOO_BIG);
    await expectBadRequest('GET', `/summary?version=${n}`, undefined, 'version', TOO_BIG);
  });

  it('keeps the largest int4 revision working (a stale edit, not found)', async () => {
    expect((await rest('GET', `/profile/history?before=${2 ** 31 - 1}`)).json()).toMatchObject({ revisions: [{ revision: 2 }, { revision: 1 }] });
    expect((await rest('PATCH', '/profile', { about: 'x', revision: 2 ** 31 - 1 })).statusCode).toBe(409);
    expect((await rest('POST', '/profile/restore', { revision: 2 ** 31 - 1 })).statusCode).toBe(404);
  });
});

describe('NUL characters (\\u0000) are refused with a 400 / tool error', () => {
  it('in a path parameter', async () => {
    await expectBadRequest('GET', '/trainings/trn_%00x', undefined, 'id', NUL);
    await expectToolError('get_training', { id: 'trn_\u0000x' }, 'id', NUL);
  });

  it('in profile texts', async () => {
    await expectBadRequest('PATCH', '/profile', { about: 'a\u0000b' }, 'about', NUL);
    await expectBadRequest('PATCH', '/profile', { strategy: '\u0000' }, 'strategy', NUL);
    await expectBadRequest('PATCH', '/profile', { rules: ['ok', 'no\u0000'] }, 'rules.1', NUL);
    await expectBadRequest('PATCH', '/profile', { goals: [{ name: 'Berlin\u0000' }] }, 'goals.0.name', NUL);
    await expectBadRequest('PATCH', '/profile', { goals: [{ name: 'Berlin', notes: '\u0000' }] }, 'goals.0.notes', NUL);
    // An unpaired surrogate: jsonb refuses its \ud800 escape just the same.
    await expectBadRequest('PATCH', '/profile', { rules: ['ok', 'half \uD83C of a runner'] }, 'rules.1', /unpaired surrogate/);
    expect((await rest('PATCH', '/profile', { rules: ['whole 🏃 runner'] })).json()).toMatchObject({ rules: ['whole 🏃 runner'] });
  });

  it('in planned workouts, before anything reaches Intervals.icu', async () => {
    const writes = gw.fake.writes.length;
    for (const over of [{ name: 'Easy\u0000' }, { description: '- 30m Z2 HR\u0000' }]) {
      const field = Object.keys(over)[0]!;
      await expectBadRequest('POST', '/events', { workouts: [workout(over)] }, `workouts.0.${field}`, NUL);
      await expectToolError('upsert_planned_workouts', { workouts: [workout(over)] }, field, NUL);
    }
    expect(gw.fake.writes.length).toBe(writes);
  });
});

/** What the property test found beyond the review's list; the OAuth endpoints answer in OAuth's own error shape (RFC 6749 §5.2). */
describe('other 5xx found by the property test', () => {
  const http = (path: string, init: RequestInit = {}) => fetch(`${gw.baseUrl}${path}`, { redirect: 'manual', ...init });
  const form = (body: string): RequestInit => ({ method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body });
  const json = (body: string): RequestInit => ({ method: 'POST', headers: { 'content-type': 'application/json' }, body });
  let clientId: string;

  beforeAll(async () => {
    const res = await http('/register', json(JSON.stringify({ redirect_uris: ['https://a.example/cb'], client_name: 'ok', token_endpoint_auth_method: 'none' })));
    clientId = ((await res.json()) as { client_id: string }).client_id;
  });

  it('POST /oauth/login without a form body, or with a NUL in request_id, is the expired-sign-in page', async () => {
    for (const init of [{ method: 'POST' }, json('{}'), form('request_id=%00&code=x')]) {
      const res = await http('/oauth/login', init);
      expect(res.status).toBe(400);
      expect(await res.text()).toContain('This sign-in request is unknown, expired or already used.');
    }
  });

  it.each([
    ['a JSON string', '"2024-02-30"', 'invalid_request'],
    ['broken JSON', '{"redirect_uris":[', 'invalid_request'],
    ['a NUL in client_name', JSON.stringify({ redirect_uris: ['https://a.example/cb'], client_name: 'a\u0000' }), 'invalid_client_metadata'],
    ['an unpaired surrogate in client_name', JSON.stringify({ redirect_uris: ['https://a.example/cb'], client_name: 'a\uD800' }), 'invalid_client_metadata'],
  ])('POST /register with %s is a 400', async (_label, body, error) => {
    const res = await http('/register', json(body));
    expect({ status: res.status, body: await res.json() }).toEqual({ status: 400, body: { error, error_description: expect.any(String) } });
  });

  it('a NUL in client_id is an unknown client at /authorize, /token and /revoke', async () => {
    const challenge = 'a'.repeat(43);
    const responses = [
      await http(`/authorize?response_type=code&code_challenge_method=S256&code_challenge=${challenge}&client_id=%00&redirect_uri=https://a.example/cb`),
      await http('/token', form('grant_type=authorization_code&client_id=%00&code=x&code_verifier=y')),
      await http('/revoke', form('token=x&client_id=%00')),
    ];
    for (const res of responses) {
      expect({ status: res.status, body: await res.json() }).toEqual({ status: 400, body: { error: 'invalid_client', error_description: expect.any(String) } });
    }
  });

  it('a NUL in state goes back to the client as invalid_request', async () => {
    const res = await http(`/authorize?response_type=code&code_challenge_method=S256&code_challenge=${'a'.repeat(43)}&client_id=${clientId}&redirect_uri=https://a.example/cb&state=%00`);
    expect(res.status).toBe(302);
    expect(new URL(res.headers.get('location')!).searchParams.get('error')).toBe('invalid_request');
  });

  it('a URL that does not decode is a 400 in the one error shape', async () => {
    const res = await rest('GET', '/trainings/%');
    expect({ status: res.statusCode, body: res.json() }).toEqual({ status: 400, body: { error: { code: 'bad_request', message: expect.stringContaining('url') } } });
  });
});
