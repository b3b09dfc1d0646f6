import type { Job } from 'bullmq';
import { setConnectionStatus } from '@splits/db';
import type { Handlers, QueueName } from '@splits/queue';
import { processBackfill } from './backfill.processor.js';
import type { FetchDeps } from './context.js';
import { processFetchActivity } from './fetch-activity.processor.js';
import { asJobError } from './job-errors.js';
import { processPollAthlete, type PollOptions } from './poll.processor.js';
import { processSweepReports, type SweepReportsOptions } from './sweep-reports.processor.js';
import { processSyncCalendar, processSyncPaceModel, processSyncSettings, processSyncWellness, processUpdateConnection } from './sync.processors.js';
import { processWriteReport } from './write-report.processor.js';

export const FETCH_WORKER_QUEUES = [
  'fetch-activity',
  'write-report',
  'sweep-reports',
  'sync-wellness',
  'sync-calendar',
  'sync-settings',
  'sync-pace-model',
  'update-connection',
  'poll-athlete',
  'backfill-athlete',
] as const satisfies readonly QueueName[];
export type FetchWorkerQueue = (typeof FETCH_WORKER_QUEUES)[number];

/**
 * The fetch-worker's processors, each with the same error mapping (job-errors.ts): a refused
 * credential marks the athlete's connection broken. main.ts and the integration tests wire these.
 */
export function fetchWorkerHandlers(deps: FetchDeps, opts: { poll: PollOptions; sweep: SweepReportsOptions }): Handlers<FetchWorkerQueue> {
  const fail = (athleteId: string, job: Job, token: string | undefined) => (err: unknown) =>
    asJobError(err, job, token, {
      onAuthRejected: async (reason) => {
        await setConnectionStatus(deps.db, athleteId, 'broken', reason);
        deps.log.warn({ athleteId, reason }, 'Intervals.icu connection marked broken');
      },
    });
  return {
    'fetch-activity': (p, job, token) => processFetchActivity(p, job, token, deps).catch(fail(p.athleteId, job, token)),
    'sync-wellness': (p, job, token) => processSyncWellness(p, deps).catch(fail(p.athleteId, job, token)),
    'sync-calendar': (p, job, token) => processSyncCalendar(p, deps).catch(fail(p.athleteId, job, token)),
    'sync-settings': (p, job, token) => processSyncSettings(p, deps).catch(fail(p.athleteId, job, token)),
    'sync-pace-model': (p, job, token) => processSyncPaceModel(p, deps).catch(fail(p.athleteId, job, token)),
    'update-connection': (p, job, token) => processUpdateConnection(p, deps).catch(fail(p.athleteId, job, token)),
    'poll-athlete': (p, job, token) => processPollAthlete(p, deps, opts.poll).catch(fail(p.athleteId, job, token)),
    'backfill-athlete': (p, job, token) => processBackfill(p, job, deps).catch(fail(p.athleteId, job, token)),
    'write-report': (p, job, token) => processWriteReport(p, job, token, { ...deps, writerFor: deps.clientFor }),
    'sweep-reports': () => processSweepReports(deps, opts.sweep),
  };
}
