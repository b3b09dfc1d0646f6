import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readDotEnv } from '@splits/config';
import {
  createTestDatabase,
  dropQueuePrefix,
  freePort,
  REPO_ROOT,
  startFakeIntervals,
  startFakeTelegram,
  TEST_REDIS_URL,
  testQueuePrefix,
  waitFor,
  type FakeIntervals,
  type FakeTelegram,
  type TestDatabase,
} from '@splits/testing';

/**
 * A self-hoster's first run: `pnpm splits init` without a terminal into an empty folder (the
 * Telegram token checked against the fake Bot API), then `pnpm start` from that .env, against
 * real Postgres and Redis and the fake third parties, until every service answers /ready. And
 * `pnpm start` with nothing configured: one message naming every missing key, nothing started.
 */
let dir: string;
let t: TestDatabase;
let telegram: FakeTelegram;
let intervals: FakeIntervals;
const prefix = testQueuePrefix('firstrun');
const running: ChildProcess[] = [];

interface Run {
  child: ChildProcess;
  stdout: string;
  stderr: string;
  exited: Promise<number | null>;
}

/** The repo's entry points as `pnpm start` / `pnpm splits` run them; standard input is not a terminal. */
function run(script: string, args: string[], env: Record<string, string | undefined>): Run {
  const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], { cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  running.push(child);
  const r: Run = { child, stdout: '', stderr: '', exited: new Promise((resolve) => child.once('exit', (code) => resolve(code))) };
  child.stdout!.on('data', (c: Buffer) => (r.stdout += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (r.stderr += c.toString()));
  return r;
}

/** The machine's environment without anything Splits reads: what a fresh shell has. */
function bareEnv(): Record<string, string | undefined> {
  return { PATH: process.env.PATH, HOME: process.env.HOME, NODE_OPTIONS: '', OTEL_LOGS_EXPORTER: 'none', OTEL_METRICS_EXPORTER: 'none' };
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'splits-first-run-'));
  t = await createTestDatabase('firstrun');
  telegram = await startFakeTelegram();
  intervals = await startFakeIntervals();
}, 60_000);

afterAll(async () => {
  for (const c of running) if (c.exitCode === null && c.signalCode === null) c.kill('SIGTERM');
  await Promise.all(running.map((c) => (c.exitCode === null && c.signalCode === null ? new Promise((r) => c.once('exit', r)) : null)));
  await Promise.all([telegram?.close(), intervals?.close()]);
  await t?.drop();
  await dropQueuePrefix(TEST_REDIS_URL, prefix);
  rmSync(dir, { recursive: true, force: true });
}, 60_000);

