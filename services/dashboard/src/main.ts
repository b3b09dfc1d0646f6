import { openDatabase } from '@splits/db';
import { openQueues } from '@splits/queue';
import { bootProcess } from '@splits/telemetry';
import { buildApp } from './app.js';
import { DashboardConfigSchema } from './config.js';

// bootProcess: validate env (every bad key listed, exit 1), logger, Shutdown (tracing closes last), signals.
const { config, log, shutdown } = bootProcess('dashboard', DashboardConfigSchema);
const { redis, queues } = openQueues(config.REDIS_URL, config.QUEUE_PREFIX, shutdown);

const db = await openDatabase(config.DATABASE_URL, { poolSize: 2, applicationName: 'dashboard', shutdown, bootTimeoutMs: config.DATABASE_BOOT_TIMEOUT_MS, log });
const app = await buildApp({ queues, redis, db, prometheusUrl: config.PROMETHEUS_URL, user: config.DASHBOARD_USER, password: config.DASHBOARD_PASSWORD, log });
shutdown.register('http', () => app.close());
await app.listen({ host: config.HOST, port: config.DASHBOARD_PORT });
const addr = app.server.address();
log.info({ port: typeof addr === 'object' && addr ? addr.port : config.DASHBOARD_PORT, host: config.HOST }, 'listening');
