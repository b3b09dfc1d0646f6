import { findUnqueuedInbox, type Db } from '@splits/db';
import { startPeriodicPass, type Queues } from '@splits/queue';
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
  const pass = async (stopping: () => boolean): Promise<number> => {
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
