import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';

/**
 * Notices a Redis that lost its data (a restart without persistence, a failover to an empty
 * replica, a FLUSHALL): a marker key written once per data set. Every process that watches sets it
 * if it is missing (first writer wins) and remembers what it saw; a later look that finds it
 * missing or different means the queues, their delayed jobs and the job schedulers are gone.
 * `check` answers the epoch to acknowledge when a recovery is due; `acknowledge` is called only once
 * the recovery succeeded, so a failed one is tried again on the next look.
 */
export interface EpochWatch {
  /** The new epoch when Redis's data set changed since the last acknowledged look (the first look counts), else null. */
  check(): Promise<string | null>;
  acknowledge(epoch: string): void;
}

export function watchRedisEpoch(redis: Redis, prefix: string): EpochWatch {
  const key = `${prefix}:splits-epoch`;
  let seen: string | null = null;
  return {
    async check() {
      await redis.set(key, randomUUID(), 'NX');
      const now = await redis.get(key);
      return now !== null && now !== seen ? now : null;
    },
    acknowledge(epoch) {
      seen = epoch;
    },
  };
}
