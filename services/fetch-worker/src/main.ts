import { openDatabase, parseKeyring, type IntervalsCredential } from '@splits/db';
import { createIntervalsClient } from '@splits/intervals';
import { createRedis, openQueues, SharedRateLimiter, startWorkerProcess } from '@splits/queue';
import { bootProcess } from '@splits/telemetry';
import { FetchWorkerConfigSchema } from './config.js';
import type { FetchDeps } from './context.js';
import { fetchWorkerHandlers, FETCH_WORKER_QUEUES } from './handlers.js';
import { syncPollSchedules } from './poll.processor.js';
import { syncSweepReportsSchedule } from './sweep-reports.processor.js';

const { config, log, shutdown } = bootProcess('fetch-worker', FetchWorkerConfigSchema);
const db = await openDatabase(config.DATABASE_URL, { poolSize: config.DATABASE_POOL_SIZE, applicationName: 'fetch-worker', shutdown, bootTimeoutMs: config.DATABASE_BOOT_TIMEOUT_MS, log });
const { queues, redis } = openQueues(config.REDIS_URL, config.QUEUE_PREFIX, shutdown);
const connection = createRedis(config.REDIS_URL);
shutdown.register('redis-workers', () => connection.quit());

// One limit for every worker process: Intervals.icu allows ~10 requests/s per IP, whatever the
// athlete, so the budget lives in Redis, not in process memory.
const limiter = new SharedRateLimiter(redis, { key: `${config.QUEUE_PREFIX}:ratelimit:intervals`, ratePerSec: config.INTERVALS_MAX_RPS, burst: config.INTERVALS_BURST });
const deps: FetchDeps = {
  db,
  queues,
  log,
  encryptionKey: parseKeyring(config.TOKEN_ENCRYPTION_KEY, config.TOKEN_ENCRYPTION_KEYS_OLD),
  retryDelayMs: config.FETCH_RETRY_DELAY_MS,
  maxWaits: config.FETCH_MAX_WAITS,
  clientFor: (cred: IntervalsCredential) =>
    createIntervalsClient({ baseUrl: config.INTERVALS_API_BASE_URL, auth: { kind: cred.authKind, secret: cred.secret }, limiter, log }),
};

const poll = { lookbackDays: config.POLL_LOOKBACK_DAYS, reconcileDays: config.RECONCILE_DAYS };
const sweep = { minAgeMs: config.REPORT_SWEEP_MIN_AGE_MS };

await startWorkerProcess({
  names: FETCH_WORKER_QUEUES,
  handlers: fetchWorkerHandlers(deps, { poll, sweep }),
  connection,
  prefix: config.QUEUE_PREFIX,
  log,
  shutdown,
  db,
  health: { host: config.HOST, port: config.HEALTH_PORT },
  outbox: { queues, intervalMs: config.OUTBOX_RELAY_INTERVAL_MS, minAgeMs: config.OUTBOX_RELAY_MIN_AGE_MS },
  workerOptions: { 'fetch-activity': { concurrency: config.FETCH_CONCURRENCY }, 'backfill-athlete': { concurrency: 2 }, 'sweep-reports': { concurrency: 1 } },
});

// Poll schedules follow the connections: new athletes are picked up within a minute, removed ones dropped.
// The report sweep's scheduler is checked on the same beat, so a Redis that lost its data gets it back.
const schedule = async () => {
  try {
    const r = await syncPollSchedules(deps, { pollEveryMs: config.POLL_INTERVAL_MS, reconcileEveryMs: config.RECONCILE_INTERVAL_MS });
    log.debug(r, 'poll schedules in sync');
  } catch (err) {
    log.warn({ err: (err as Error).message }, 'could not sync poll schedules; retrying');
  }
  try {
    if (await syncSweepReportsSchedule(queues, config.REPORT_SWEEP_INTERVAL_MS)) log.info({ everyMs: config.REPORT_SWEEP_INTERVAL_MS }, 'report sweep scheduled');
  } catch (err) {
    log.warn({ err: (err as Error).message }, 'could not schedule the report sweep; retrying');
  }
};
await schedule();
const timer = setInterval(() => void schedule(), config.SCHEDULE_SYNC_MS);
shutdown.register('poll-schedules', async () => clearInterval(timer));
