import type { Logger } from 'pino';

type Closer = () => Promise<unknown> | unknown;

/**
 * The one shutdown owner of a process. Resources register a closer as they open; on SIGINT/SIGTERM
 * (or `run()`), closers run in reverse order (stop intake first, pool last) under a hard deadline.
 */
export class Shutdown {
  private closers: { name: string; fn: Closer }[] = [];
  private running: Promise<void> | null = null;

  constructor(
    private readonly log: Logger,
    private readonly deadlineMs: number,
  ) {}

  register(name: string, fn: Closer): void {
    this.closers.push({ name, fn });
  }

  listen(exit: (code: number) => void = (c) => process.exit(c)): void {
    const onSignal = (signal: string) => {
      this.log.info({ signal }, 'shutting down');
      void this.run().then(
        () => exit(0),
        () => exit(1),
      );
    };
    process.once('SIGINT', () => onSignal('SIGINT'));
    process.once('SIGTERM', () => onSignal('SIGTERM'));
  }

  run(): Promise<void> {
    this.running ??= this.closeAll();
    return this.running;
  }

  private async closeAll(): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`shutdown exceeded ${this.deadlineMs} ms`)), this.deadlineMs);
      timer.unref();
    });
    const work = (async () => {
      for (const { name, fn } of [...this.closers].reverse()) {
        try {
          await fn();
        } catch (err) {
          this.log.error({ resource: name, err: (err as Error).message }, 'close failed');
        }
      }
    })();
    try {
      await Promise.race([work, deadline]);
      this.log.info('shutdown complete');
    } catch (err) {
      this.log.error({ err: (err as Error).message }, 'shutdown deadline hit');
      throw err;
    } finally {
      clearTimeout(timer);
    }
  }
}
