import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from 'node:net';
import { createQueues, createRedis, queueNames, type Queues } from '@splits/queue';
import { freePort, TEST_REDIS_URL, waitFor } from './util.js';

/**
 * A private redis-server on its own port, for tests that stop Redis mid-flight. By default it keeps an
 * append-only file (fsync always), as production Redis for BullMQ should, so a restart keeps
 * the queues; `start({ persist: false })` starts it empty and without persistence, as a Redis that
 * lost its data comes back. Never touches the machine's shared Redis.
 */
export async function startRedisServer() {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'splits-redis-'));
  let child: ChildProcess | null = null;

  // A bare RESP PING over a socket: no client library, no reconnect timers left behind.
  const ping = () =>
    new Promise<boolean>((resolve) => {
      const sock = connect(port, '127.0.0.1');
      sock.setTimeout(1000, () => sock.destroy());
      sock.once('connect', () => sock.write('PING\r\n'));
      sock.once('data', (d) => {
        sock.destroy();
        resolve(d.toString().startsWith('+PONG'));
      });
      sock.once('error', () => resolve(false));
      sock.once('close', () => resolve(false));
    });

  const start = async (o: { persist?: boolean } = {}) => {
    const persist = o.persist ?? true;
    // Without persistence nothing survives: the append-only files of earlier runs go too.
    if (!persist) for (const f of readdirSync(dir)) rmSync(join(dir, f), { recursive: true, force: true });
    child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', persist ? 'yes' : 'no', '--appendfsync', 'always', '--dir', dir], {
      stdio: 'ignore',
    });
    await waitFor(ping, { timeoutMs: 10_000, what: `redis-server on ${port}` });
  };

  const stop = async () => {
    const c = child;
    child = null;
    if (!c || c.exitCode !== null) return;
    const exited = new Promise<void>((resolve) => c.once('exit', () => resolve()));
    c.kill('SIGTERM');
    await exited;
  };

  await start();
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    start,
    stop,
    async destroy() {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Queues on a Redis connection that has been closed: every add is refused at once ("Connection is
 * closed."), as a producer sees Redis while it is away. Nothing is written anywhere.
 */
export async function closedQueues(redisUrl: string = TEST_REDIS_URL): Promise<Queues> {
  const redis = createRedis(redisUrl);
  await redis.ping();
  redis.disconnect();
  const queues = createQueues(redis, 'closed');
  // Each queue also reports the closed connection as an 'error' event: expected here, not worth printing.
  for (const name of queueNames) queues[name].on('error', () => undefined);
  return queues;
}
