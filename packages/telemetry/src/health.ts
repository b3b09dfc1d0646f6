import { createServer, type Server } from 'node:http';
import { scrapeMetrics } from './metrics.js';

export type ReadinessCheck = () => Promise<unknown>;
export type CheckState = 'ok' | 'down';
export interface Readiness {
  status: 'ready' | 'not_ready';
  checks: Record<string, CheckState>;
}

/**
 * The one readiness runner: every check at once, each given `timeoutMs` (default 2 s) to answer.
 * Ready when all answered; a check that failed or timed out is `down` (and logged at warn, when a
 * logger is given). Used by the workers' health server and by every fastify service's /ready.
 */
export async function runReadiness(
  checks: Record<string, ReadinessCheck>,
  opts: { timeoutMs?: number; log?: { warn(obj: object, msg: string): void } } = {},
): Promise<Readiness> {
  const timeoutMs = opts.timeoutMs ?? 2_000;
  const results = await Promise.all(
    Object.entries(checks).map(async ([name, check]): Promise<[string, CheckState]> => {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error('timeout')), timeoutMs);
      });
      try {
        await Promise.race([check(), timeout]);
        return [name, 'ok'];
      } catch (err) {
        opts.log?.warn({ check: name, err: (err as Error).message }, `${name} not ready`);
        return [name, 'down'];
      } finally {
        clearTimeout(timer);
      }
    }),
  );
  return { status: results.every(([, s]) => s === 'ok') ? 'ready' : 'not_ready', checks: Object.fromEntries(results) };
}

/**
 * /health (the process is alive), /ready (its dependencies answer, see runReadiness) and /metrics
 * (Prometheus, see metrics.ts) for processes without an HTTP app of their own (the workers).
 */
export async function startHealthServer(opts: {
  host: string;
  port: number;
  checks: Record<string, ReadinessCheck>;
  timeoutMs?: number;
}): Promise<{ server: Server; port: number; close(): Promise<void> }> {
  const server = createServer((req, res) => {
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (req.url === '/health') return send(200, { status: 'ok' });
    if (req.url === '/metrics') {
      void scrapeMetrics().then(({ contentType, body }) => {
        res.writeHead(200, { 'content-type': contentType });
        res.end(body);
      });
      return;
    }
    if (req.url === '/ready') {
      void runReadiness(opts.checks, { timeoutMs: opts.timeoutMs }).then((r) => send(r.status === 'ready' ? 200 : 503, r));
      return;
    }
    send(404, { error: { code: 'not_found', message: 'no such route' } });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, resolve);
  });
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : opts.port;
  return {
    server,
    port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