describe('first run', () => {
  it('pnpm start with nothing configured lists every missing key of every service in one message and starts nothing', async () => {
    const r = run('packages/cli/src/start.ts', ['--dotenv', join(dir, 'none', '.env')], bareEnv());
    expect(await r.exited).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr.match(/Splits did not start/g)).toHaveLength(1);
    expect(r.stderr).toContain('4 settings');
    for (const [key, service] of [
      ['DASHBOARD_PASSWORD', 'dashboard'],
      ['DASHBOARD_USER', 'dashboard'],
      ['INTERVALS_WEBHOOK_SECRET', 'webhook-ingress'],
      ['TOKEN_ENCRYPTION_KEY', 'fetch-worker'],
    ]) {
      const lines = r.stderr.split('\n').filter((l) => l.trimStart().startsWith(`${key} `));
      expect(lines).toEqual([expect.stringMatching(new RegExp(`missing \\(${service}\\)$`))]);
    }
    expect(r.stderr).toContain(`There is no ${join(dir, 'none', '.env')} yet: \`pnpm splits init --dotenv ${join(dir, 'none', '.env')}\` writes one`);
    // Said once each, as what is off rather than as a problem.
    expect(r.stderr.match(/Telegram: off/g)).toHaveLength(1);
    expect(r.stderr.match(/LLM: off/g)).toHaveLength(1);
    expect(r.stderr.match(/OAuth app: off/g)).toHaveLength(1);
    // No service printed a line: none was started.
    expect(r.stderr).not.toMatch(/^(webhook-ingress|fetch-worker|classify-worker|summary-worker|telegram-worker|api-gateway|dashboard) /m);
  }, 60_000);

  it('pnpm splits init writes a .env from which pnpm start runs the whole stack', async () => {
    const envFile = join(dir, '.env');
    // The token comes from the environment, as a script would give it (an option would show in ps).
    const initRun = run('packages/cli/src/main.ts', ['init', '--dotenv', envFile, '--telegram-api-root', telegram.url, '--json'], {
      ...bareEnv(),
      TELEGRAM_BOT_TOKEN: telegram.token,
    });
    expect(await initRun.exited).toBe(0);
    const result = JSON.parse(initRun.stdout);
    expect(result).toMatchObject({ envFile, telegram: { username: telegram.bot.username }, llm: null, oauth: false });
    expect(result.next[0]).toBe(`pnpm start --dotenv ${envFile}`);
    expect(initRun.stdout + initRun.stderr).not.toContain(telegram.token);
    expect(telegram.calls.filter((c) => c.method === 'getMe')).toHaveLength(1);
    const written = readDotEnv(envFile, {});
    expect(written).toMatchObject({ TELEGRAM_BOT_USERNAME: telegram.bot.username, TELEGRAM_API_ROOT: telegram.url, DASHBOARD_USER: 'admin' });

    // Run again: refused, the file left as it was.
    const again = run('packages/cli/src/main.ts', ['init', '--dotenv', envFile], bareEnv());
    expect(await again.exited).toBe(2);
    expect(again.stderr).toContain('already exists; nothing was changed');
    expect(readDotEnv(envFile, {})).toEqual(written);

    // Start from that .env; the environment only points the stack at this test's Postgres, Redis
    // prefix, fake Intervals.icu and free ports (it wins over .env).
    const ports = { GATEWAY_PORT: await freePort(), INGRESS_PORT: await freePort(), DASHBOARD_PORT: await freePort() };
    const start = run('packages/cli/src/start.ts', ['--dotenv', envFile], {
      ...bareEnv(),
      DATABASE_URL: t.url,
      REDIS_URL: TEST_REDIS_URL,
      QUEUE_PREFIX: prefix,
      INTERVALS_API_BASE_URL: intervals.url,
      LOG_LEVEL: 'warn',
      ...Object.fromEntries(Object.entries(ports).map(([k, v]) => [k, String(v)])),
    });
    await waitFor(() => start.stdout.includes('Splits is running') || start.child.exitCode !== null, { timeoutMs: 170_000, intervalMs: 200, what: 'pnpm start' });
    expect({ exit: start.child.exitCode, stderr: start.stderr }).toEqual({ exit: null, stderr: '' });
    // Telegram is configured, so telegram-worker runs; the LLM and the OAuth app are off, said once.
    expect(start.stdout.match(/LLM: off/g)).toHaveLength(1);
    expect(start.stdout.match(/OAuth app: off/g)).toHaveLength(1);
    expect(start.stdout).not.toContain('Telegram: off');
    const urls = Object.fromEntries([...start.stdout.matchAll(/([a-z-]+) (http:\/\/127\.0\.0\.1:\d+)/g)].map((m) => [m[1], m[2]]));
    expect(Object.keys(urls).sort()).toEqual(['api-gateway', 'classify-worker', 'dashboard', 'fetch-worker', 'summary-worker', 'telegram-worker', 'web', 'webhook-ingress']);
    for (const url of Object.values(urls)) expect((await fetch(`${url}/ready`)).status).toBe(200);
    expect(urls['api-gateway']).toBe(`http://127.0.0.1:${ports.GATEWAY_PORT}`);
    // The dashboard takes the generated password; the telegram-worker polls with the verified token.
    const basic = (p: string) => ({ authorization: `Basic ${Buffer.from(`admin:${p}`).toString('base64')}` });
    expect((await fetch(`${urls.dashboard}/`, { headers: basic(written.DASHBOARD_PASSWORD!) })).status).toBeLessThan(400);
    expect((await fetch(`${urls.dashboard}/`, { headers: basic('wrong-password') })).status).toBe(401);
    await waitFor(() => telegram.calls.some((c) => c.method === 'getUpdates'), { timeoutMs: 30_000, what: 'telegram-worker polling the fake Telegram' });

    start.child.kill('SIGTERM');
    expect(await start.exited).toBe(0);
    const gone = await fetch(`${urls['api-gateway']}/health`).then(() => false, () => true);
    expect(gone).toBe(true);
  }, 240_000);
});
