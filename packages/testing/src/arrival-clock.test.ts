import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { startArrivalClock, type ArrivalClock } from './arrival-clock.js';

/**
 * From another process: five requests 150 ms apart, each on its own keep-alive connection (a GET, a
 * sized POST, a chunked PUT, two more GETs); once all are answered, two more one after the other on
 * those connections, after the bodies.
 */
const SENDER = `
const http = require('node:http');
const agent = new http.Agent({ keepAlive: true, maxSockets: 5 });
const url = new URL(process.argv[1]);
const marker = process.argv[2];
const send = (method, path, body, chunked) => new Promise((resolve) => {
  const req = http.request({ host: url.hostname, port: url.port, method, path, agent, headers: body && !chunked ? { 'content-length': Buffer.byteLength(body) } : {} }, (res) => { res.resume(); res.on('end', resolve); });
  if (chunked) { req.write(body.slice(0, 3)); req.write(body.slice(3)); } else if (body) req.write(body);
  req.end();
});
const plan = [['GET', '/api/a?x=1'], ['POST', '/api/b', '{"k":"v"}'], ['PUT', '/api/c', 'chunky body', true], ['GET', '/api/d'], ['GET', '/api/e']];
(async () => {
  const sent = [];
  for (let i = 0; i < plan.length; i++) {
    // At least 150 ms after the previous one, however late this process gets to run.
    if (i > 0) await new Promise((r) => setTimeout(r, 150));
    sent.push(send(...plan[i]));
  }
  await new Promise((r) => setTimeout(r, 100));
  require('node:fs').writeFileSync(marker, 'sent');
  await Promise.all(sent);
  await send('POST', '/api/f', 'x'.repeat(5000));
  await send('GET', '/api/g');
  agent.destroy();
})();
`;

let server: FastifyInstance;
let clock: ArrivalClock;
const seenByServer: number[] = [];

beforeAll(async () => {
  server = Fastify();
  server.addContentTypeParser('*', { parseAs: 'string' }, (_req, body, done) => done(null, body));
  server.addHook('onRequest', async () => void seenByServer.push(Date.now()));
  server.all('/api/*', async (req) => ({ got: req.body ?? null }));
  await server.listen({ port: 0, host: '127.0.0.1' });
  clock = await startArrivalClock(`http://127.0.0.1:${(server.server.address() as { port: number }).port}`);
});
afterAll(async () => {
  await clock?.close();
  await server?.close();
});

describe('startArrivalClock', () => {
  it('stamps requests when they arrive, even while the server\'s own thread is too busy to notice them', async () => {
    const marker = join(mkdtempSync(join(tmpdir(), 'clock-')), 'sent');
    const sender = spawn(process.execPath, ['-e', SENDER, clock.url, marker], { stdio: 'ignore' });
    // The server's thread is busy for the whole send (until the sender says it sent the five): it sees every request only afterwards.
    const until = Date.now() + 20_000;
    while (!existsSync(marker) && Date.now() < until) {
      /* busy */
    }
    await new Promise((r) => sender.once('exit', r));
    await new Promise((r) => setTimeout(r, 300));
    const arrivals = clock.arrivals();
    expect(arrivals.map((a) => `${a.method} ${a.path}`)).toEqual(['GET /api/a', 'POST /api/b', 'PUT /api/c', 'GET /api/d', 'GET /api/e', 'POST /api/f', 'GET /api/g']);
    const spread = (ts: number[]) => Math.max(...ts) - Math.min(...ts);
    // The first five were sent at least 600 ms apart in all: the clock saw them apart, the busy server all at once.
    expect(spread(arrivals.slice(0, 5).map((a) => a.at))).toBeGreaterThanOrEqual(550);
    expect(spread(seenByServer.slice(0, 5))).toBeLessThan(100);
  });
});
