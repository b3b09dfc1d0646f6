import { pruneExpiredGrants, pruneInbox, type Db } from '@splits/db';
import { createWorkers, queueCatalog, type Queues } from '@splits/queue';
import type { Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from '@splits/telemetry';

export interface RetentionOptions {
  /** Processed inbox rows (queued, ignored, rejected). */
  inboxDays: number;
  /** Events of athletes Splits does not serve (payload already dropped; kept for dedupe). */
  unknownAthleteDays: number;
  /** Sign-in and link codes, OAuth authorizations and tokens, counted from their expiry. */
  expiredCodesDays: number;
}

/**
 * prune-retention: deletes what Splits no longer needs. It runs in the ingress because the bulk of it,
 * and the only personal payloads, is webhook_inbox, whose rows the ingress writes and whose pending
 * state its relay owns; the expired codes and tokens it also removes are rows every reader already
 * ignores, so their owner (the gateway) sees no change.
 */
export async function processPruneRetention(deps: { db: Db; log: Logger }, opts: RetentionOptions) {
  const inbox = await pruneInbox(deps.db, { processedDays: opts.inboxDays, unknownAthleteDays: opts.unknownAthleteDays });
  const grants = await pruneExpiredGrants(deps.db, { graceDays: opts.expiredCodesDays });
  const counts = { ...inbox, ...grants };
  if (Object.values(counts).some((n) => n > 0)) deps.log.info(counts, 'retention pruned old rows');
  return counts;
}

export const PRUNE_RETENTION_SCHEDULER = 'prune-retention';

/**
 * One job scheduler, whatever the number of ingress replicas. Touched only when missing (a Redis that
 * lost its data) or when the period changed: an upsert queues an immediate run. Returns whether it
 * was (re)created.
 */
export async function syncRetentionSchedule(queues: Queues, everyMs: number): Promise<boolean> {
  const queue = queues['prune-retention'];
  const existing = (await queue.getJobSchedulers(0, -1)).find((s) => (s.key ?? s.id) === PRUNE_RETENTION_SCHEDULER);
  if (existing && Number(existing.every) === everyMs) return false;
  await queue.upsertJobScheduler(
    PRUNE_RETENTION_SCHEDULER,
    { every: everyMs },
    { name: 'prune-retention', data: {}, opts: queueCatalog['prune-retention'].defaults },
  );
  return true;
}

export interface RetentionDeps {
  db: Db;
  queues: Queues;
  /** A connection for the worker's blocking commands (maxRetriesPerRequest null), not the request path's. */
  connection: Redis;
  prefix: string;
  log: Logger;
  everyMs: number;
  /** How often the scheduler is checked (it comes back after Redis lost its data). */
  checkEveryMs?: number;
  retention: RetentionOptions;
}

/**
 * The ingress's one worker and its schedule. Redis being away at start or later never stops the
 * ingress: the schedule is checked again on the next beat, and the worker waits for its connection.
 */
export function startRetention(deps: RetentionDeps): { worker: Worker; stop(): Promise<void> } {
  const [worker] = createWorkers(
    ['prune-retention'],
    { 'prune-retention': () => processPruneRetention(deps, deps.retention) },
    { connection: deps.connection, prefix: deps.prefix, log: deps.log },
    { 'prune-retention': { concurrency: 1 } },
  );
  const check = async () => {
    try {
      if (await syncRetentionSchedule(deps.queues, deps.everyMs)) deps.log.info({ everyMs: deps.everyMs }, 'retention prune scheduled');
    } catch (err) {
      deps.log.warn({ err: (err as Error).message }, 'could not schedule the retention prune; retrying');
    }
  };
  void check();
  const timer = setInterval(() => void check(), deps.checkEveryMs ?? 10 * 60_000);
  return {
    worker: worker!,
    async stop() {
      clearInterval(timer);
      await worker!.close();
    },
  };
}
