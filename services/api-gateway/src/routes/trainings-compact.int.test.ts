import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { FastifyInstance } from 'fastify';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import type { RecordInterval, TrainingsResponse } from '@splits/contracts';
import { createApiToken, createAthlete, replaceSportSettings, setClassification, upsertWorkout, type Db } from '@splits/db';
import { createLogger } from '@splits/telemetry';
import { addDays, localDateIn } from '@splits/training';
import { createTestDatabase, runRecord, TEST_ENCRYPTION_KEY, type TestDatabase } from '@splits/testing';
import { buildApp } from '../app.js';
import { openTestQueues } from '../test-harness.js';

const q = openTestQueues('gwcompact');
let tdb: TestDatabase;
let app: FastifyInstance;
let baseUrl: string;
const clients: Client[] = [];

/**
 * `n` laps as a watch records them. A structured session: warm-up, (work, recovery) reps, cool-down
 * laps. An easy run: auto-lap every kilometre.
 */
function laps(n: number, seed: number, structured: boolean): { intervals: RecordInterval[]; roles: string[] } {
  const roles = Array.from({ length: n }, (_, i) =>
    !structured ? 'steady' : i === 0 ? 'warmup' : i >= n - 2 ? 'cooldown' : i % 2 === 1 ? 'work' : 'recovery',
  );
  const intervals = roles.map((role, i) => ({
    name: `Lap ${i + 1}`,
    type: role === 'work' ? 'WORK' : 'RECOVERY',
    moving_time: role === 'work' ? 240 + ((seed + i) % 7) : role === 'recovery' ? 90 : role === 'steady' ? 318 + ((seed * 3 + i) % 11) : 600,
    distance: role === 'work' ? 1000 + ((seed * 7 + i) % 13) * 1.37 : role === 'recovery' ? 231.4 : role === 'steady' ? 1000 : 1812.6,
    avg_hr: role === 'work' ? 166 + ((seed + i) % 9) : 139 + (i % 5),
    max_hr: role === 'work' ? 174 + ((seed + i) % 8) : 151,
    pace: role === 'work' ? `3:5${(seed + i) % 10}/km` : role === 'recovery' ? '6:29/km' : role === 'steady' ? `5:${String(18 + ((seed * 3 + i) % 11)).padStart(2, '0')}/km` : '5:31/km',
    avg_watts: null,
    cadence: role === 'work' ? 184 : 168,
    intensity: role === 'work' ? 104 : 71,
  }));
  return { intervals, roles };
}

/**
 * An ordinary athlete: runs of `lapCount` laps on consecutive days back from today, every fourth a
 * structured session paired with a planned workout, every fifth with a report, each classified as
 * the classify-worker stores it.
 */
