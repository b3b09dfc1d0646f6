export { createLogger, type Logger } from './logger.js';
export { Shutdown } from './shutdown.js';
export { runReadiness, startHealthServer, type CheckState, type Readiness, type ReadinessCheck } from './health.js';
export { bootProcess } from './process.js';
export { stopTracing } from './stop-tracing.js';
export { activeTraceFields, currentTraceCarrier, inSpan, withTraceCarrier, type TraceCarrier } from './trace-context.js';
export { addMetricsCollector, initMetrics, metrics, scrapeMetrics, secondsSince, type Metrics, type MetricsCollector } from './metrics.js';
export { QuietQueueHousekeepingSampler } from './sampler.js';
