import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Writable } from 'node:stream';
import { context, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { BasicTracerProvider, InMemorySpanExporter, ParentBasedSampler, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import type { Redis } from 'ioredis';
import { listOutbox, parseEncryptionKey } from '@splits/db';
import { createIntervalsClient } from '@splits/intervals';
import { createQueues, createRedis, createWorkers, queueNames, relayOutbox, stageJobs, type Queues } from '@splits/queue';
import { createLogger, inSpan, QuietQueueHousekeepingSampler, type Logger } from '@splits/telemetry';
import { createTestDatabase, dropQueuePrefix, makeNewActivity, TEST_ENCRYPTION_KEY, TEST_REDIS_URL, testQueuePrefix, waitFor, type TestDatabase } from '@splits/testing';
import { buildApp } from '../services/webhook-ingress/src/app.js';
import { startRelay } from '../services/webhook-ingress/src/relay.js';
import { fetchWorkerHandlers, FETCH_WORKER_QUEUES } from '../services/fetch-worker/src/handlers.js';
import { processClassify } from '../services/classify-worker/src/classify.processor.js';
import { processBuildSummary } from '../services/summary-worker/src/build-summary.processor.js';
import { startHarness as startTelegram } from '../services/telegram-worker/src/test-harness.js';
import { startWorld, WEBHOOK_SECRET } from './helpers.js';

/**
 * One trace per workout (issue 16), in one process so one in-memory exporter sees every span: the
 * services' parts wired as their main.ts wire them (ingress app, fetch, classify, summary and
 * telegram workers) on one database and queue prefix, with a tracer provider registered the way the
 * SDK registers it (async-local-storage context, W3C propagation).
 */
const exporter = new InMemorySpanExporter();
// The sampler production uses (tracing.ts): BullMQ's housekeeping is not recorded outside a trace.
const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)], sampler: new ParentBasedSampler({ root: new QuietQueueHousekeepingSampler() }) });
context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
propagation.setGlobalPropagator(new W3CTraceContextPropagator());
trace.setGlobalTracerProvider(provider);

const lines: string[] = [];
const log: Logger = createLogger(
  'trace-test',
  'debug',
  new Writable({
    write(chunk, _enc, done) {
      lines.push(String(chunk));
      done();
    },
  }),
);

const prefix = testQueuePrefix('trace');
let t: TestDatabase;
let world: Awaited<ReturnType<typeof startWorld>>;
let producer: Redis;
let workerConn: Redis;
let queues: Queues;
let app: ReturnType<typeof buildApp>;
let workers: ReturnType<typeof createWorkers> = [];
let telegram: Awaited<ReturnType<typeof startTelegram>>;

beforeAll(async () => {
  t = await createTestDatabase('trace');
  world = await startWorld(t.db, { analysedAfterFetches: 2 });
  producer = createRedis(TEST_REDIS_URL);
  workerConn = createRedis(TEST_REDIS_URL);
  queues = createQueues(producer, prefix);
  app = buildApp({ db: t.db, queues, redis: producer, log, secret: WEBHOOK_SECRET, fetchDelayMs: 50 });
  await app.ready();
  const fetchDeps = {
    db: t.db,
    queues,
    log,
    encryptionKey: parseEncryptionKey(TEST_ENCRYPTION_KEY),
    retryDelayMs: 100,
    maxWaits: 10,
    clientFor: (c: { authKind: 'api_key' | 'oauth'; secret: string }) => createIntervalsClient({ baseUrl: world.intervals.url, auth: { kind: c.authKind, secret: c.secret }, baseDelayMs: 10 }),
  };
  workers = [
    ...createWorkers(FETCH_WORKER_QUEUES, fetchWorkerHandlers(fetchDeps, { poll: { lookbackDays: 3, reconcileDays: 7 }, sweep: { minAgeMs: 120_000 } }), { connection: workerConn, prefix, log }),
    ...createWorkers(
      ['classify', 'build-summary'],
      {
        classify: (p) => processClassify(p, { db: t.db, queues, log, llm: null, llmBelowConfidence: 0 }),
        'build-summary': (p) => processBuildSummary(p, { db: t.db, log }),
      },
      { connection: workerConn, prefix, log },
    ),
  ];
  telegram = await startTelegram({ db: t.db, queues, redisUrl: TEST_REDIS_URL, prefix, log, token: world.telegram.token, apiRoot: world.telegram.url, polling: false });
}, 120_000);

afterAll(async () => {
  await telegram?.close();
  await Promise.all(workers.map((w) => w.close()));
  await app?.close();
  for (const q of queueNames) await queues?.[q].obliterate({ force: true }).catch(() => undefined);
  await queues?.close();
  await producer?.quit();
  await workerConn?.quit();
  await dropQueuePrefix(TEST_REDIS_URL, prefix);
  await world?.close();
  await t?.drop();
  await provider.shutdown();
}, 60_000);

