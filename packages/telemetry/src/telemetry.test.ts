import { describe, expect, it } from '@jest/globals';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { createLogger } from './logger.js';
import { Shutdown } from './shutdown.js';
import { startHealthServer } from './health.js';

const silent = pino({ level: 'silent' });

describe('Shutdown', () => {
  it('closes resources in reverse order of registration', async () => {
    const order: string[] = [];
    const s = new Shutdown(silent, 1000);
    s.register('pool', () => void order.push('pool'));
    s.register('queues', async () => void order.push('queues'));
    s.register('http', () => void order.push('http'));
    await s.run();
    expect(order).toEqual(['http', 'queues', 'pool']);
  });

  it('keeps closing the rest when one closer fails, and runs only once', async () => {
    let closed = 0;
    const s = new Shutdown(silent, 1000);
    s.register('a', () => void closed++);
    s.register('b', () => {
      throw new Error('boom');
    });
    await Promise.all([s.run(), s.run()]);
    expect(closed).toBe(1);
  });

  it('gives up at the hard deadline', async () => {
    const s = new Shutdown(silent, 50);
    s.register('stuck', () => new Promise(() => undefined));
    await expect(s.run()).rejects.toThrow(/exceeded 50 ms/);
  });
});

describe('logger', () => {
  it('redacts secrets wherever they sit', () => {
    const lines: string[] = [];
    const sink = new Writable({ write: (c, _e, cb) => (lines.push(String(c)), cb()) });
    const log = createLogger('t', 'info', sink);
    log.info({ secret: 's3cr3t', job: { token: 'tok-1' }, req: { headers: { authorization: 'Bearer abc' } } }, 'x');
    const out = lines.join('');
    for (const s of ['s3cr3t', 'tok-1', 'Bearer abc']) expect(out).not.toContain(s);
    expect(out).toContain('[redacted]');
  });
});

describe('health server', () => {
  it('answers /health always and /ready by its checks', async () => {
    let up = true;
    const h = await startHealthServer({ host: '127.0.0.1', port: 0, checks: { db: async () => { if (!up) throw new Error('down'); } } });
    try {
      expect((await fetch(`http://127.0.0.1:${h.port}/health`)).status).toBe(200);
      expect((await fetch(`http://127.0.0.1:${h.port}/ready`)).status).toBe(200);
      up = false;
      const res = await fetch(`http://127.0.0.1:${h.port}/ready`);
      expect(res.status).toBe(503);
      expect(await res.json()).toEqual({ status: 'not_ready', checks: { db: 'down' } });
    } finally {
      await h.close();
    }
  });
});
