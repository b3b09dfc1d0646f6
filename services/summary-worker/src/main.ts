import { openDatabase } from '@splits/db';
import { createRedis, startWorkerProcess } from '@splits/queue';
import { bootProcess } from '@splits/telemetry';
import { SummaryWorkerConfigSchema } from './config.js';
import { processBuildSummary } from './build-summary.processor.js';

const { config, log, shutdown } = bootProcess('summary-worker', SummaryWorkerConfigSchema);
const db = await openDatabase(config.DATABASE_URL, { poolSize: config.DATABASE_POOL_SIZE, applicationName: 'summary-worker', shutdown, bootTimeoutMs: config.DATABASE_BOOT_TIMEOUT_MS, log });
const connection = createRedis(config.REDIS_URL);
shutdown.register('redis-workers', () => connection.quit());

await startWorkerProcess({
  names: ['build-summary'],
  handlers: { 'build-summary': (payload) => processBuildSummary(payload, { db, log }) },
  connection,
  prefix: config.QUEUE_PREFIX,
  log,
  shutdown,
  db,
  health: { host: config.HOST, port: config.HEALTH_PORT },
});
