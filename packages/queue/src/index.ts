export * from './catalog.js';
export * from './queues.js';
export * from './worker.js';
export * from './runtime.js';
export * from './rate-limit.js';
export * from './summary-rebuild.js';
export * from './outbox.js';
export * from './periodic-pass.js';
