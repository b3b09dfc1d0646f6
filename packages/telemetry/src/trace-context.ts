import { context, isSpanContextValid, propagation, ROOT_CONTEXT, SpanStatusCode, trace, type Attributes } from '@opentelemetry/api';

/**
 * One trace per workout (issue 16). A trace context crosses a queue hop inside BullMQ's job options
 * (bullmq-otel, see @splits/queue) and a wait in Postgres (a pending inbox row, an outbox row) as a
 * *carrier*: the W3C headers the configured propagator writes (`{"traceparent":"00-…"}`), as JSON,
 * which is also exactly the metadata bullmq-otel keeps in a job. Without a tracer (no exporter
 * configured) there is no active span and every carrier is null: nothing is stored or sent.
 */
export type TraceCarrier = string;

const TRACER = 'splits';

/** The active trace context as a carrier, or null when there is none (tracing off, or outside any span). */
export function currentTraceCarrier(): TraceCarrier | null {
  if (!trace.getActiveSpan()) return null;
  const carrier: Record<string, string> = {};
  propagation.inject(context.active(), carrier);
  return carrier.traceparent ? JSON.stringify(carrier) : null;
}

/**
 * Runs `fn` inside the trace context a carrier holds (a relay adding a job staged by an earlier
 * request or job), or in the current context when there is none or it cannot be read: a damaged
 * carrier costs the link between spans, never the work.
 */
export function withTraceCarrier<T>(carrier: TraceCarrier | null | undefined, fn: () => T): T {
  if (!carrier) return fn();
  let headers: unknown;
  try {
    headers = JSON.parse(carrier);
  } catch {
    return fn();
  }
  if (!headers || typeof headers !== 'object') return fn();
  return context.with(propagation.extract(ROOT_CONTEXT, headers), fn);
}

/** Runs `fn` in a new active span (a child of the current one); an error is recorded on it and rethrown. */
export async function inSpan<T>(name: string, attributes: Attributes, fn: () => Promise<T>): Promise<T> {
  return trace.getTracer(TRACER).startActiveSpan(name, { attributes }, async (span) => {
    try {
      return await fn();
    } catch (err) {
      span.recordException(err as Error);
      span.setStatus({ code: SpanStatusCode.ERROR, message: (err as Error).message });
      throw err;
    } finally {
      span.end();
    }
  });
}

/** The ids pino adds to every line written inside a span (the names @opentelemetry/instrumentation-pino uses). */
export function activeTraceFields(): { trace_id: string; span_id: string; trace_flags: string } | Record<string, never> {
  const span = trace.getActiveSpan();
  if (!span) return {};
  const c = span.spanContext();
  if (!isSpanContextValid(c)) return {};
  return { trace_id: c.traceId, span_id: c.spanId, trace_flags: `0${c.traceFlags.toString(16)}` };
}
