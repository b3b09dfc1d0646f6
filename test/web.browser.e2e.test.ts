import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { createLoginCode, findAthleteIdByToken, upsertActivitySource, upsertWorkout } from '@splits/db';
import { startServices, type RunningServices } from '@splits/cli';
import { freePort } from '@splits/config';
import { classifySession, normalizeActivity } from '@splits/training';
import { createTestDatabase, generateStreams, REPO_ROOT, streamsToWire, TEST_REDIS_URL, testQueuePrefix, waitFor, type TestDatabase } from '@splits/testing';
import { serviceEnv, startWorld } from './helpers.js';

/**
 * The athlete's pages in a real Chromium (Debian's `chromium`, installed by scripts/bootstrap.sh):
 * sign in with a code, every page at desktop and phone width (screenshots under test/screenshots/),
 * axe-core on each page, a report edited and written back to the fake Intervals.icu by the real
 * fetch-worker, a token created and revoked, the language switched.
 */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SHOTS = join(REPO_ROOT, 'test', 'screenshots');
const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

let tdb: TestDatabase;
let world: Awaited<ReturnType<typeof startWorld>>;
let svc: RunningServices;
let browser: Browser;
let workoutId = '';
let activityId = '';

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM}: run scripts/bootstrap.sh (Debian: apt-get install -y chromium) or set CHROMIUM_PATH`);
  mkdirSync(SHOTS, { recursive: true });
  tdb = await createTestDatabase('webbrowser');
  world = await startWorld(tdb.db);
  // A few weeks of history as the pipeline stores it, each run with its full streams.
  for (const a of world.generated.activities.slice(-20)) {
    const activity = { ...a.activity, icu_intervals: a.icu_intervals, icu_groups: a.icu_groups } as never;
    const record = normalizeActivity({ activity });
    const { id } = await upsertWorkout(tdb.db, world.athleteId, { ...record, sessionType: classifySession(record, activity).sessionType });
    const streams = streamsToWire(generateStreams(a.plan, a.profile, { latlng: false }), ['time', 'distance', 'velocity_smooth', 'heartrate', 'altitude']);
    await upsertActivitySource(tdb.db, { athleteId: world.athleteId, intervalsActivityId: a.activity.id, activity, intervals: null, streams, wellness: null });
    if (a.plan.sport === 'Run') [workoutId, activityId] = [id, String(a.activity.id)];
  }
  const env = serviceEnv(world, { dbUrl: tdb.url, redisUrl: TEST_REDIS_URL, prefix: testQueuePrefix('webbr') });
  // Form posts must come from WEB_PUBLIC_URL's origin, and the gateway sends sign-ins back there: the ports are chosen first.
  const [webPort, gatewayPort] = [await freePort(), await freePort()];
  svc = await startServices({
    services: ['web', 'fetch-worker', 'api-gateway'],
    ports: { web: webPort, 'api-gateway': gatewayPort },
    env: {
      ...env,
      LOG_LEVEL: 'warn',
      WEB_PUBLIC_URL: `http://127.0.0.1:${webPort}`,
      PUBLIC_BASE_URL: `http://127.0.0.1:${gatewayPort}`,
      // The simulated Intervals.icu's OAuth app: "Sign in with Intervals.icu" runs against it.
      INTERVALS_CLIENT_ID: world.intervals.oauth.clientId,
      INTERVALS_CLIENT_SECRET: world.intervals.oauth.clientSecret,
      BACKFILL_WEEKS: '1',
      TELEGRAM_BOT_USERNAME: 'SplitsTestBot',
    },
  });
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-dev-shm-usage'] });
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await svc?.stop();
  await world?.close();
  await tdb?.drop();
});

