import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { parseArgs } from 'node:util';
import { readDotEnv } from '@splits/config';
import { SERVICE_NAMES, startServices } from './supervisor.js';
import { checkConfig, formatProblems } from './config-check.js';

/**
 * `pnpm start [--dotenv <path>]`: every service as its own process, configured from the
 * environment and .env (the environment wins). Every service's config is checked first; with any
 * problem nothing starts and one message lists them all. A service that exits on its own is restarted
 * with backoff while the rest keep running. Ctrl-C stops them all.
 */
const { values } = parseArgs({ options: { dotenv: { type: 'string' } } });
const envFile = values.dotenv ?? '.env';
const envFileExists = existsSync(envFile);
const env = Object.fromEntries(Object.entries(readDotEnv(envFile, process.env)).filter((e): e is [string, string] => e[1] !== undefined));
const plan = checkConfig(env, { initWouldFix: !envFileExists });
if (plan.problems.length) {
  console.error(formatProblems(plan, { envFile, envFileExists }));
  process.exit(1);
}
for (const line of plan.optional) console.log(line);

const port = (k: string, d: number) => Number(env[k] ?? d);
const svc = await startServices({
  env,
  services: plan.services,
  ports: {
    'api-gateway': port('GATEWAY_PORT', 3000),
    'webhook-ingress': port('INGRESS_PORT', 3001),
    dashboard: port('DASHBOARD_PORT', 3002),
    web: port('WEB_PORT', 3003),
    // Workers' /health and /ready: their usual ports, or a free one when another process holds it.
    'fetch-worker': await portOrFree(3011),
    'classify-worker': await portOrFree(3012),
    'summary-worker': await portOrFree(3013),
    'telegram-worker': await portOrFree(3014),
  },
  onLine: (name, line) => process.stdout.write(`${name.padEnd(16)} ${line}\n`),
  // A crashed service comes back after a backoff; the others keep running.
  restart: true,
  onEvent: (e) => {
    if (e.kind === 'exit') console.error(`${e.service.padEnd(16)} exited (${e.signal ?? `code ${e.code}`}); restarting in ${e.restartInMs / 1000} s`);
    if (e.kind === 'crash-loop')
      console.error(`${e.service.padEnd(16)} CRASH LOOP: ${e.exits} exits in ${e.windowMs / 1000} s; still restarting every ${e.restartInMs / 1000} s at most — see its last lines above`);
    if (e.kind === 'restarted') console.error(`${e.service.padEnd(16)} restarted (${e.restarts} so far)`);
  },
}).catch((err: Error) => {
  console.error(err.message);
  process.exit(1);
});
console.log(`\nSplits is running: ${plan.services.map((n) => `${n} ${svc.urls[n]}`).join(', ')}\nCtrl-C stops everything.`);
const stop = async () => {
  await svc.stop();
  process.exit(0);
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);

function portOrFree(p: number): Promise<number> {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.once('error', () => {
      const any = createServer();
      any.listen(0, '127.0.0.1', () => {
        const { port } = any.address() as { port: number };
        any.close(() => resolve(port));
      });
    });
    srv.listen(p, '127.0.0.1', () => srv.close(() => resolve(p)));
  });
}
