/**
 * Coalesces concurrent submissions into one call of `run` ("group commit").
 *
 * A flush starts on the next turn of the event loop after the first waiting submission, or at once
 * when `maxBatch` items are waiting. At most `maxInFlight` flushes run together; while they are all
 * busy, new submissions accumulate and go out together as soon as one finishes, so the batch size
 * grows with the load and stays at one submission when the load is light (no added latency).
 *
 * `run` returns one output per input item, in order; each submitter receives the outputs of its
 * own items. A failed flush rejects every submission in it, and nothing else, unless `isolate` says
 * the failure may come from one submission's items (bad data rather than a dependency that is down):
 * then each of its submissions is run again alone, ahead of newer work, so only the culprit fails.
 */
export interface MicroBatcherOptions<I, O> {
  run(items: I[]): Promise<O[]>;
  /** Items per flush; one submission larger than this still goes out whole, alone. */
  maxBatch: number;
  maxInFlight: number;
  /** Called after each flush (size, ms, error or undefined): metrics and tests. */
  onFlush?: (size: number, ms: number, err?: unknown) => void;
  /** Whether a failed flush of several submissions should be retried one submission at a time. */
  isolate?: (err: unknown) => boolean;
}

interface Waiter<I, O> {
  items: I[];
  resolve(out: O[]): void;
  reject(err: unknown): void;
  /** Runs in a flush of its own (its shared flush failed with an isolatable error). */
  alone?: boolean;
}

export class BatcherClosedError extends Error {
  constructor() {
    super('batcher is closed');
    this.name = 'BatcherClosedError';
  }
}

export class MicroBatcher<I, O> {
  private waiting: Waiter<I, O>[] = [];
  private waitingItems = 0;
  private inFlight = 0;
  private scheduled = false;
  private closed = false;
  private idle: (() => void)[] = [];

  constructor(private readonly opts: MicroBatcherOptions<I, O>) {
    if (opts.maxBatch < 1 || opts.maxInFlight < 1) throw new Error('maxBatch and maxInFlight must be ≥ 1');
  }

  /** Items waiting for a flush (not yet sent). */
  get pending(): number {
    return this.waitingItems;
  }

  submit(items: I[]): Promise<O[]> {
    if (this.closed) return Promise.reject(new BatcherClosedError());
    if (items.length === 0) return Promise.resolve([]);
    return new Promise<O[]>((resolve, reject) => {
      this.waiting.push({ items, resolve, reject });
      this.waitingItems += items.length;
      if (this.waitingItems >= this.opts.maxBatch) this.pump();
      else this.schedule();
    });
  }

  /** Stops accepting submissions and resolves once everything submitted so far has been flushed. */
  async close(): Promise<void> {
    this.closed = true;
    this.pump();
    if (this.inFlight === 0 && this.waiting.length === 0) return;
    await new Promise<void>((resolve) => this.idle.push(resolve));
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.pump();
    });
  }

  private pump(): void {
    while (this.inFlight < this.opts.maxInFlight && this.waiting.length > 0) this.flush(this.take());
    if (this.inFlight === 0 && this.waiting.length === 0) for (const done of this.idle.splice(0)) done();
  }

  /** Whole submissions, up to maxBatch items (at least one submission); one marked `alone` goes by itself. */
  private take(): Waiter<I, O>[] {
    const batch: Waiter<I, O>[] = [];
    let size = 0;
    while (this.waiting.length > 0) {
      const next = this.waiting[0]!;
      if (batch.length > 0 && (next.alone || size + next.items.length > this.opts.maxBatch)) break;
      batch.push(this.waiting.shift()!);
      size += next.items.length;
      if (next.alone) break;
    }
    this.waitingItems -= size;
    return batch;
  }

  private flush(batch: Waiter<I, O>[]): void {
    this.inFlight++;
    const items = batch.length === 1 ? batch[0]!.items : batch.flatMap((w) => w.items);
    const started = performance.now();
    const settle = (err: unknown, out?: O[]) => {
      this.inFlight--;
      this.opts.onFlush?.(items.length, performance.now() - started, err);
      if (err !== undefined && batch.length > 1 && this.opts.isolate?.(err)) {
        for (const w of batch) w.alone = true;
        this.waiting.unshift(...batch);
        this.waitingItems += items.length;
      } else if (err !== undefined) for (const w of batch) w.reject(err);
      else {
        let offset = 0;
        for (const w of batch) {
          w.resolve(out!.slice(offset, offset + w.items.length));
          offset += w.items.length;
        }
      }
      this.pump();
    };
    let running: Promise<O[]>;
    try {
      running = this.opts.run(items);
    } catch (err) {
      running = Promise.reject(err);
    }
    running.then(
      (out) => {
        if (out.length !== items.length) settle(new Error(`run returned ${out.length} outputs for ${items.length} items`));
        else settle(undefined, out);
      },
      (err: unknown) => settle(err ?? new Error('flush failed')),
    );
  }
}
