import { sql } from 'kysely';
import type { Db } from '@splits/db';
import type { Redis } from 'ioredis';

export type CheckState = 'ok' | 'down';
export interface Readiness {
  status: 'ready' | 'not_ready';
  checks: { postgres: CheckState; redis: CheckState };
}

async function within(ms: number, work: () => Promise<unknown>): Promise<CheckState> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('timeout')), ms);
  });
  try {
    await Promise.race([work(), timeout]);
    return 'ok';
  } catch {
    return 'down';
  } finally {
    clearTimeout(timer);
  }
}

/** Postgres answers `select 1` and the queues' Redis connection answers PING, each within `timeoutMs`. */
export async function checkReadiness(deps: { db: Db; redis: Redis }, timeoutMs = 1_000): Promise<Readiness> {
  const [postgres, redis] = await Promise.all([
    within(timeoutMs, () => sql`select 1`.execute(deps.db)),
    within(timeoutMs, () => deps.redis.ping()),
  ]);
  return { status: postgres === 'ok' && redis === 'ok' ? 'ready' : 'not_ready', checks: { postgres, redis } };
}
