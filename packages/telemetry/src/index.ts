export { createLogger, type Logger } from './logger.js';
export { Shutdown } from './shutdown.js';
export { startHealthServer, type ReadinessCheck } from './health.js';
export { bootProcess } from './process.js';
export { stopTracing } from './stop-tracing.js';
