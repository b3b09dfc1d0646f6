import type { Redis } from 'ioredis';
import { startPeriodicPass, type PeriodicPass } from './periodic-pass.js';
import type { Logger } from 'pino';
import { deleteOutbox, insertOutbox, listOutbox, type Db } from '@splits/db';
import { currentTraceCarrier, type TraceCarrier } from '@splits/telemetry';
import { queueCatalog, queueNames, type JobInput, type QueueName } from './catalog.js';
import { enqueueBulk, type Queues } from './queues.js';
import { watchRedisEpoch } from './epoch.js';

/**
 * The transactional outbox (DESIGN §3). Work that must follow a committed change is staged in
 * `job_outbox` by the transaction that makes the change, so the two commit together; after the
 * commit `handOn` adds the jobs and deletes the rows. A process that dies in between, or a Redis that
 * refuses the add, leaves the rows, and the relay (every worker process that stages, see
 * startWorkerProcess) adds them once they are older than its min age. Job ids are deterministic or
 * debounced, so a job added twice (hand-on and relay) is one job; a finished one is run past as the
 * catalog's `rerun` says.
 */
export type OutboxJob = { [N in QueueName]: { queue: N; payload: JobInput<N>; trace?: TraceCarrier | null } }[QueueName];

export interface StagedJobs {
  ids: string[];
  jobs: OutboxJob[];
}

/** Writes jobs into the outbox inside the caller's transaction (`trx`). Payloads are parsed first: a bad one fails the transaction. */
export async function stageJobs(trx: Db, athleteId: string | null, jobs: OutboxJob[]): Promise<StagedJobs> {
  // The stager's trace goes with the row: the job continues it whether handOn or the relay adds it.
  const trace = currentTraceCarrier();
  const parsed = jobs.map((j) => ({ queue: j.queue, payload: queueCatalog[j.queue].schema.parse(j.payload), trace }) as OutboxJob);
  const ids = await insertOutbox(trx, parsed.map((j) => ({ queue: j.queue, payload: j.payload, athleteId, traceContext: trace })));
  return { ids, jobs: parsed };
}

/**
 * After the commit: adds the staged jobs and deletes their rows. Throws if Redis refuses; the rows
 * then stay for the relay, so the caller may report the failure (a job retries) but nothing is lost.
 */
export async function handOn(deps: { db: Db; queues: Queues }, staged: StagedJobs): Promise<void> {
  if (staged.ids.length === 0) return;
  await addAll(deps.queues, staged.jobs);
  await deleteOutbox(deps.db, staged.ids);
}

async function addAll(queues: Queues, jobs: OutboxJob[]): Promise<void> {
  const byQueue = new Map<QueueName, { payload: unknown; trace?: TraceCarrier | null }[]>();
  for (const j of jobs) byQueue.set(j.queue, [...(byQueue.get(j.queue) ?? []), { payload: j.payload, trace: j.trace }]);
  for (const [queue, items] of byQueue) await enqueueBulk(queues, queue, items as Parameters<typeof enqueueBulk>[2]);
}

export interface OutboxRelayOptions {
  db: Db;
  queues: Queues;
  log: Logger;
  intervalMs: number;
  /** Younger rows are still being handed on by the process that staged them. */
  minAgeMs: number;
  /** When given, a reconnect of this connection triggers a pass at once instead of at the next tick. */
  redis?: Redis;
  batchSize?: number;
  /**
   * What this process owes when Redis comes back without its data (watchRedisEpoch): `run` re-derives
   * the lost jobs from Postgres. Checked before every pass; acknowledged only after `run` succeeded.
   */
  recover?: { prefix: string; run: () => Promise<number> };
}

/** How far back a recovery after Redis lost its data looks: work older than this finished or failed long ago. */
export const RECOVERY_WINDOW_MS = 48 * 3600_000;

/** runOnce: one pass now (also what the timer runs); resolves with the number of rows handed on. */
export type OutboxRelay = PeriodicPass;

/**
 * One relay pass: adds every staged job older than `minAgeMs`, then deletes its row. Throws if Redis
 * refuses. A row this build cannot add (a queue or payload shape from another release) is left in
 * place and logged, so it neither blocks the others nor disappears.
 */
export async function relayOutbox(deps: Pick<OutboxRelayOptions, 'db' | 'queues' | 'log' | 'minAgeMs' | 'batchSize'>): Promise<number> {
  const limit = deps.batchSize ?? 500;
  let relayed = 0;
  let afterId: string | null = null;
  for (;;) {
    const rows = await listOutbox(deps.db, { olderThanMs: deps.minAgeMs, afterId, limit });
    const valid = rows.filter((r) => {
      const ok = (queueNames as string[]).includes(r.queue) && queueCatalog[r.queue as QueueName].schema.safeParse(r.payload).success;
      if (!ok) deps.log.warn({ outboxId: r.id, queue: r.queue }, 'outbox row this build cannot queue; left for an operator');
      return ok;
    });
    await addAll(deps.queues, valid.map((r) => ({ queue: r.queue, payload: r.payload, trace: r.traceContext }) as OutboxJob));
    await deleteOutbox(deps.db, valid.map((r) => r.id));
    relayed += valid.length;
    if (rows.length < limit) return relayed;
    afterId = rows[rows.length - 1]!.id;
  }
}

/** Runs relayOutbox every `intervalMs` (and on a Redis reconnect); a failing pass is logged and retried on the next tick. */
export function startOutboxRelay(deps: OutboxRelayOptions): OutboxRelay {
  const watch = deps.recover && deps.redis ? watchRedisEpoch(deps.redis, deps.recover.prefix) : null;
  return startPeriodicPass({
    what: 'outbox relay',
    intervalMs: deps.intervalMs,
    log: deps.log,
    redis: deps.redis,
    pass: async () => {
      const epoch = await watch?.check();
      if (epoch && deps.recover) {
        const owed = await deps.recover.run();
        if (owed > 0) deps.log.warn({ owed }, 'Redis lost its data: re-queued the work Postgres says is owed');
        watch!.acknowledge(epoch);
      }
      const n = await relayOutbox(deps);
      if (n > 0) deps.log.info({ relayed: n }, 'outbox relay queued staged jobs');
      return n;
    },
  });
}
