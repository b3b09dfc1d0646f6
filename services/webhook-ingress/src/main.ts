import { openDatabase } from '@splits/db';
import { createRedis, openQueues, queueNames } from '@splits/queue';
import { bootProcess } from '@splits/telemetry';
import { buildApp } from './app.js';
import { IngressConfigSchema } from './config.js';
import { startRelay } from './relay.js';
import { startRetention } from './retention.processor.js';

// Validates the environment (every bad key listed, exit 1), creates the logger and the one Shutdown.
const { config, log, shutdown } = bootProcess('webhook-ingress', IngressConfigSchema);

// Waits (DATABASE_BOOT_TIMEOUT_MS) for a Postgres that is still starting; creates the database if needed.
const db = await openDatabase(config.DATABASE_URL, {
  poolSize: config.DATABASE_POOL_SIZE,
  applicationName: 'webhook-ingress',
  shutdown,
  bootTimeoutMs: config.DATABASE_BOOT_TIMEOUT_MS,
  log,
});

// Producers on the request path fail fast while Redis is away; the relay re-queues later.
const { redis, queues } = openQueues(config.REDIS_URL, config.QUEUE_PREFIX, shutdown, { failFast: true });
let lastRedisWarn = 0;
for (const name of queueNames) {
  queues[name].on('error', (err: Error) => {
    if (Date.now() - lastRedisWarn < 10_000) return;
    lastRedisWarn = Date.now();
    log.warn({ err: err.message }, 'redis unavailable; events stay in the inbox until the relay queues them');
  });
}

const routing = {
  fetchDelayMs: config.FETCH_DELAY_MS,
  wellnessDebounceMs: config.WELLNESS_DEBOUNCE_MS,
  calendarDebounceMs: config.CALENDAR_DEBOUNCE_MS,
};
const relay = startRelay({
  db,
  queues,
  log,
  redis,
  intervalMs: config.RELAY_INTERVAL_MS,
  minAgeMs: config.RELAY_MIN_AGE_MS,
  routing,
  recover: { prefix: config.QUEUE_PREFIX },
});
shutdown.register('relay', () => relay.stop());

// The prune's worker blocks on Redis, so it gets a connection of its own that waits for Redis.
const workerConnection = createRedis(config.REDIS_URL);
shutdown.register('redis-worker', () => workerConnection.quit().catch(() => workerConnection.disconnect()));
const retention = startRetention({
  db,
  queues,
  connection: workerConnection,
  prefix: config.QUEUE_PREFIX,
  log,
  everyMs: config.RETENTION_INTERVAL_MS,
  retention: {
    inboxDays: config.RETENTION_INBOX_DAYS,
    unknownAthleteDays: config.RETENTION_UNKNOWN_ATHLETE_DAYS,
    expiredCodesDays: config.RETENTION_EXPIRED_CODES_DAYS,
  },
});
shutdown.register('retention', () => retention.stop());

const app = buildApp({
  db,
  queues,
  redis,
  log,
  secret: config.INTERVALS_WEBHOOK_SECRET,
  ...routing,
  rateLimit: { perSec: config.INGRESS_RATE_LIMIT_PER_SEC, burst: config.INGRESS_RATE_LIMIT_BURST, prefix: config.QUEUE_PREFIX },
  trustProxyHops: config.INGRESS_TRUST_PROXY_HOPS,
});
// Closed first: stops intake, lets in-flight deliveries finish, then flushes the batchers.
shutdown.register('http', () => app.close());
await app.listen({ host: config.HOST, port: config.INGRESS_PORT });
const address = app.server.address();
log.info({ port: typeof address === 'object' && address ? address.port : config.INGRESS_PORT }, 'listening');
