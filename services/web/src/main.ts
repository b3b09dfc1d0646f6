import { openDatabase, parseKeyring } from '@splits/db';
import { openQueues } from '@splits/queue';
import { bootProcess } from '@splits/telemetry';
import { buildApp } from './app.js';
import { WebConfigSchema } from './config.js';

// bootProcess: validate env (every bad key listed, exit 1), logger, Shutdown, signals.
const { config, log, shutdown } = bootProcess('web', WebConfigSchema);
const db = await openDatabase(config.DATABASE_URL, { poolSize: config.DATABASE_POOL_SIZE, applicationName: 'web', shutdown, bootTimeoutMs: config.DATABASE_BOOT_TIMEOUT_MS, log });
// Producers only (report write-backs, summary rebuilds), fail-fast: a save never waits on an absent
// Redis; what it staged in the outbox is relayed by the workers.
const { redis, queues } = openQueues(config.REDIS_URL, config.QUEUE_PREFIX, shutdown, { failFast: true });

const app = await buildApp({
  db,
  log,
  queues,
  webPublicUrl: config.WEB_PUBLIC_URL,
  gatewayUrl: config.PUBLIC_BASE_URL,
  intervalsSignIn: Boolean(config.INTERVALS_CLIENT_ID),
  telegramBotUsername: config.TELEGRAM_BOT_USERNAME ?? null,
  keys: config.TOKEN_ENCRYPTION_KEY ? parseKeyring(config.TOKEN_ENCRYPTION_KEY, config.TOKEN_ENCRYPTION_KEYS_OLD) : null,
  intervalsBaseUrl: config.INTERVALS_API_BASE_URL,
  signInLimit: { max: config.WEB_SIGNIN_LIMIT_PER_MIN, redis, prefix: `${config.QUEUE_PREFIX}-web-signin` },
});
// Registered after the pool and Redis, so it closes first: stop intake and finish in-flight requests.
shutdown.register('http', () => app.close());
await app.listen({ host: config.HOST, port: config.WEB_PORT });
const addr = app.server.address();
log.info({ port: typeof addr === 'object' && addr ? addr.port : config.WEB_PORT, host: config.HOST }, 'listening');
