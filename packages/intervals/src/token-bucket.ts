export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/**
 * Token bucket: `ratePerSec` tokens per second, at most `burst` saved up. Callers reserve a token
 * synchronously (the balance may go negative) and then wait out their debt, so concurrent callers
 * are served in arrival order and the long-run rate never exceeds `ratePerSec`. One bucket can be
 * shared by every client of a process (Intervals.icu limits per IP, not per athlete).
 */
export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    readonly ratePerSec: number,
    readonly burst: number = ratePerSec,
    private readonly clock: Clock = systemClock,
  ) {
    if (!(ratePerSec > 0)) throw new RangeError('ratePerSec must be > 0');
    if (!(burst >= 1)) throw new RangeError('burst must be >= 1');
    this.tokens = burst;
    this.last = clock.now();
  }

  /** Takes one token now and returns how long the caller must wait before using it (ms). */
  reserve(): number {
    const now = this.clock.now();
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.ratePerSec);
    this.last = now;
    this.tokens -= 1;
    return this.tokens >= 0 ? 0 : Math.ceil((-this.tokens / this.ratePerSec) * 1000);
  }

  /** Resolves once the caller may send one request. */
  async take(): Promise<void> {
    const wait = this.reserve();
    if (wait > 0) await this.clock.sleep(wait);
  }
}
