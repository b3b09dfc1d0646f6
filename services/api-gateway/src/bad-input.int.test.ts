import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { addDays, todayUtc } from './services/window.js';
import { startFullGateway, type FullGateway } from './test-support.js';

/**
 * Bad input the security review found answered with 500 (Postgres refusing what the schemas let
 * through): each is a 400 `{error:{code,message}}` over REST and a tool error naming the problem
 * over MCP. bad-input.property.int.test.ts throws generated input at every route and tool; these
 * cases are checked on every run.
 */

let gw: FullGateway;
let mcp: Client;

beforeAll(async () => {
  gw = await startFullGateway('gwbadinput');
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
    for (const path of ['/trainings', '/wellness', '/events']) {
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

  it.each(IMPOSSIBLE_DATES)('MCP tools: %s', async (d) => {
    for (const tool of ['get_trainings', 'get_wellness', 'get_planned_events']) {
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
