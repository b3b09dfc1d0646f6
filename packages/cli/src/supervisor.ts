import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { freePort } from '@splits/config';

export const SERVICE_NAMES = [
  'webhook-ingress',
  'fetch-worker',
  'classify-worker',
  'summary-worker',
  'telegram-worker',
  'api-gateway',
  'dashboard',
] as const;
export type ServiceName = (typeof SERVICE_NAMES)[number];

/** The env var that carries each service's HTTP port (workers serve only /health and /ready). */
const PORT_KEY: Record<ServiceName, string> = {
  'webhook-ingress': 'INGRESS_PORT',
  'api-gateway': 'GATEWAY_PORT',
  dashboard: 'DASHBOARD_PORT',
  'fetch-worker': 'HEALTH_PORT',
  'classify-worker': 'HEALTH_PORT',
  'summary-worker': 'HEALTH_PORT',
  'telegram-worker': 'HEALTH_PORT',
};

const REPO_ROOT = fileURLToPath(new URL('../../..', import.meta.url));

export interface RunningServices {
  urls: Record<ServiceName, string>;
  /** Every log line each service printed (JSON lines from pino). */
  logs: Record<ServiceName, string[]>;
  /** SIGTERM (a clean shutdown) by default; SIGKILL stands for a process that dies mid-job. */
  stop(name?: ServiceName, signal?: NodeJS.Signals): Promise<void>;
}

export interface StartServicesOptions {
  env: Record<string, string>;
  services?: readonly ServiceName[];
  ports?: Partial<Record<ServiceName, number>>;
  readyTimeoutMs?: number;
  onLine?: (service: ServiceName, line: string) => void;
  /** Extra node flags, e.g. `--cpu-prof` for a benchmark run. */
  nodeArgs?: string[];
}

/**
 * The process supervisor behind `pnpm start`: starts services as real processes (`node --import tsx
 * src/main.ts`), each on its own port, and waits until every one answers /ready. The demo, the
 * end-to-end tests and the benchmarks start the services through it too.
 */
export async function startServices(opts: StartServicesOptions): Promise<RunningServices> {
  const names = opts.services ?? SERVICE_NAMES;
  const children = new Map<ServiceName, ChildProcess>();
  const urls = {} as Record<ServiceName, string>;
  const logs = Object.fromEntries(SERVICE_NAMES.map((n) => [n, [] as string[]])) as Record<ServiceName, string[]>;
  const { NODE_OPTIONS: _ignored, ...parentEnv } = process.env;

  const stop = async (name?: ServiceName, signal: NodeJS.Signals = 'SIGTERM') => {
    const targets = name ? [name] : [...children.keys()];
    await Promise.all(
      targets.map(async (n) => {
        const child = children.get(n);
        children.delete(n);
        if (!child || child.exitCode !== null) return;
        const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
        child.kill(signal);
        const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
        await exited;
        clearTimeout(timer);
      }),
    );
  };

  try {
    for (const name of names) {
      const port = opts.ports?.[name] ?? (await freePort());
      urls[name] = `http://127.0.0.1:${port}`;
      const child = spawn(
        process.execPath,
        [...(opts.nodeArgs ?? []), '--import', 'tsx', '--import', '@splits/telemetry/register', `services/${name}/src/main.ts`],
        {
          cwd: REPO_ROOT,
          env: { ...parentEnv, OTEL_LOGS_EXPORTER: 'none', OTEL_METRICS_EXPORTER: 'none', ...opts.env, [PORT_KEY[name]]: String(port) },
          stdio: ['ignore', 'pipe', 'pipe'],
        },
      );
      children.set(name, child);
      let buf = '';
      const onData = (chunk: Buffer) => {
        buf += chunk.toString();
        let i;
        while ((i = buf.indexOf('\n')) >= 0) {
          const line = buf.slice(0, i);
          buf = buf.slice(i + 1);
          logs[name].push(line);
          opts.onLine?.(name, line);
        }
      };
      child.stdout!.on('data', onData);
      child.stderr!.on('data', onData);
    }
    await Promise.all(
      names.map((name) => {
        const child = children.get(name)!;
        // A service that dies during start-up fails the start at once, with its last words.
        const died = new Promise<never>((_, reject) =>
          child.once('exit', (code) => reject(new Error(`${name} exited with ${code}:\n${logs[name].slice(-8).join('\n')}`))),
        );
        const ready = untilReady(urls[name], name, opts.readyTimeoutMs ?? 150_000);
        return Promise.race([ready, died]);
      }),
    );
  } catch (err) {
    await stop();
    throw err;
  }
  return { urls, logs, stop };
}

/** Polls a service's /ready until it answers 2xx or the deadline passes. */
async function untilReady(url: string, name: ServiceName, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await fetch(`${url}/ready`).then((r) => r.ok, () => false))) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${name} to be ready`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
