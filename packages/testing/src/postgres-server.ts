import { execFile } from 'node:child_process';
import { chownSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from './util.js';

const run = promisify(execFile);

/**
 * A private Postgres cluster (initdb in a temp dir, trust auth, its own port), for tests that need
 * Postgres late, stopped or configured differently. Created stopped unless `start` is true; never
 * touches the machine's own cluster. As root the cluster runs as the `postgres` user (initdb refuses
 * root).
 */
export async function createPostgresServer(opts: { start?: boolean } = {}) {
  const bin = (await run('pg_config', ['--bindir'])).stdout.trim();
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'splits-pg-'));
  const data = join(dir, 'data');
  const asRoot = process.getuid?.() === 0;
  if (asRoot) {
    const [uid, gid] = await Promise.all([run('id', ['-u', 'postgres']), run('id', ['-g', 'postgres'])]);
    chownSync(dir, Number(uid.stdout), Number(gid.stdout));
  }
  const pgRun = (tool: string, args: string[]) =>
    asRoot ? run('runuser', ['-u', 'postgres', '--', join(bin, tool), ...args]) : run(join(bin, tool), args);

  await pgRun('initdb', ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync']);
  let running = false;
  const start = async () => {
    await pgRun('pg_ctl', ['-D', data, '-l', join(dir, 'log'), '-w', '-o', `-c listen_addresses=127.0.0.1 -p ${port} -k ${dir} -c fsync=off`, 'start']);
    running = true;
  };
  const stop = async () => {
    if (!running) return;
    await pgRun('pg_ctl', ['-D', data, '-w', '-m', 'fast', 'stop']);
    running = false;
  };
  if (opts.start) await start();
  return {
    port,
    /** The maintenance database; put another name in the path for another database. */
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    start,
    stop,
    async destroy() {
      await stop().catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
