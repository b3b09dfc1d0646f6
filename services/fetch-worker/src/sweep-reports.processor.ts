import { listPendingReportWritebacks } from '@splits/db';
import { enqueueBulk, queueCatalog, requestSummaryRebuild, type Queues } from '@splits/queue';
import type { FetchDeps } from './context.js';

export interface SweepReportsOptions {
  /** Younger revisions may still be on their way to the queue from the request that saved them. */
  minAgeMs: number;
  batchSize?: number;
}

/**
 * sweep-reports: a report revision is saved in Postgres first and queued second, so a queue that
 * refused the job (Redis away, a process gone in between) leaves it pending with no job. Every
 * revision still pending after `minAgeMs` is added again under its write-report job id: one that
 * is queued, running or retrying is left as it is (same id), a lost one is queued anew, so it is
 * written back once. An athlete whose summary predates the report gets the rebuild the lost
 * request would have asked for (debounced per athlete).
 */
export async function processSweepReports(
  deps: Pick<FetchDeps, 'db' | 'queues' | 'log'>,
  opts: SweepReportsOptions,
): Promise<{ pending: number; summaries: number }> {
  const limit = opts.batchSize ?? 500;
  const behind = new Set<string>();
  let pending = 0;
  let afterId: string | null = null;
  for (;;) {
    const rows = await listPendingReportWritebacks(deps.db, { olderThanMs: opts.minAgeMs, afterId, limit });
    await enqueueBulk(
      deps.queues,
      'write-report',
      rows.map((r) => ({ payload: { reportId: r.id, rev: r.revision } })),
    );
    for (const r of rows) if (r.summaryBehind) behind.add(r.athleteId);
    pending += rows.length;
    if (rows.length < limit) break;
    afterId = rows[rows.length - 1]!.id;
  }
  for (const athleteId of behind) await requestSummaryRebuild(deps.queues, athleteId, 'report');
  if (pending > 0) deps.log.info({ pending, summaries: behind.size }, 'report sweep re-added pending write-backs');
  return { pending, summaries: behind.size };
}

export const SWEEP_REPORTS_SCHEDULER = 'sweep-reports';

/**
 * One job scheduler for the sweep, whatever the number of fetch-worker replicas. Upserting an
 * unchanged scheduler would queue another immediate run, so it is touched only when missing (a
 * Redis that lost its data) or when the period changed. Returns whether it was (re)created.
 */
export async function syncSweepReportsSchedule(queues: Queues, everyMs: number): Promise<boolean> {
  const queue = queues['sweep-reports'];
  const existing = (await queue.getJobSchedulers(0, -1)).find((s) => (s.key ?? s.id) === SWEEP_REPORTS_SCHEDULER);
  if (existing && Number(existing.every) === everyMs) return false;
  await queue.upsertJobScheduler(
    SWEEP_REPORTS_SCHEDULER,
    { every: everyMs },
    { name: 'sweep-reports', data: {}, opts: queueCatalog['sweep-reports'].defaults },
  );
  return true;
}
