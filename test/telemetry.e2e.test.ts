import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startServices } from '@splits/cli';
import { createTestDatabase, dropQueuePrefix, TEST_REDIS_URL, testQueuePrefix, type TestDatabase } from '@splits/testing';

/** OpenTelemetry is loaded before the app (`--import @splits/telemetry/register`) and exports only when configured. */
let t: TestDatabase;
// The gateway opens its queues (summary rebuild requests): under a prefix of this test's own.
const prefix = testQueuePrefix('otel');
beforeAll(async () => {
  t = await createTestDatabase('otel');
});
afterAll(async () => {
  await t.drop();
  await dropQueuePrefix(TEST_REDIS_URL, prefix);
});

async function requestTrace(env: Record<string, string>) {
  const svc = await startServices({ services: ['api-gateway'], env: { DATABASE_URL: t.url, REDIS_URL: TEST_REDIS_URL, QUEUE_PREFIX: prefix, ...env } });
  try {
    expect((await fetch(`${svc.urls['api-gateway']}/trainings`)).status).toBe(401);
  } finally {
    await svc.stop(); // shutdown flushes the spans
  }
  return svc.logs['api-gateway'].join('\n');
}

describe('telemetry', () => {
  it('traces requests (fastify, http, pg) with the exporter configured, and ties log lines to the trace', async () => {
    const out = await requestTrace({ OTEL_TRACES_EXPORTER: 'console', OTEL_SERVICE_NAME: 'api-gateway' });
    expect(out).toContain("name: 'GET /trainings'");
    expect(out).toContain('@opentelemetry/instrumentation-pg');
    expect(out).toMatch(/"trace_id":"[0-9a-f]{32}"/);
  }, 60_000);

  it('loads nothing and exports nothing when no exporter is configured', async () => {
    const out = await requestTrace({});
    expect(out).not.toContain('traceId');
    expect(out).not.toContain('trace_id');
  }, 60_000);
});
