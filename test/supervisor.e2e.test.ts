import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startServices, type RunningServices, type SupervisorEvent } from '@splits/cli';
import { createTestDatabase, TEST_ENCRYPTION_KEY, TEST_REDIS_URL, testQueuePrefix, waitFor, type TestDatabase } from '@splits/testing';

/**
 * `pnpm start`'s supervisor (issue 15): a service that dies is started again with backoff while the
 * others keep running; repeated deaths are reported as a crash loop; stop() ends everything.
 */
let t: TestDatabase;
let svc: RunningServices;
const events: SupervisorEvent[] = [];

beforeAll(async () => {
  t = await createTestDatabase('supervisor');
  svc = await startServices({
    env: {
      DATABASE_URL: t.url,
      REDIS_URL: TEST_REDIS_URL,
      QUEUE_PREFIX: testQueuePrefix('supervisor'),
      TOKEN_ENCRYPTION_KEY: TEST_ENCRYPTION_KEY,
      DASHBOARD_USER: 'ops',
      DASHBOARD_PASSWORD: 'ops-password-1',
      HOST: '127.0.0.1',
    },
    services: ['summary-worker', 'dashboard'],
    restart: { initialDelayMs: 200, maxDelayMs: 1_600, resetAfterMs: 60_000, crashLoopCount: 3, crashLoopWindowMs: 60_000 },
    onEvent: (e) => events.push(e),
  });
}, 200_000);

afterAll(async () => {
  await svc?.stop();
  await t?.drop();
}, 60_000);

const answers = async (url: string) => fetch(`${url}/health`).then((r) => r.ok);

describe('supervisor', () => {
  it('restarts a killed service with a growing backoff, reports a crash loop, and keeps the others running', async () => {
    for (let i = 1; i <= 3; i++) {
      await svc.kill('summary-worker', 'SIGKILL');
      await waitFor(() => svc.restarts['summary-worker'] === i, { timeoutMs: 20_000, what: `restart ${i}` });
      await svc.ready('summary-worker', 60_000);
      // The dashboard never went away.
      expect(await answers(svc.urls.dashboard)).toBe(true);
    }
    const delays = events.filter((e) => e.kind === 'exit').map((e) => (e as { restartInMs: number }).restartInMs);
    expect(delays).toEqual([200, 400, 800]);
    expect(events.filter((e) => e.kind === 'crash-loop')).toEqual([
      { kind: 'crash-loop', service: 'summary-worker', exits: 3, windowMs: 60_000, restartInMs: 800 },
    ]);
    expect(svc.restarts.dashboard).toBe(0);
  }, 120_000);

  it('stop() ends every service and restarts none', async () => {
    const before = svc.restarts['summary-worker'];
    await svc.stop();
    expect(await answers(svc.urls['summary-worker']).catch(() => false)).toBe(false);
    expect(await answers(svc.urls.dashboard).catch(() => false)).toBe(false);
    expect(svc.restarts['summary-worker']).toBe(before);
  }, 60_000);
});
