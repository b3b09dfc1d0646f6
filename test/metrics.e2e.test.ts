import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { PRIVACY_NOTICE_VERSION } from '@splits/contracts';
import { recordConsent } from '@splits/db';
import { startServices, type RunningServices } from '@splits/cli';
import { createTestDatabase, dropQueuePrefix, makeNewActivity, TEST_REDIS_URL, testQueuePrefix, waitFor, type TestDatabase } from '@splits/testing';
import { DASHBOARD, serviceEnv, startWorld, WEBHOOK_SECRET } from './helpers.js';

/**
 * Metrics (issue 16): every service serves Prometheus text at /metrics (the workers on their health
 * port). After one workout ran end to end (a refused delivery, the webhook, fetch, classify with the
 * LLM, summary, the Telegram card, a gateway read, the dashboard overview), each service's series
 * for what the run exercised are there and non-zero.
 */
let t: TestDatabase;
let world: Awaited<ReturnType<typeof startWorld>>;
let svc: RunningServices;
const prefix = testQueuePrefix('metrics');

beforeAll(async () => {
  t = await createTestDatabase('metrics');
  world = await startWorld(t.db, { analysedAfterFetches: 1 });
  // The LLM is asked only with the athlete's consent (issue 15): this athlete gave it.
  await recordConsent(t.db, { athleteId: world.athleteId, kind: 'llm', granted: true, noticeVersion: PRIVACY_NOTICE_VERSION, source: 'test' });
  // The LLM is asked whenever the rules are less than certain, so the run exercises it.
  svc = await startServices({ env: { ...serviceEnv(world, { dbUrl: t.url, redisUrl: TEST_REDIS_URL, prefix }), CLASSIFY_LLM_BELOW_CONFIDENCE: '1' } });
}, 200_000);

afterAll(async () => {
  await svc?.stop();
  await world?.close();
  await t?.drop();
  await dropQueuePrefix(TEST_REDIS_URL, prefix);
}, 60_000);

type Sample = { name: string; labels: Record<string, string>; value: number };
/** The Prometheus text exposition format, as far as prom-client writes it. */
export function parseExposition(text: string): Sample[] {
  const out: Sample[] = [];
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m) throw new Error(`not an exposition line: ${line}`);
    const labels: Record<string, string> = {};
    for (const [, k, v] of (m[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) labels[k!] = v!;
    out.push({ name: m[1]!, labels, value: Number(m[3]) });
  }
  return out;
}

async function scrape(service: keyof RunningServices['urls']): Promise<Sample[]> {
  const res = await fetch(`${svc.urls[service]}/metrics`);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
  const samples = parseExposition(await res.text());
  expect(samples.every((s) => s.labels.service === service)).toBe(true);
  return samples;
}

/** The sum over the series of `name` whose labels include `labels`. */
const total = (samples: Sample[], name: string, labels: Record<string, string> = {}) =>
  samples.filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v)).reduce((a, s) => a + s.value, 0);
const has = (samples: Sample[], name: string, labels: Record<string, string> = {}) =>
  samples.some((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v));

describe('metrics after an end-to-end run', () => {
  it('finds in every service what the run exercised', async () => {
    const post = (body: unknown) => fetch(`${svc.urls['webhook-ingress']}/webhooks/intervals`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const activity = makeNewActivity(world.generated, { kind: 'threshold', at: new Date(Date.now() - 3_600_000) });
    world.intervals.addActivity(world.generated.athleteId, activity, { analysedAfterFetches: 1 });
    const body = world.intervals.uploadedWebhook(WEBHOOK_SECRET, world.generated.athleteId, activity) as { secret: string };
    expect((await post({ ...body, secret: 'not-the-secret' })).status).toBe(401);
    expect((await post(body)).status).toBe(200);
    await waitFor(() => world.telegram.sent.some((m) => String(m.chat_id) === world.chatId), { what: 'the Telegram card', timeoutMs: 90_000 });
    expect((await fetch(`${svc.urls['api-gateway']}/trainings?limit=5`, { headers: { authorization: `Bearer ${world.token}` } })).status).toBe(200);
    const auth = `Basic ${Buffer.from(`${DASHBOARD.user}:${DASHBOARD.password}`).toString('base64')}`;
    expect((await fetch(`${svc.urls.dashboard}/overview`, { headers: { authorization: auth } })).status).toBe(200);

    const ingress = await scrape('webhook-ingress');
    expect(total(ingress, 'splits_webhooks_received_total', { type: 'ACTIVITY_UPLOADED' })).toBeGreaterThan(0);
    expect(total(ingress, 'splits_webhooks_rejected_total', { reason: 'unauthorized' })).toBe(1);
    expect(total(ingress, 'splits_inbox_rows', { status: 'accepted' })).toBeGreaterThan(0);
    expect(has(ingress, 'splits_inbox_rows', { status: 'pending' })).toBe(true);
    expect(total(ingress, 'splits_http_requests_total', { route: '/webhooks/intervals', status: '200' })).toBe(1);
    expect(total(ingress, 'splits_http_request_duration_seconds_count', { route: '/webhooks/intervals' })).toBe(2);
    expect(total(ingress, 'process_cpu_seconds_total')).toBeGreaterThan(0);

    // The summary and the notification follow the classification: wait until their jobs finished.
    await waitFor(async () => total(await scrape('summary-worker'), 'splits_summary_build_duration_seconds_count') > 0, { what: 'a summary build', timeoutMs: 30_000 });
    const fetchW = await scrape('fetch-worker');
    expect(total(fetchW, 'splits_intervals_requests_total', { status: '200' })).toBeGreaterThan(0);
    expect(total(fetchW, 'splits_intervals_request_duration_seconds_count')).toBeGreaterThan(0);
    expect(total(fetchW, 'splits_intervals_limiter_wait_seconds_count')).toBeGreaterThan(0);
    expect(total(fetchW, 'splits_job_duration_seconds_count', { queue: 'fetch-activity', outcome: 'completed' })).toBeGreaterThan(0);
    for (const state of ['waiting', 'active', 'delayed', 'failed']) expect(has(fetchW, 'splits_queue_jobs', { queue: 'fetch-activity', state })).toBe(true);

    const classify = await scrape('classify-worker');
    expect(total(classify, 'splits_job_duration_seconds_count', { queue: 'classify', outcome: 'completed' })).toBeGreaterThan(0);
    expect(total(classify, 'splits_llm_calls_total', { outcome: 'ok' })).toBeGreaterThan(0);
    expect(total(classify, 'splits_llm_call_duration_seconds_count')).toBeGreaterThan(0);

    const summary = await scrape('summary-worker');
    expect(total(summary, 'splits_job_duration_seconds_count', { queue: 'build-summary' })).toBeGreaterThan(0);

    const telegram = await scrape('telegram-worker');
    expect(total(telegram, 'splits_telegram_sends_total', { status: 'ok' })).toBeGreaterThan(0);
    expect(total(telegram, 'splits_job_duration_seconds_count', { queue: 'notify-telegram', outcome: 'completed' })).toBeGreaterThan(0);

    const gateway = await scrape('api-gateway');
    expect(total(gateway, 'splits_http_requests_total', { route: '/trainings', method: 'GET', status: '200' })).toBe(1);
    expect(total(gateway, 'splits_http_request_duration_seconds_count', { route: '/trainings' })).toBe(1);

    const dashboard = await scrape('dashboard');
    expect(total(dashboard, 'splits_http_requests_total', { route: '/overview', status: '200' })).toBe(1);
  }, 150_000);
});