async function athleteWithRuns(db: Db, label: string, runs: number, lapCount: number): Promise<{ athleteId: string; token: string; dates: string[] }> {
  const { id: athleteId } = await createAthlete(db, Buffer.from(TEST_ENCRYPTION_KEY, 'base64'), {
    name: label,
    timezone: 'Europe/Berlin',
    intervalsAthleteId: label,
    authKind: 'api_key',
    credential: `key-${label}`,
  });
  await replaceSportSettings(db, athleteId, [
    { id: 1, types: ['Run', 'TrailRun', 'VirtualRun'], lthr: 171, max_hr: 192, threshold_pace: 3.9683, hr_zones: [140, 154, 163, 171, 176, 181, 192], pace_zones: [77.5, 87.7, 94.3, 100, 103.4, 111.5, 999] },
    { id: 2, types: ['Ride'], ftp: 265, lthr: 165, power_zones: [55, 75, 90, 105, 120, 150, 999] },
  ]);
  const { token } = await createApiToken(db, athleteId, 'test');
  const today = localDateIn(new Date(), 'Europe/Berlin');
  const dates: string[] = [];
  for (let i = 0; i < runs; i++) {
    const date = addDays(today, -i);
    dates.push(date);
    const structured = i % 4 === 0;
    const { intervals, roles } = laps(lapCount, i, structured);
    const base = runRecord(`${label.replace(/\D/g, '')}${String(i).padStart(4, '0')}`, date);
    const km = structured ? 12 : lapCount;
    const record = {
      ...base,
      activityName: structured ? 'Track 6 x 1 km' : 'Easy run',
      distance: km + 0.4,
      splitsKm: Array.from({ length: km }, (_, k) => ({ km: k + 1, pace: `5:${String(10 + k).padStart(2, '0')}/km`, avgHr: 140 + k })),
      intervals,
      hrZones: [140, 154, 163, 171, 176, 181, 192],
      intervalSummary: structured ? { work: '6 x 1000 m', recovery: '90 s jog' } : null,
      userReport: i % 5 === 0 ? base.userReport : null,
      rpe: 7,
      feel: 2,
      race: false,
      planned: structured ? { eventId: 9000 + i, compliance: 96, name: '6 x 1 km', movingTime: 3600, distance: 12, load: 80 } : null,
    };
    const { id, rev } = await upsertWorkout(db, athleteId, record);
    const threshold = { thresholdSource: 'efforts' as const, thresholdPace: '4:12/km', settingsThresholdPace: '4:20/km', staleSettings: true };
    await setClassification(db, id, rev, {
      sessionType: structured ? 'Interval' : 'Easy',
      classification: structured
        ? { method: 'rules', confidence: 0.92, reason: '6 × 1 km at 104% of threshold pace, 90 s jog', ...threshold }
        : { method: 'rules', confidence: 0.88, reason: 'steady at 78% of threshold pace, HR below LT1', ...threshold },
      mainSet: structured ? { work: '6 x 1000 m', reps: 6, workTime: 1460, workDistance: 6.04, pace: '4:02/km', avgHr: 170, avgWatts: null, pctThresholdPace: 104, pctLthr: 99 } : null,
      intervalSummary: structured ? { work: '6 x 1000 m', recovery: '90 s jog' } : null,
      vdot: null,
      roles,
    });
  }
  return { athleteId, token, dates };
}

let thirty: Awaited<ReturnType<typeof athleteWithRuns>>;
let fifty: Awaited<ReturnType<typeof athleteWithRuns>>;
let heavy: Awaited<ReturnType<typeof athleteWithRuns>>;

beforeAll(async () => {
  tdb = await createTestDatabase('gwcompact');
  thirty = await athleteWithRuns(tdb.db, 'i8030', 30, 15);
  fifty = await athleteWithRuns(tdb.db, 'i8050', 50, 15);
  heavy = await athleteWithRuns(tdb.db, 'i8099', 50, 121);
  app = await buildApp({ db: tdb.db, queues: q.queues, log: createLogger('api-gateway', 'silent'), publicBaseUrl: 'http://127.0.0.1' });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const addr = app.server.address();
  baseUrl = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
}, 120_000);

afterAll(async () => {
  await Promise.all(clients.map((c) => c.close()));
  await app?.close();
  await tdb?.drop();
  await q.close();
});

