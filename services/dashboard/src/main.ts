import { createQueues, createRedis } from '@splits/queue';
import { bootProcess } from '@splits/telemetry';
import { buildApp } from './app.js';
import { DashboardConfigSchema } from './config.js';

// bootProcess: validate env (every bad key listed, exit 1), logger, Shutdown (tracing closes last), signals.
const { config, log, shutdown } = bootProcess('dashboard', DashboardConfigSchema);
const redis = createRedis(config.REDIS_URL);
shutdown.register('redis', () => redis.quit().catch(() => redis.disconnect()));
const queues = createQueues(redis, config.QUEUE_PREFIX);
shutdown.register('queues', () => queues.close());

const app = await buildApp({ queues, redis, user: config.DASHBOARD_USER, password: config.DASHBOARD_PASSWORD, log });
shutdown.register('http', () => app.close());
await app.listen({ host: config.HOST, port: config.DASHBOARD_PORT });
const addr = app.server.address();
log.info({ port: typeof addr === 'object' && addr ? addr.port : config.DASHBOARD_PORT, host: config.HOST }, 'listening');
