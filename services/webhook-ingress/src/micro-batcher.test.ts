import { describe, expect, it } from '@jest/globals';
import { BatcherClosedError, MicroBatcher } from './micro-batcher.js';

/** A run() whose calls stay pending until the test settles them. */
function controlled() {
  const calls: { items: number[]; resolve(): void; reject(err: Error): void }[] = [];
  const run = (items: number[]) =>
    new Promise<string[]>((resolve, reject) => {
      calls.push({ items, resolve: () => resolve(items.map((i) => `r${i}`)), reject });
    });
  return { calls, run };
}
const tick = () => new Promise((r) => setImmediate(r));

describe('MicroBatcher', () => {
  it('coalesces submissions made in the same tick into one run and gives each its own outputs', async () => {
    const { calls, run } = controlled();
    const b = new MicroBatcher({ run, maxBatch: 100, maxInFlight: 1 });
    const a = b.submit([1, 2]);
    const c = b.submit([3]);
    await tick();
    expect(calls.map((x) => x.items)).toEqual([[1, 2, 3]]);
    calls[0]!.resolve();
    expect(await a).toEqual(['r1', 'r2']);
    expect(await c).toEqual(['r3']);
  });

  it('accumulates while every flush is busy and sends the backlog as one batch', async () => {
    const { calls, run } = controlled();
    const b = new MicroBatcher({ run, maxBatch: 100, maxInFlight: 1 });
    const first = b.submit([1]);
    await tick();
    const rest = [b.submit([2]), b.submit([3]), b.submit([4])];
    await tick();
    expect(calls).toHaveLength(1); // still busy
    calls[0]!.resolve();
    await first;
    expect(calls.map((x) => x.items)).toEqual([[1], [2, 3, 4]]);
    calls[1]!.resolve();
    expect(await Promise.all(rest)).toEqual([['r2'], ['r3'], ['r4']]);
  });

  it('bounds the batch size and the flushes in flight; a large submission goes whole', async () => {
    const { calls, run } = controlled();
    const b = new MicroBatcher({ run, maxBatch: 3, maxInFlight: 2 });
    const all = [b.submit([1, 2]), b.submit([3, 4]), b.submit([5, 6, 7, 8]), b.submit([9])];
    await tick();
    expect(calls.map((x) => x.items)).toEqual([[1, 2], [3, 4]]);
    calls[0]!.resolve();
    await tick();
    expect(calls.map((x) => x.items)).toEqual([[1, 2], [3, 4], [5, 6, 7, 8]]);
    calls[1]!.resolve();
    await tick();
    expect(calls[3]!.items).toEqual([9]);
    calls[2]!.resolve();
    calls[3]!.resolve();
    await expect(Promise.all(all)).resolves.toHaveLength(4);
  });

  it('rejects every submission of a failed flush, and only those', async () => {
    const { calls, run } = controlled();
    const b = new MicroBatcher({ run, maxBatch: 100, maxInFlight: 1 });
    const failed = [b.submit([1]), b.submit([2])];
    await tick();
    const later = b.submit([3]);
    calls[0]!.reject(new Error('connection refused'));
    for (const p of failed) await expect(p).rejects.toThrow('connection refused');
    await tick();
    calls[1]!.resolve();
    expect(await later).toEqual(['r3']);
  });

  it('with isolate, a flush that one submission broke is retried one submission at a time: only the culprit fails', async () => {
    const flushes: { size: number; failed: boolean }[] = [];
    const b = new MicroBatcher<number, number>({
      run: async (items) => {
        if (items.includes(13)) throw new Error('bad data');
        return items.map((i) => i * 10);
      },
      maxBatch: 100,
      maxInFlight: 1,
      isolate: (err) => (err as Error).message === 'bad data',
      onFlush: (size, _ms, err) => flushes.push({ size, failed: err !== undefined }),
    });
    const [a, bad, c] = [b.submit([1, 2]), b.submit([13, 3]), b.submit([4])];
    expect(await a).toEqual([10, 20]);
    await expect(bad).rejects.toThrow('bad data');
    expect(await c).toEqual([40]);
    expect(flushes).toEqual([
      { size: 5, failed: true },
      { size: 2, failed: false },
      { size: 2, failed: true },
      { size: 1, failed: false },
    ]);
    // An error that isolate does not claim (a dependency down) still fails the whole flush, once.
    const down = new MicroBatcher<number, number>({
      run: async () => {
        throw new Error('connection refused');
      },
      maxBatch: 100,
      maxInFlight: 1,
      isolate: (err) => (err as Error).message === 'bad data',
      onFlush: (size) => flushes.push({ size, failed: true }),
    });
    flushes.length = 0;
    const both = [down.submit([1]), down.submit([2])];
    for (const p of both) await expect(p).rejects.toThrow('connection refused');
    expect(flushes).toHaveLength(1);
  });

  it('turns a synchronous throw or a short result into a rejection', async () => {
    const throwing = new MicroBatcher<number, number>({
      run: () => {
        throw new Error('boom');
      },
      maxBatch: 10,
      maxInFlight: 1,
    });
    await expect(throwing.submit([1])).rejects.toThrow('boom');
    const short = new MicroBatcher<number, number>({ run: async () => [1], maxBatch: 10, maxInFlight: 1 });
    await expect(short.submit([1, 2])).rejects.toThrow('1 outputs for 2 items');
  });

  it('close() flushes what was submitted and refuses new work', async () => {
    const seen: number[][] = [];
    const b = new MicroBatcher<number, number>({ run: async (items) => (seen.push(items), items), maxBatch: 10, maxInFlight: 1 });
    const p = b.submit([1, 2]);
    await b.close();
    expect(await p).toEqual([1, 2]);
    expect(seen).toEqual([[1, 2]]);
    await expect(b.submit([3])).rejects.toBeInstanceOf(BatcherClosedError);
  });
});
