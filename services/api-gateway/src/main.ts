import { ChangeFeed, openDatabase, parseKeyring } from '@splits/db';
import { createRedis, openQueues, SharedRateLimiter } from '@splits/queue';
import { bootProcess } from '@splits/telemetry';
import { buildApp } from './app.js';
import { GatewayConfigSchema } from './config.js';
import { openConnect } from './services/connect.service.js';

// bootProcess: validate env (every bad key listed, exit 1), logger, Shutdown (tracing closes last), signals.
const { config, log, shutdown } = bootProcess('api-gateway', GatewayConfigSchema);
// Creates the database if missing, migrates, and registers the pool's close.
const db = await openDatabase(config.DATABASE_URL, { poolSize: config.DATABASE_POOL_SIZE, applicationName: 'api-gateway', shutdown, bootTimeoutMs: config.DATABASE_BOOT_TIMEOUT_MS, log });
// One fail-fast connection: per-token rate-limit counters (skipped when Redis is down), summary
// rebuild requests (producer only; a request never waits on an absent Redis) and the Intervals.icu
// limit shared with every worker process.
const { redis, queues } = openQueues(config.REDIS_URL, config.QUEUE_PREFIX, shutdown, { failFast: true });
// The rate-limit counters on their own connection: every authenticated request sends one command,
// and auto-pipelining puts the commands of one event-loop turn in one write (a syscall per request
// was a quarter of the gateway's CPU on cached reads).
const counters = createRedis(config.REDIS_URL, { failFast: true, autoPipelining: true });
shutdown.register('rate-limit-redis', () => counters.quit().catch(() => counters.disconnect()));

// Row-change notifications: tokens and summary answers are kept in memory until a change drops them.
// Never fails start-up: while it cannot listen, every request reads the database.
const changes = new ChangeFeed(config.CHANGE_FEED_DATABASE_URL ?? config.DATABASE_URL, { applicationName: 'api-gateway-changes', log });
await changes.start();
shutdown.register('change-feed', () => changes.close());

const app = await buildApp({
  db,
  log,
  queues,
  publicBaseUrl: config.PUBLIC_BASE_URL,
  // The keyring, not just the current key: values sealed under TOKEN_ENCRYPTION_KEYS_OLD (until `keys rotate`
  // re-seals them) must still open, or OAuth clients and calendar writes fail mid-rotation.
  encryptionKey: config.TOKEN_ENCRYPTION_KEY ? parseKeyring(config.TOKEN_ENCRYPTION_KEY, config.TOKEN_ENCRYPTION_KEYS_OLD) : null,
  intervalsBaseUrl: config.INTERVALS_API_BASE_URL,
  intervalsMaxRps: config.INTERVALS_MAX_RPS,
  intervalsLimiter: new SharedRateLimiter(redis, { key: `${config.QUEUE_PREFIX}:ratelimit:intervals`, ratePerSec: config.INTERVALS_MAX_RPS }),
  connect: openConnect(config, db, log, queues),
  changes,
  rateLimit: {
    max: config.GATEWAY_RATE_LIMIT_PER_MIN,
    windowMs: 60_000,
    loginMax: config.GATEWAY_LOGIN_LIMIT_PER_MIN,
    authFailureMax: config.GATEWAY_AUTH_FAILURE_LIMIT_PER_MIN,
    redis: counters,
    nameSpace: `${config.QUEUE_PREFIX}-gw-rl-`,
  },
});
// Registered after the pool and Redis, so it closes first: stop intake and finish in-flight requests.
shutdown.register('http', () => app.close());
await app.listen({ host: config.HOST, port: config.GATEWAY_PORT });
const addr = app.server.address();
log.info({ port: typeof addr === 'object' && addr ? addr.port : config.GATEWAY_PORT, host: config.HOST }, 'listening');
