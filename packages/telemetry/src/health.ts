import { createServer, type Server } from 'node:http';

export type ReadinessCheck = () => Promise<void>;

/**
 * /health (the process is alive) and /ready (its dependencies answer) for processes without an
 * HTTP app of their own (the workers). Readiness checks run with a short timeout each.
 */
export async function startHealthServer(opts: {
  host: string;
  port: number;
  checks: Record<string, ReadinessCheck>;
  timeoutMs?: number;
}): Promise<{ server: Server; port: number; close(): Promise<void> }> {
  const timeoutMs = opts.timeoutMs ?? 2_000;
  const server = createServer((req, res) => {
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (req.url === '/health') return send(200, { status: 'ok' });
    if (req.url === '/ready') {
      void Promise.all(
        Object.entries(opts.checks).map(async ([name, check]) => {
          try {
            await Promise.race([
              check(),
              new Promise((_, reject) => setTimeout(() => reject(new Error('timeout')), timeoutMs).unref()),
            ]);
            return [name, 'ok'] as const;
          } catch {
            return [name, 'down'] as const;
          }
        }),
      ).then((results) => {
        const checks = Object.fromEntries(results);
        const ok = results.every(([, s]) => s === 'ok');
        send(ok ? 200 : 503, { status: ok ? 'ready' : 'not_ready', checks });
      });
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