const spans = () => exporter.getFinishedSpans();
const named = (name: string) => spans().filter((s) => s.name === name);
const traceOf = (s: ReadableSpan) => s.spanContext().traceId;
const carrierTrace = (metadata: string | null | undefined) => /"00-([0-9a-f]{32})-/.exec(metadata ?? '')?.[1];

describe('one trace per workout', () => {
  it('one webhook is one trace id across the ingress, fetch, classify, summary and notify spans, and every log line inside names it', async () => {
    const activity = makeNewActivity(world.generated, { kind: 'threshold', at: new Date(Date.now() - 3_600_000) });
    world.intervals.addActivity(world.generated.athleteId, activity, { analysedAfterFetches: 2 });
    const res = await app.inject({ method: 'POST', url: '/webhooks/intervals', payload: world.intervals.uploadedWebhook(WEBHOOK_SECRET, world.generated.athleteId, activity) });
    expect(res.statusCode).toBe(200);

    await waitFor(() => world.telegram.sent.some((m) => String(m.chat_id) === world.chatId), { what: 'the Telegram card', timeoutMs: 60_000 });
    await waitFor(() => named('process notify-telegram').length > 0 && named('process build-summary').length > 0, { what: 'the notify and summary spans' });

    const [ingress] = named('webhook receive');
    expect(ingress).toBeDefined();
    const id = traceOf(ingress!);
    // The fetch ran more than once (not analysed at first: moved to delayed and run again): every run is in the trace.
    for (const name of ['process fetch-activity', 'process classify', 'process build-summary', 'process notify-telegram']) {
      const found = named(name);
      expect({ name, traces: [...new Set(found.map(traceOf))] }).toEqual({ name, traces: [id] });
    }
    expect(named('process fetch-activity').length).toBeGreaterThanOrEqual(2);
    // The queue hops are producer → consumer: each job span's parent is the span that added it.
    const byId = new Map(spans().map((s) => [s.spanContext().spanId, s]));
    const classify = named('process classify')[0]!;
    expect(byId.get(classify.parentSpanContext!.spanId)?.name).toMatch(/^add(Bulk)? classify/);

    // The workers waited for jobs all along: none of that housekeeping became a trace of its own.
    expect(spans().filter((s) => /^(getNextJob|moveStalledJobsToWait|extendLocks)/.test(s.name) && !s.parentSpanContext)).toEqual([]);

    const traced = lines.map((l) => JSON.parse(l) as { trace_id?: string; span_id?: string; msg: string }).filter((l) => l.trace_id === id);
    expect(traced.length).toBeGreaterThan(0);
    expect(traced.every((l) => /^[0-9a-f]{16}$/.test(l.span_id ?? ''))).toBe(true);
  }, 90_000);

  it('the inbox relay continues the trace of the delivery it re-queues', async () => {
    // An ingress whose hand-over never reaches Redis: the row stays pending, with its trace context.
    const stalled = buildApp({ db: t.db, queues, redis: producer, log, secret: WEBHOOK_SECRET, fetchDelayMs: 60_000, enqueuer: { add: async () => undefined, close: async () => undefined } });
    await stalled.ready();
    const activity = makeNewActivity(world.generated, { kind: 'easy', at: new Date(Date.now() - 7_200_000) });
    exporter.reset();
    expect((await stalled.inject({ method: 'POST', url: '/webhooks/intervals', payload: world.intervals.uploadedWebhook(WEBHOOK_SECRET, world.generated.athleteId, activity) })).statusCode).toBe(200);
    await stalled.close();
    const id = traceOf(named('webhook receive')[0]!);

    const relay = startRelay({ db: t.db, queues, log, intervalMs: 60_000, minAgeMs: 0, routing: { fetchDelayMs: 60_000 } });
    try {
      expect(await relay.runOnce()).toBe(1);
    } finally {
      await relay.stop();
    }
    const delayed = await queues['fetch-activity'].getDelayed();
    const job = delayed.find((j) => j.data.intervalsActivityId === String(activity.id));
    expect(carrierTrace(job?.opts.telemetry?.metadata)).toBe(id);
    await job?.remove();
  });

  it('the outbox relay continues the trace of the job that staged the row', async () => {
    const staged = await inSpan('stage test', {}, async () => {
      const s = await stageJobs(t.db, world.athleteId, [{ queue: 'sync-calendar', payload: { athleteId: world.athleteId } }]);
      return { s, id: trace.getActiveSpan()!.spanContext().traceId };
    });
    const [row] = await listOutbox(t.db, { olderThanMs: 0, afterId: null, limit: 10 });
    expect(carrierTrace(row?.traceContext)).toBe(staged.id);
    // Outside any span, as the relay's timer runs.
    expect(await relayOutbox({ db: t.db, queues, log, minAgeMs: 0 })).toBe(1);
    const jobs = await queues['sync-calendar'].getDelayed();
    expect(jobs.map((j) => carrierTrace(j.opts.telemetry?.metadata))).toContain(staged.id);
  });
});
