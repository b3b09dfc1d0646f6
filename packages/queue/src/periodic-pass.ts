import type { Redis } from 'ioredis';
import type { Logger } from 'pino';

export interface PeriodicPass {
  /** Runs a pass now, or joins the one running. */
  runOnce(): Promise<number>;
  /** No new pass starts; resolves when the running one has finished. */
  stop(): Promise<void>;
}

/**
 * A relay's loop: `pass` every `intervalMs` after the previous one ends, and at once when Redis
 * comes back (`ready`), one at a time (a trigger during a pass shares it). A failing pass is logged
 * as `<what> pass failed` and retried on the next tick; nothing escapes the timer. `pass` reads
 * `stopping()` to end a long pass early.
 */
export function startPeriodicPass(opts: {
  what: string;
  intervalMs: number;
  log: Logger;
  redis?: Redis;
  pass: (stopping: () => boolean) => Promise<number>;
}): PeriodicPass {
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  let running: Promise<number> | null = null;
  const stopping = () => stopped;

  const runOnce = (): Promise<number> => {
    running ??= opts
      .pass(stopping)
      .catch((err: unknown) => {
        opts.log.warn({ err: (err as Error).message }, `${opts.what} pass failed; retrying next tick`);
        return 0;
      })
      .finally(() => {
        running = null;
      });
    return running;
  };
  const tick = () => {
    void runOnce().finally(() => {
      if (!stopped) timer = setTimeout(tick, opts.intervalMs);
    });
  };
  const onReady = () => void runOnce();
  opts.redis?.on('ready', onReady);
  timer = setTimeout(tick, opts.intervalMs);

  return {
    runOnce,
    async stop() {
      stopped = true;
      clearTimeout(timer);
      opts.redis?.off('ready', onReady);
      await running;
    },
  };
}
