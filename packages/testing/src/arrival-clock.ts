import { Worker } from 'node:worker_threads';

/** One HTTP request as it reached the clock: method, path (query left out) and wall-clock time of its first byte. */
export interface Arrival {
  method: string;
  path: string;
  at: number;
}

export interface ArrivalClock {
  /** Where clients send their requests instead of the target. */
  url: string;
  /** Every request seen so far, in arrival order. */
  arrivals(): Arrival[];
  close(): Promise<void>;
}

/**
 * The proxy, run in its own thread: a TCP pipe to the target that frames the HTTP/1.1 requests
 * flowing through it (Content-Length or chunked bodies, keep-alive) and notes when each one's first
 * byte arrived. Plain JavaScript, so a worker can evaluate it under any loader.
 */
const PROXY = String.raw`
const net = require('node:net');
const { parentPort, workerData } = require('node:worker_threads');
const CRLF2 = Buffer.from('\r\n\r\n');
const CHUNK_END = Buffer.from('\r\n0\r\n\r\n');
const server = net.createServer((client) => {
  const upstream = net.connect({ host: workerData.host, port: workerData.port });
  let buf = Buffer.alloc(0);
  let head = null; // { at, method, path } of the request whose head is being read
  let bodyLeft = 0;
  let chunked = false;
  const frame = () => {
    for (;;) {
      if (bodyLeft > 0) {
        const n = Math.min(bodyLeft, buf.length);
        bodyLeft -= n;
        buf = buf.subarray(n);
        if (bodyLeft > 0) return;
      }
      if (chunked) {
        const end = buf.indexOf(CHUNK_END);
        if (end < 0) { buf = buf.subarray(Math.max(0, buf.length - CHUNK_END.length)); return; }
        buf = buf.subarray(end + CHUNK_END.length);
        chunked = false;
      }
      if (buf.length === 0) return;
      if (!head) head = { at: Date.now() };
      const end = buf.indexOf(CRLF2);
      if (end < 0) return;
      const text = buf.subarray(0, end).toString('latin1');
      const [method = '', target = ''] = text.slice(0, text.indexOf('\r\n') >>> 0).split(' ');
      const length = /\r\ncontent-length:\s*(\d+)/i.exec(text);
      chunked = /\r\ntransfer-encoding:[^\r]*chunked/i.test(text);
      bodyLeft = length ? Number(length[1]) : 0;
      parentPort.postMessage({ method, path: target.split('?')[0], at: head.at });
      head = null;
      buf = buf.subarray(end + CRLF2.length);
    }
  };
  client.on('data', (chunk) => {
    if (!head && buf.length === 0 && bodyLeft === 0 && !chunked) head = { at: Date.now() };
    buf = buf.length ? Buffer.concat([buf, chunk]) : chunk;
    frame();
    upstream.write(chunk);
  });
  upstream.pipe(client);
  const both = () => { client.destroy(); upstream.destroy(); };
  client.on('error', both); upstream.on('error', both);
  client.on('close', both); upstream.on('close', both);
});
server.listen(0, '127.0.0.1', () => parentPort.postMessage({ listening: server.address().port }));
parentPort.on('message', (m) => { if (m === 'close') server.close(() => process.exit(0)); });
`;

/**
 * Stamps the requests sent to `target` where a server would: when they arrive, on a thread of its
 * own. A fake server in a test process stamps requests when its event loop gets to them; while that
 * loop is busy (generating an activity's streams, the test's own work), requests that arrived apart
 * are stamped together, and a rate measured from them reads high. The clock's thread does nothing
 * else, so its stamps follow the arrivals.
 */
export async function startArrivalClock(target: string): Promise<ArrivalClock> {
  const t = new URL(target);
  const worker = new Worker(PROXY, { eval: true, workerData: { host: t.hostname, port: Number(t.port) } });
  const arrivals: Arrival[] = [];
  const port = await new Promise<number>((resolve, reject) => {
    worker.once('error', reject);
    worker.on('message', (m: Arrival | { listening: number }) => {
      if ('listening' in m) resolve(m.listening);
      else arrivals.push(m);
    });
  });
  return {
    url: `http://127.0.0.1:${port}`,
    arrivals: () => [...arrivals],
    async close() {
      const exited = new Promise((r) => worker.once('exit', r));
      worker.postMessage('close');
      // Open keep-alive connections would hold server.close: the thread is ended after a moment regardless.
      const timer = setTimeout(() => void worker.terminate(), 1_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
