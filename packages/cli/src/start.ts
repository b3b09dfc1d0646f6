import { readDotEnv } from '@splits/config';
import { SERVICE_NAMES, startServices } from './supervisor.js';

/**
 * `pnpm start`: every service as its own process, configured from the environment (and .env).
 * Each service validates its own config and exits naming every bad key. Ctrl-C stops them all.
 */
const env = Object.fromEntries(Object.entries(readDotEnv('.env', process.env)).filter((e): e is [string, string] => e[1] !== undefined));
const port = (k: string, d: number) => Number(env[k] ?? d);
const svc = await startServices({
  env,
  ports: {
    'api-gateway': port('GATEWAY_PORT', 3000),
    'webhook-ingress': port('INGRESS_PORT', 3001),
    dashboard: port('DASHBOARD_PORT', 3002),
    'fetch-worker': 3011,
    'classify-worker': 3012,
    'summary-worker': 3013,
    'telegram-worker': 3014,
  },
  onLine: (name, line) => process.stdout.write(`${name.padEnd(16)} ${line}\n`),
}).catch((err: Error) => {
  console.error(err.message);
  process.exit(1);
});
console.log(`\nSplits is running: ${SERVICE_NAMES.map((n) => `${n} ${svc.urls[n]}`).join(', ')}\nCtrl-C stops everything.`);
const stop = async () => {
  await svc.stop();
  process.exit(0);
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
