import { openDatabase } from '@splits/db';
import { createRedis, openQueues, startWorkerProcess } from '@splits/queue';
import { bootProcess } from '@splits/telemetry';
import { ClassifyWorkerConfigSchema, llmProviders } from './config.js';
import { processClassify } from './classify.processor.js';
import { processRecalibrate } from './recalibrate.processor.js';
import { createLlmClassifier } from './llm-classifier.js';
import { recoverClassifyWork } from './recover.js';

const { config, log, shutdown } = bootProcess('classify-worker', ClassifyWorkerConfigSchema);
const db = await openDatabase(config.DATABASE_URL, { poolSize: config.DATABASE_POOL_SIZE, applicationName: 'classify-worker', shutdown, bootTimeoutMs: config.DATABASE_BOOT_TIMEOUT_MS, log });
const { queues } = openQueues(config.REDIS_URL, config.QUEUE_PREFIX, shutdown);
const connection = createRedis(config.REDIS_URL);
shutdown.register('redis-workers', () => connection.quit());

// Unset LLM_BASE_URL means rules only (DESIGN §7).
const providers = llmProviders(config);
const llm = providers.length
  ? createLlmClassifier({ providers, timeoutMs: config.LLM_TIMEOUT_MS, onError: (provider, err) => log.warn({ provider, err: err.message }, 'llm provider failed') })
  : null;
const deps = { db, queues, log, llm, llmBelowConfidence: config.CLASSIFY_LLM_BELOW_CONFIDENCE };

await startWorkerProcess({
  names: ['classify', 'recalibrate'],
  handlers: { classify: (payload) => processClassify(payload, deps), recalibrate: (payload) => processRecalibrate(payload, deps) },
  connection,
  prefix: config.QUEUE_PREFIX,
  log,
  shutdown,
  db,
  health: { host: config.HOST, port: config.HEALTH_PORT },
  outbox: { queues, intervalMs: config.OUTBOX_RELAY_INTERVAL_MS, minAgeMs: config.OUTBOX_RELAY_MIN_AGE_MS, recover: () => recoverClassifyWork(deps) },
});
