export { createLogger, type Logger } from './logger.js';
export { Shutdown } from './shutdown.js';

/** Flushes spans if register.ts started tracing; a no-op otherwise. Owned by the process's Shutdown. */
export async function stopTracing(): Promise<void> {
  const sdk = (globalThis as Record<symbol, { shutdown(): Promise<void> } | undefined>)[Symbol.for('splits.otel.sdk')];
  await sdk?.shutdown();
}