async function axe(page: Page): Promise<string[]> {
  await page.evaluate(axeSource);
  const result = await page.evaluate(async () => (globalThis as unknown as { axe: { run(o: unknown): Promise<{ violations: { id: string; impact: string | null; nodes: unknown[] }[] }> } }).axe.run({ resultTypes: ['violations'] }));
  return result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id} (${v.nodes.length})`);
}

describe('the web pages in Chromium', () => {
  it('sign in, every page (axe, screenshots), a report written back, a token, the language', async () => {
    const base = svc.urls.web;
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const { code } = await createLoginCode(tdb.db, world.athleteId, 60_000);
    await page.goto(`${base}/signin?code=${code}`);
    expect(await axe(page)).toEqual([]);
    await page.screenshot({ path: join(SHOTS, 'signin-desktop.png'), fullPage: true });
    await page.click('button[type=submit]');
    await page.waitForURL(`${base}/`);

    const pages = { today: '/', history: '/history', workout: `/workouts/${workoutId}`, trends: '/trends', goals: '/goals', connections: '/connections', privacy: '/privacy' };
    const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, storageState: await context.storageState() });
    const phonePage = await phone.newPage();
    for (const [name, path] of Object.entries(pages)) {
      const res = await page.goto(`${base}${path}`);
      expect(res?.status()).toBe(200);
      if (name === 'workout' || name === 'trends') await page.waitForSelector('.uplot', { timeout: 15_000 });
      expect({ name, violations: await axe(page) }).toEqual({ name, violations: [] });
      await page.screenshot({ path: join(SHOTS, `${name}-desktop.png`), fullPage: true });
      await phonePage.goto(`${base}${path}`);
      if (name === 'workout') await phonePage.waitForSelector('.uplot', { timeout: 15_000 });
      // Mobile first: nothing wider than the phone's screen.
      expect(await phonePage.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
      await phonePage.screenshot({ path: join(SHOTS, `${name}-phone.png`), fullPage: true });
    }

    // The report editor: saved as a revision, written to the Intervals.icu description by the fetch-worker.
    await page.goto(`${base}/workouts/${workoutId}`);
    const text = 'Browser report: steady, felt easy, calves fine.';
    await page.fill('#report-text', text);
    await page.click('#report form[action$="/report"] button[type=submit]');
    await page.waitForURL(/saved=/);
    await waitFor(
      () => world.intervals.writes.some((w) => w.method === 'PUT' && w.path === `/api/v1/activity/${activityId}` && String((w.body as { description?: string }).description).includes(text)),
      { timeoutMs: 30_000, what: 'the description written back' },
    );
    await page.waitForSelector('[data-report-state][data-status="written"]', { timeout: 30_000 });

    // A token: shown once, then revoked.
    await page.goto(`${base}/connections`);
    await page.fill('#tk-label', 'Browser GPT');
    await page.click('form[action="/connections/tokens"] button');
    const token = (await page.textContent('#new-token'))!.trim();
    expect(await findAthleteIdByToken(tdb.db, token)).toBe(world.athleteId);
    await page.click('tr:has-text("Browser GPT") button');
    await page.waitForURL(/connections/);
    expect(await findAthleteIdByToken(tdb.db, token)).toBeNull();

    // The Telegram link: a deep link and its QR code.
    await page.click('form[action="/connections/telegram"] button');
    await page.waitForSelector('figure.qr-figure svg.qr[role="img"]');
    const deepLink = (await page.textContent('.card[role="status"] p.token'))!.trim();
    expect(deepLink).toMatch(/^https:\/\/t\.me\/SplitsTestBot\?start=/);
    expect(await axe(page)).toEqual([]);
    await page.screenshot({ path: join(SHOTS, 'connections-telegram-desktop.png'), fullPage: true });

    // The language: Russian is remembered across pages.
    await page.click('a[hreflang="ru"]');
    await page.goto(`${base}/history`);
    expect(await page.getAttribute('html', 'lang')).toBe('ru');
    expect(await axe(page)).toEqual([]);
    await page.screenshot({ path: join(SHOTS, 'history-ru-desktop.png'), fullPage: true });
    await context.close();
    await phone.close();
  }, 180_000);

  it('signs in with Intervals.icu through the gateway, only in the browser that started it', async () => {
    const base = svc.urls.web;
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await page.goto(`${base}/signin`);
    expect(await axe(page)).toEqual([]);
    // Web → the gateway's connect → the simulated Intervals.icu's consent (approves at once) → the gateway's callback → back here.
    await page.click('#signin-intervals');
    await page.waitForURL(`${base}/`);
    expect(await page.textContent('h1')).toBeTruthy();
    const sessions = await tdb.db.selectFrom('web_session').select('method').where('athlete_id', '=', world.athleteId).where('revoked_at', 'is', null).execute();
    expect(sessions.map((r) => r.method)).toContain('intervals');

    // Someone else's return link: their own round trip, made here hop by hop and stopped before it reaches their browser.
    let next = `${base}/signin/intervals`;
    while (!next.startsWith(`${base}/signin/intervals/done`)) {
      const hop = await fetch(next, { redirect: 'manual' });
      expect([302, 303]).toContain(hop.status);
      next = new URL(hop.headers.get('location')!, next).toString();
    }
    const stolen = next;
    const victim = await (await browser.newContext()).newPage();
    const res = await victim.goto(stolen);
    expect(res?.status()).toBe(400);
    expect(await victim.textContent('[role="alert"]')).toContain('another browser');
    expect((await victim.context().cookies()).some((c) => c.name === 'splits-session')).toBe(false);
    await victim.context().close();
    await context.close();
  }, 120_000);
});