const get = (url: string, token: string) => app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${token}` } });

async function tool(token: string, name: string, args: Record<string, unknown>): Promise<{ text: string; isError: boolean; data: unknown }> {
  const client = new Client({ name: 'compact-test', version: '1.0.0' }, { versionNegotiation: { mode: { pin: '2026-07-28' } } });
  await client.connect(new StreamableHTTPClientTransport(new URL('/mcp', baseUrl), { requestInit: { headers: { authorization: `Bearer ${token}` } } }));
  clients.push(client);
  const res = await client.callTool({ name, arguments: args });
  const text = (res.content as { text: string }[])[0]!.text;
  return { text, isError: res.isError === true, data: res.structuredContent };
}

describe('"review my last 30 runs with their intervals" in one call', () => {
  it('answers all 30 runs of 15 laps with intervals under 45,000 characters, over REST and MCP', async () => {
    const res = await get('/trainings?full=1&limit=30', thirty.token);
    expect(res.statusCode).toBe(200);
    expect(res.body.length).toBeLessThan(45_000);
    const body = res.json() as TrainingsResponse;
    expect(body).toMatchObject({ count: 30, hasMore: false, nextOffset: null });
    expect(body.note).toBeUndefined();
    expect(body.trainings.map((t) => t.localDate)).toEqual(thirty.dates);
    for (const t of body.trainings) {
      expect(t.intervals!.rows).toHaveLength(15);
      expect(t).not.toHaveProperty('hrZones');
    }
    // Column names once, then rows; rounded to what matters.
    const first = body.trainings[0]!;
    expect(first.intervals!.cols).toEqual(['role', 'secs', 'km', 'pace', 'hr', 'maxHr', 'cadence']);
    expect(first.intervals!.rows.slice(0, 3)).toEqual([
      ['warmup', 600, 1.81, '5:31', 139, 151, 168],
      ['work', 241, 1, '3:51', 167, 175, 184],
      ['recovery', 90, 0.23, '6:29', 141, 151, 168],
    ]);
    expect(first.splitsKm!.cols).toEqual(['km', 'pace', 'hr']);
    expect(first.splitsKm!.rows[0]).toEqual([1, '5:10', 140]);
    // An easy run on auto-lap: one role for every lap, and its laps are its km splits (not given twice).
    expect(body.trainings[1]!.intervals).toMatchObject({ role: 'steady', cols: ['secs', 'km', 'pace', 'hr', 'maxHr', 'cadence'] });
    expect(body.trainings[1]!.intervals!.rows[0]).toEqual([321, 1, '5:21', 139, 151, 168]);
    expect(body.trainings[1]).not.toHaveProperty('splitsKm');
    expect((await get('/trainings?limit=2', thirty.token)).json().trainings[1].splitsKm.rows).toHaveLength(15);
    // What the classification says about its threshold stays in each record (issue 12) …
    expect(first.classification).toEqual({
      method: 'rules',
      confidence: 0.92,
      reason: '6 × 1 km at 104% of threshold pace, 90 s jog',
      thresholdSource: 'efforts',
      thresholdPace: '4:12/km',
      settingsThresholdPace: '4:20/km',
      staleSettings: true,
    });
    expect(first).toMatchObject({ race: false, sessionType: 'Interval', planned: { compliance: 96 } });
    // … nulls are left out (vdot, speed, mainSet.avgWatts) …
    expect(first).not.toHaveProperty('vdot');
    expect(first).not.toHaveProperty('speed');
    expect(first.mainSet).not.toHaveProperty('avgWatts');
    expect(JSON.stringify(body.trainings)).not.toContain('null');
    // … and the athlete's thresholds and zones come once, for the sports in the answer.
    expect(body.athlete).toEqual({
      timezone: 'Europe/Berlin',
      sports: [{ sport: 'Run', thresholdPace: '4:12/km', lthr: 171, maxHr: 192, hrZones: [140, 154, 163, 171, 176, 181, 192], paceZones: [77.5, 87.7, 94.3, 100, 103.4, 111.5, 999] }],
    });
    expect(body.window).toEqual({ oldest: null, newest: null, timezone: 'Europe/Berlin' });

    const viaMcp = await tool(thirty.token, 'get_trainings', { full: true, limit: 30 });
    expect(viaMcp.isError).toBe(false);
    expect(viaMcp.text.length).toBeLessThan(45_000);
    expect(viaMcp.data).toEqual(body);
  });

  it('answers 50 such runs complete, or trimmed with hasMore, never an error', async () => {
    const res = await get('/trainings?full=1&limit=50', fifty.token);
    expect(res.statusCode).toBe(200);
    expect(res.body.length).toBeLessThan(75_000);
    const body = res.json() as TrainingsResponse;
    expect(body.count).toBe(50);
    expect(body.hasMore).toBe(false);

    const viaMcp = await tool(fifty.token, 'get_trainings', { full: true, limit: 50 });
    expect(viaMcp.isError).toBe(false);
    expect(viaMcp.text.length).toBeLessThan(75_000);
    const data = viaMcp.data as TrainingsResponse;
    expect(data.count === 50 || (data.hasMore && data.nextOffset === data.count && typeof data.note === 'string')).toBe(true);
  });

  it('trims a page that would pass the budget to the newest whole workouts, with a note on how to get the rest', async () => {
    const seen: string[] = [];
    let offset: number | null = 0;
    let pages = 0;
    while (offset !== null) {
      const res = await get(`/trainings?full=1&limit=50&offset=${offset}`, heavy.token);
      expect(res.statusCode).toBe(200);
      expect(res.body.length).toBeLessThan(100_000);
      const body = res.json() as TrainingsResponse;
      for (const t of body.trainings) expect(t.intervals!.rows).toHaveLength(121);
      seen.push(...body.trainings.map((t) => t.localDate!));
      if (body.nextOffset !== null) {
        expect(body.hasMore).toBe(true);
        expect(body.nextOffset).toBe(offset + body.count);
        expect(body.note).toContain(`offset=${body.nextOffset}`);
        expect(body.note).toContain(`${body.count} of `);
      }
      offset = body.nextOffset;
      pages += 1;
    }
    expect(pages).toBeGreaterThan(1);
    // Every workout exactly once, newest first, across the pages.
    expect(seen).toEqual(heavy.dates);

    // MCP keeps a tighter budget (a tool result the client accepts) and says the same.
    const viaMcp = await tool(heavy.token, 'get_trainings', { full: true, limit: 50 });
    expect(viaMcp.isError).toBe(false);
    expect(viaMcp.text.length).toBeLessThan(75_000);
    const data = viaMcp.data as TrainingsResponse;
    expect(data).toMatchObject({ hasMore: true, nextOffset: data.count, note: expect.stringContaining(`offset=${data.count}`) });
  });
});

describe('relative dates, resolved in the athlete time zone and echoed', () => {
  const today = () => localDateIn(new Date(), 'Europe/Berlin');

  it('takes today, -Nd, this-week and last-month and says which window it answered', async () => {
    const t = today();
    const recent = (await get('/trainings?oldest=-2d', thirty.token)).json() as TrainingsResponse;
    expect(recent.window).toEqual({ oldest: addDays(t, -2), newest: null, timezone: 'Europe/Berlin' });
    expect(recent.trainings.map((r) => r.localDate)).toEqual([t, addDays(t, -1), addDays(t, -2)]);

    const only = (await get('/trainings?oldest=today&newest=today', thirty.token)).json() as TrainingsResponse;
    expect(only.trainings.map((r) => r.localDate)).toEqual([t]);

    const week = (await get('/trainings?oldest=this-week', thirty.token)).json() as TrainingsResponse;
    const monday = week.window.oldest!;
    expect(new Date(`${monday}T00:00:00Z`).getUTCDay()).toBe(1);
    expect(week.window.newest).toBe(addDays(monday, 6));
    expect(monday <= t && t <= addDays(monday, 6)).toBe(true);

    const month = (await get('/trainings?oldest=last-month', thirty.token)).json() as TrainingsResponse;
    const thisMonthStart = `${t.slice(0, 7)}-01`;
    expect(month.window.newest).toBe(addDays(thisMonthStart, -1));
    expect(month.window.oldest).toBe(`${addDays(thisMonthStart, -1).slice(0, 7)}-01`);
    for (const r of month.trainings) expect(r.localDate!.slice(0, 7)).toBe(month.window.oldest!.slice(0, 7));

    const wellness = (await get('/wellness?oldest=-7d&newest=today', thirty.token)).json() as { window: unknown };
    expect(wellness.window).toEqual({ oldest: addDays(t, -7), newest: t, timezone: 'Europe/Berlin' });
    const viaMcp = await tool(thirty.token, 'get_planned_events', { oldest: 'tomorrow', newest: '+3d' });
    expect((viaMcp.data as { window: unknown }).window).toEqual({ oldest: addDays(t, 1), newest: addDays(t, 3), timezone: 'Europe/Berlin' });
  });

  it.each(['-7x', 'last-decade', 'now', '2026-02-30'])('refuses %s as a date bound with 400', async (bound) => {
    const res = await get(`/trainings?oldest=${bound}`, thirty.token);
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ error: { code: 'bad_request', message: expect.stringContaining('oldest') } });
  });
});
