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
  'web',
] as const;
export type ServiceName = (typeof SERVICE_NAMES)[number];

/** The env var that carries each service's HTTP port (workers serve only /health and /ready). */
const PORT_KEY: Record<ServiceName, string> = {
  'webhook-ingress': 'INGRESS_PORT',
  'api-gateway': 'GATEWAY_PORT',
  dashboard: 'DASHBOARD_PORT',
  web: 'WEB_PORT',
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
  /** SIGTERM (a clean shutdown) by default; SIGKILL stands for a process that dies mid-job. Stopped services are not restarted. */
  stop(name?: ServiceName, signal?: NodeJS.Signals): Promise<void>;
  /**
   * Sends a signal to a running service and leaves it supervised: with `restart` on, the exit is
   * a crash like any other and the service comes back after its backoff. Resolves once it exited.
   */
  kill(name: ServiceName, signal?: NodeJS.Signals): Promise<void>;
  /** Resolves when the service answers /ready again after its latest (re)start. */
  ready(name: ServiceName, timeoutMs?: number): Promise<void>;
  /** How often each service was restarted after an exit nobody asked for. */
  restarts: Record<ServiceName, number>;
  /** The running process of a service (undefined while it is down). */
  pid(name: ServiceName): number | undefined;
}

/**
 * Restart policy (`pnpm start`): a service that exits on its own is started again after a backoff
 * that doubles from `initialDelayMs` to `maxDelayMs` and resets once a run lasted `resetAfterMs`;
 * the other services keep running. `crashLoopCount` exits within `crashLoopWindowMs` are reported
 * as a crash loop (once per loop); the backoff keeps it from spinning the CPU.
 */
export interface RestartPolicy {
  initialDelayMs?: number;
  maxDelayMs?: number;
  resetAfterMs?: number;
  crashLoopCount?: number;
  crashLoopWindowMs?: number;
}

export type SupervisorEvent =
  | { kind: 'exit'; service: ServiceName; code: number | null; signal: NodeJS.Signals | null; restartInMs: number }
  | { kind: 'restarted'; service: ServiceName; restarts: number }
  | { kind: 'crash-loop'; service: ServiceName; exits: number; windowMs: number; restartInMs: number };

export interface StartServicesOptions {
  env: Record<string, string>;
  services?: readonly ServiceName[];
  ports?: Partial<Record<ServiceName, number>>;
  readyTimeoutMs?: number;
  onLine?: (service: ServiceName, line: string) => void;
  /** Extra node flags, e.g. `--cpu-prof` for a benchmark run. */
  nodeArgs?: string[];
  /** Restart services that exit on their own (off by default: a test sees a crash as a failure). */
  restart?: RestartPolicy | boolean;
  onEvent?: (e: SupervisorEvent) => void;
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
  const restarts = Object.fromEntries(SERVICE_NAMES.map((n) => [n, 0])) as Record<ServiceName, number>;
  const { NODE_OPTIONS: _ignored, ...parentEnv } = process.env;
  const policy = opts.restart ? { ...DEFAULT_RESTART, ...(opts.restart === true ? {} : opts.restart) } : null;
  /** Services stopped on purpose (never restarted) and pending restarts (cancelled by stop). */
  const stopped = new Set<ServiceName>();
  const pending = new Map<ServiceName, NodeJS.Timeout>();
  const state = new Map<ServiceName, { delayMs: number; startedAt: number; exits: number[]; looping: boolean }>();
  const ports = new Map<ServiceName, number>();

