import net from 'node:net';

export interface LoadOptions {
  url: string;
  concurrency: number;
  durationMs: number;
  /** Body of the i-th request (must be cheap: the generator shares the CPU with the server). */
  body?: (i: number) => string;
  /** Default POST; GET sends no body. */
  method?: 'GET' | 'POST';
  /** Extra request headers, e.g. authorization. */
  headers?: Record<string, string>;
  /** Path and query of the i-th request; default the url's. */
  path?: (i: number) => string;
}

export interface LoadResult {
  requests: number;
  ok: number;
  statuses: Record<number, number>;
  errors: number;
  seconds: number;
  reqPerSec: number;
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  maxMs: number;
  /** Every request's latency (ms), for merging runs (mergeLoads). */
  latencies: Float64Array;
}

/**
 * A small closed-loop load generator: `concurrency` keep-alive HTTP/1.1 connections, each sending
 * its next POST as soon as the previous answer arrived, for `durationMs`. Latency is per request,
 * from write to the end of the response body. It speaks HTTP on a raw socket (one write per request,
 * a minimal response parser) because it shares the cores with the server it measures: node:http's
 * client cost about as much CPU per request as the ingress itself.
 */
export async function runLoad(opts: LoadOptions): Promise<LoadResult> {
  const url = new URL(opts.url);
  const host = url.hostname;
  const port = Number(url.port);
  const method = opts.method ?? 'POST';
  const extra = Object.entries(opts.headers ?? {}).map(([k, v]) => `${k}: ${v}\r\n`).join('');
  const rest = ` HTTP/1.1\r\nHost: ${url.host}\r\n${extra}Content-Type: application/json\r\nConnection: keep-alive\r\nContent-Length: `;
  const fixed = `${method} ${url.pathname}${url.search}${rest}`;
  const head = opts.path ? (i: number) => `${method} ${opts.path!(i)}${rest}` : () => fixed;
  const body = opts.body ?? (() => '');
  const latencies: number[] = [];
  const statuses: Record<number, number> = {};
  let errors = 0;
  let seq = 0;
  const started = performance.now();
  const deadline = started + opts.durationMs;

  const connection = () =>
    new Promise<void>((resolve) => {
      const socket = net.connect({ host, port, noDelay: true });
      let buf: Buffer = Buffer.alloc(0);
      let t0 = 0;
      const send = () => {
        if (performance.now() >= deadline) {
          socket.end();
          return resolve();
        }
        const i = seq++;
        const payload = method === 'GET' ? '' : body(i);
        t0 = performance.now();
        socket.write(`${head(i)}${Buffer.byteLength(payload)}\r\n\r\n${payload}`);
      };
      socket.on('connect', send);
      socket.on('data', (chunk: Buffer) => {
        buf = buf.length === 0 ? chunk : Buffer.concat([buf, chunk]);
        for (;;) {
          const end = buf.indexOf('\r\n\r\n');
          if (end < 0) return;
          const header = buf.toString('latin1', 0, end);
          const m = /\r\ncontent-length:\s*(\d+)/i.exec(header);
          const total = end + 4 + (m ? Number(m[1]) : 0);
          if (buf.length < total) return;
          const status = Number(header.slice(9, 12));
          buf = buf.subarray(total);
          latencies.push(performance.now() - t0);
          statuses[status] = (statuses[status] ?? 0) + 1;
          send();
        }
      });
      socket.on('error', () => {
        errors++;
        resolve();
      });
      socket.on('close', () => resolve());
    });

  await Promise.all(Array.from({ length: opts.concurrency }, connection));
  return summarise(Float64Array.from(latencies), statuses, errors, (performance.now() - started) / 1000);
}

function summarise(latencies: Float64Array, statuses: Record<number, number>, errors: number, seconds: number): LoadResult {
  const sorted = Float64Array.from(latencies).sort();
  const pct = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
  return {
    requests: latencies.length,
    ok: statuses[200] ?? 0,
    statuses,
    errors,
    seconds,
    reqPerSec: latencies.length / seconds,
    p50Ms: pct(50),
    p90Ms: pct(90),
    p99Ms: pct(99),
    maxMs: sorted[sorted.length - 1] ?? 0,
    latencies,
  };
}

/**
 * Runs of one target taken in turns with others (rounds), as one result: every request's latency in
 * the percentiles, throughput over the time they ran. Taking targets in turns gives each the same
 * share of a shared machine's noise, which two long runs one after the other do not.
 */
export function mergeLoads(runs: readonly LoadResult[]): LoadResult {
  const statuses: Record<number, number> = {};
  for (const r of runs) for (const [k, v] of Object.entries(r.statuses)) statuses[Number(k)] = (statuses[Number(k)] ?? 0) + v;
  const latencies = new Float64Array(runs.reduce((n, r) => n + r.latencies.length, 0));
  let at = 0;
  for (const r of runs) {
    latencies.set(r.latencies, at);
    at += r.latencies.length;
  }
  return summarise(latencies, statuses, runs.reduce((n, r) => n + r.errors, 0), runs.reduce((s, r) => s + r.seconds, 0));
}
