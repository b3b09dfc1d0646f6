import { findUnqueuedInbox, rependLostInbox, type Db } from '@splits/db';
import { RECOVERY_WINDOW_MS, startPeriodicPass, watchRedisEpoch, type Queues } from '@splits/queue';
import type { Logger } from '@splits/telemetry';
import type { Redis } from 'ioredis';
import { routeEvent, type RoutableEvent, type RoutingOptions } from './routing.js';
import { enqueueWork } from './work-enqueuer.js';

export interface RelayDeps {
  db: Db;
  queues: Queues;
  log: Logger;
  intervalMs: number;
  /** Younger rows are still being handed over by the request path. */
  minAgeMs: number;
  routing: RoutingOptions;
  /** When given, a reconnect of this connection triggers a pass at once instead of at the next tick. */
  redis?: Redis;
  batchSize?: number;
  /**
   * With the queue prefix: when Redis comes back without its data (watchRedisEpoch), accepted rows of
   * the recovery window whose work is not visibly done go back on the work list (rependLostInbox).
   */
  recover?: { prefix: string; windowMs?: number };
}

/** The stored row as routing sees it: its columns win over whatever the payload says. */
function routable(r: { type: string; activity_id: string | null; payload: unknown }): RoutableEvent {
  const p = (r.payload && typeof r.payload === 'object' ? r.payload : {}) as Partial<RoutableEvent>;
  return { ...p, type: r.type, activity: r.activity_id ? { id: r.activity_id } : (p.activity ?? null) };
}

export interface Relay {
  /** One pass now (also what the timer runs); resolves with the number of rows queued. */
  runOnce(): Promise<number>;
  stop(): Promise<void>;
}

/**
 * Re-queues inbox rows that were stored but never reached Redis (DESIGN §8: nothing accepted is
 * lost). Deterministic jobIds make a second add of the same row harmless. A failing pass is logged
 * and retried on the next tick; nothing escapes the timer.
 */
export function startRelay(deps: RelayDeps): Relay {
  const batchSize = deps.batchSize ?? 500;
  const watch = deps.recover && deps.redis ? watchRedisEpoch(deps.redis, deps.recover.prefix) : null;
  const pass = async (stopping: () => boolean): Promise<number> => {
    const epoch = await watch?.check();
    if (epoch) {
      const owed = await rependLostInbox(deps.db, deps.recover?.windowMs ?? RECOVERY_WINDOW_MS);
      if (owed > 0) deps.log.warn({ owed }, 'Redis lost its data: accepted events put back for the relay');
      watch!.acknowledge(epoch);
    }
    let queued = 0;
    for (;;) {
      const rows = await findUnqueuedInbox(deps.db, deps.minAgeMs, batchSize);
      // Every pending row is handed over (a row without an athlete has no jobs and is simply cleared).
      const items = rows.map((r) => ({
        inboxId: r.id,
        jobs: r.athlete_id ? routeEvent({ inboxId: r.id, athleteId: r.athlete_id }, routable(r), deps.routing) : [],
        trace: r.trace_context,
      }));
      const done = await enqueueWork(deps, items);
      queued += done.queued;
      for (const r of done.rejected) deps.log.warn({ inboxId: r.id, reason: r.reason }, 'inbox row rejected: its jobs failed the queue catalog');
      if (rows.length < batchSize || stopping()) break;
    }
    if (queued > 0) deps.log.info({ queued }, 'relay queued stored events');
    return queued;
  };
  return startPeriodicPass({ what: 'relay', intervalMs: deps.intervalMs, log: deps.log, redis: deps.redis, pass });
}
