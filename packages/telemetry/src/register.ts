/**
 * Loaded with `--import @splits/telemetry/register` before the app, so instrumentation can patch
 * modules as they load. Tracing starts only when an exporter is configured
 * (OTEL_EXPORTER_OTLP_ENDPOINT or OTEL_TRACES_EXPORTER); otherwise nothing is loaded at all.
 */
import { register } from 'node:module';

const endpoint = process.env.OTEL_EXPORTER_OTLP_ENDPOINT;
const exporter = process.env.OTEL_TRACES_EXPORTER;
if (endpoint || (exporter && exporter !== 'none')) {
  register('@opentelemetry/instrumentation/hook.mjs', import.meta.url);
  // Logs and metrics exporters default to OTLP in sdk-node; without a collector shutdown would hang.
  process.env.OTEL_LOGS_EXPORTER ??= 'none';
  process.env.OTEL_METRICS_EXPORTER ??= 'none';
  const { startTracing } = await import('./tracing.js');
  // SERVICE: what the image runs (infra/Dockerfile), so each service is named in traces without more config.
  startTracing(process.env.OTEL_SERVICE_NAME ?? process.env.SERVICE ?? 'splits');
}
