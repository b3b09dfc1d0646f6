import { sql } from 'kysely';
import { openDatabase, parseKeyring, type IntervalsCredential } from '@splits/db';
import { createIntervalsClient, TokenBucket } from '@splits/intervals';
import { createRedis, openQueues, startWorkerProcess } from '@splits/queue';
import { bootProcess } from '@splits/telemetry';
import { FetchWorkerConfigSchema } from './config.js';
import { processFetchActivity } from './fetch-activity.processor.js';
import { asJobError } from './job-errors.js';

const { config, log, shutdown } = bootProcess('fetch-worker', FetchWorkerConfigSchema);
const db = await openDatabase(config.DATABASE_URL, { poolSize: config.DATABASE_POOL_SIZE, applicationName: 'fetch-worker', shutdown });
const { queues } = openQueues(config.REDIS_URL, config.QUEUE_PREFIX, shutdown);
const connection = createRedis(config.REDIS_URL);
shutdown.register('redis-workers', () => connection.quit());

// One bucket per process: Intervals.icu allows ~10 requests/s per IP, whatever the athlete.
const limiter = new TokenBucket(config.INTERVALS_MAX_RPS, config.INTERVALS_MAX_RPS);
const deps = {
  db,
  queues,
  log,
  encryptionKey: parseKeyring(config.TOKEN_ENCRYPTION_KEY, config.TOKEN_ENCRYPTION_KEYS_OLD),
  retryDelayMs: config.FETCH_RETRY_DELAY_MS,
  maxWaits: config.FETCH_MAX_WAITS,
  readerFor: (cred: IntervalsCredential) =>
    createIntervalsClient({ baseUrl: config.INTERVALS_API_BASE_URL, auth: { kind: cred.authKind, secret: cred.secret }, limiter, log }),
};

await startWorkerProcess({
  names: ['fetch-activity'],
  handlers: {
    'fetch-activity': (payload, job, token) => processFetchActivity(payload, job, token, deps).catch((err) => asJobError(err, job, token)),
  },
  connection,
  prefix: config.QUEUE_PREFIX,
  log,
  shutdown,
  health: { host: config.HOST, port: config.HEALTH_PORT, checks: { postgres: async () => void (await sql`select 1`.execute(db)) } },
  workerOptions: { 'fetch-activity': { concurrency: config.FETCH_CONCURRENCY } },
});
