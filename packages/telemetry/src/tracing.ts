import { NodeSDK, tracing } from '@opentelemetry/sdk-node';
// The SDK's own reading of OTEL_TRACES_EXPORTER (otlp, console, zipkin…); not in its index, hence the
// deep import (sdk-node is pinned exactly; telemetry.e2e and secret-redaction.e2e fail if it moves).
import { getSpanProcessorsFromEnv } from '@opentelemetry/sdk-node/build/src/utils.js';
import { getNodeAutoInstrumentations } from '@opentelemetry/auto-instrumentations-node';
import { FastifyOtelInstrumentation } from '@fastify/otel';
import { RedactingSpanProcessor } from './span-redaction.js';
import { QuietQueueHousekeepingSampler } from './sampler.js';

export const SDK_KEY = Symbol.for('splits.otel.sdk');

export function startTracing(serviceName: string): void {
  const exporting = getSpanProcessorsFromEnv(undefined);
  const sdk = new NodeSDK({
    serviceName,
    // Redaction first: every exporter configured from the environment sees only redacted spans.
    spanProcessors: exporting.length ? [new RedactingSpanProcessor(), ...exporting] : [],
    // Roots: everything but BullMQ's housekeeping; children: as their parent (sampler.ts).
    sampler: new tracing.ParentBasedSampler({ root: new QuietQueueHousekeepingSampler() }),
    instrumentations: [
      getNodeAutoInstrumentations({
        '@opentelemetry/instrumentation-fs': { enabled: false },
        // The logger adds the ids itself (logger.ts), also where no module patching reaches.
        '@opentelemetry/instrumentation-pino': { enabled: false },
      }),
      new FastifyOtelInstrumentation({ registerOnInitialization: true }),
    ],
  });
  sdk.start();
  (globalThis as Record<symbol, unknown>)[SDK_KEY] = sdk;
}
