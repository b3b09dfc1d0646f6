import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/**
 * The process's Prometheus metrics (issue 16): one registry per process, created on first use (never
 * at import), served at /metrics by the health server (workers) or the metrics plugin of
 * @splits/http (fastify services). Every series carries `service`. The names below are the contract
 * with infra/grafana and the k8s ServiceMonitor; `test/metrics.e2e.test.ts` and `test/compose.test.ts`
 * hold them to it. Labels are bounded sets (queue names, statuses, route patterns), never ids.
 */
const SECONDS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

function build(registry: Registry) {
  const registers = [registry];
  return {
    registry,
    webhooksReceived: new Counter({ name: 'splits_webhooks_received_total', help: 'Webhook events accepted, by event type', labelNames: ['type'], registers }),
    webhooksRejected: new Counter({ name: 'splits_webhooks_rejected_total', help: 'Webhook deliveries refused (and inbox rows set aside), by reason', labelNames: ['reason'], registers }),
    inboxBacklog: new Gauge({ name: 'splits_inbox_rows', help: 'Webhook inbox rows by status; pending = stored, not yet queued (the backlog)', labelNames: ['status'], registers }),
    queueJobs: new Gauge({ name: 'splits_queue_jobs', help: 'Jobs per queue and state (waiting, active, delayed, failed)', labelNames: ['queue', 'state'], registers }),
    jobDuration: new Histogram({ name: 'splits_job_duration_seconds', help: 'Time a job ran, by queue and outcome', labelNames: ['queue', 'outcome'], buckets: SECONDS, registers }),
    intervalsRequests: new Counter({ name: 'splits_intervals_requests_total', help: 'Requests to Intervals.icu by HTTP status (0 = no answer)', labelNames: ['method', 'status'], registers }),
    intervalsLatency: new Histogram({ name: 'splits_intervals_request_duration_seconds', help: 'Intervals.icu request latency', labelNames: ['method'], buckets: SECONDS, registers }),
    intervalsLimiterWait: new Histogram({ name: 'splits_intervals_limiter_wait_seconds', help: 'Time a request waited for the shared Intervals.icu rate limiter', buckets: [0.001, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10], registers }),
    telegramSends: new Counter({ name: 'splits_telegram_sends_total', help: 'Telegram Bot API sends by result (ok, 429, 403, other error codes)', labelNames: ['method', 'status'], registers }),
    httpRequests: new Counter({ name: 'splits_http_requests_total', help: 'HTTP requests by route pattern, method and status', labelNames: ['route', 'method', 'status'], registers }),
    httpLatency: new Histogram({ name: 'splits_http_request_duration_seconds', help: 'HTTP request latency by route pattern', labelNames: ['route', 'method'], buckets: SECONDS, registers }),
    llmCalls: new Counter({ name: 'splits_llm_calls_total', help: 'LLM classification calls by provider and outcome (ok, failed)', labelNames: ['provider', 'outcome'], registers }),
    llmLatency: new Histogram({ name: 'splits_llm_call_duration_seconds', help: 'LLM call latency by provider', labelNames: ['provider'], buckets: SECONDS, registers }),
    summaryBuild: new Histogram({ name: 'splits_summary_build_duration_seconds', help: 'Time to build one athlete summary', buckets: SECONDS, registers }),
  };
}

export type Metrics = ReturnType<typeof build>;
/** Read at scrape time (queue lengths, inbox backlog): sets gauges; a failing one leaves its last values. */
export type MetricsCollector = () => Promise<void>;

let current: (Metrics & { collectors: Map<string, MetricsCollector> }) | undefined;

export function metrics(): Metrics {
  current ??= { ...build(new Registry()), collectors: new Map() };
  return current;
}

/** Once per process (bootProcess): names the service on every series and adds Node's process metrics. */
export function initMetrics(service: string): void {
  const m = metrics();
  m.registry.setDefaultLabels({ service });
  collectDefaultMetrics({ register: m.registry });
}

/** Registers (or replaces, by name) a scrape-time collector. */
export function addMetricsCollector(name: string, collect: MetricsCollector): void {
  metrics();
  current!.collectors.set(name, collect);
}

/** The exposition text: runs the collectors (each bounded by `timeoutMs`), then serialises the registry. */
export async function scrapeMetrics(timeoutMs = 2_000): Promise<{ contentType: string; body: string }> {
  const m = metrics();
  await Promise.all(
    [...current!.collectors.values()].map(async (collect) => {
      let timer: NodeJS.Timeout | undefined;
      try {
        await Promise.race([collect(), new Promise((resolve) => (timer = setTimeout(resolve, timeoutMs)))]);
      } catch {
        // A collector that cannot reach Postgres or Redis keeps its last values; /ready reports the outage.
      } finally {
        clearTimeout(timer);
      }
    }),
  );
  return { contentType: m.registry.contentType, body: await m.registry.metrics() };
}

/** Seconds since `startMs` (performance.now()), for the histograms. */
export const secondsSince = (startMs: number): number => (performance.now() - startMs) / 1000;