  const spawnService = (name: ServiceName) => {
    const child = spawn(
      process.execPath,
      [...(opts.nodeArgs ?? []), '--import', 'tsx', '--import', '@splits/telemetry/register', `services/${name}/src/main.ts`],
      {
        cwd: REPO_ROOT,
        env: { ...parentEnv, OTEL_LOGS_EXPORTER: 'none', OTEL_METRICS_EXPORTER: 'none', ...opts.env, [PORT_KEY[name]]: String(ports.get(name)) },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    children.set(name, child);
    const st = state.get(name) ?? { delayMs: policy?.initialDelayMs ?? 0, startedAt: 0, exits: [], looping: false };
    st.startedAt = Date.now();
    state.set(name, st);
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
    child.once('exit', (code, signal) => {
      if (children.get(name) === child) children.delete(name);
      if (!policy || stopped.has(name)) return;
      const now = Date.now();
      // A run that lasted long enough was healthy: the next crash starts the backoff afresh.
      if (now - st.startedAt >= policy.resetAfterMs) st.delayMs = policy.initialDelayMs;
      st.exits = [...st.exits.filter((t) => now - t < policy.crashLoopWindowMs), now];
      const restartInMs = st.delayMs;
      st.delayMs = Math.min(policy.maxDelayMs, Math.max(policy.initialDelayMs, st.delayMs * 2));
      opts.onEvent?.({ kind: 'exit', service: name, code, signal, restartInMs });
      if (st.exits.length >= policy.crashLoopCount) {
        if (!st.looping) opts.onEvent?.({ kind: 'crash-loop', service: name, exits: st.exits.length, windowMs: policy.crashLoopWindowMs, restartInMs });
        st.looping = true;
      } else st.looping = false;
      pending.set(
        name,
        setTimeout(() => {
          pending.delete(name);
          if (stopped.has(name)) return;
          restarts[name] += 1;
          spawnService(name);
          opts.onEvent?.({ kind: 'restarted', service: name, restarts: restarts[name] });
        }, restartInMs),
      );
    });
    return child;
  };

  const stop = async (name?: ServiceName, signal: NodeJS.Signals = 'SIGTERM') => {
    const targets = name ? [name] : [...new Set([...children.keys(), ...pending.keys()])];
    await Promise.all(
      targets.map(async (n) => {
        stopped.add(n);
        clearTimeout(pending.get(n));
        pending.delete(n);
        const child = children.get(n);
        children.delete(n);
        if (!child || child.exitCode !== null || child.signalCode !== null) return;
        const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
        child.kill(signal);
        const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
        await exited;
        clearTimeout(timer);
      }),
    );
  };

  const kill = async (name: ServiceName, signal: NodeJS.Signals = 'SIGKILL') => {
    const child = children.get(name);
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill(signal);
    await exited;
  };

  const ready = (name: ServiceName, timeoutMs = opts.readyTimeoutMs ?? 150_000) => untilReady(urls[name], name, timeoutMs);

  try {
    for (const name of names) {
      const port = opts.ports?.[name] ?? (await freePort());
      ports.set(name, port);
      urls[name] = `http://127.0.0.1:${port}`;
      stopped.delete(name);
      spawnService(name);
    }
    await Promise.all(
      names.map((name) => {
        const child = children.get(name)!;
        // A service that dies during start-up fails the start at once, with its last words.
        const died = new Promise<never>((_, reject) =>
          child.once('exit', (code) => reject(new Error(`${name} exited with ${code}:\n${logs[name].slice(-8).join('\n')}`))),
        );
        return Promise.race([ready(name), died]);
      }),
    );
  } catch (err) {
    await stop();
    throw err;
  }
  return { urls, logs, stop, kill, ready, restarts, pid: (name) => children.get(name)?.pid };
}

const DEFAULT_RESTART: Required<RestartPolicy> = {
  initialDelayMs: 1_000,
  maxDelayMs: 30_000,
  resetAfterMs: 60_000,
  crashLoopCount: 5,
  crashLoopWindowMs: 120_000,
};

/** Polls a service's /ready until it answers 2xx or the deadline passes. */
async function untilReady(url: string, name: ServiceName, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await fetch(`${url}/ready`).then((r) => r.ok, () => false))) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${name} to be ready`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
