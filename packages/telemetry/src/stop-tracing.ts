/** Flushes spans if register.ts started tracing; a no-op otherwise. */
export async function stopTracing(): Promise<void> {
  const sdk = (globalThis as Record<symbol, { shutdown(): Promise<void> } | undefined>)[Symbol.for('splits.otel.sdk')];
  await sdk?.shutdown();
}
