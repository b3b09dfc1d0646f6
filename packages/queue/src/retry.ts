import type { Queues } from './queues.js';
import { queueNames, type QueueName } from './catalog.js';

/**
 * Replaying failed jobs (DESIGN §3: failed jobs that used their attempts stay visible and can be
 * replayed), one owner for the CLI (`pnpm splits jobs retry`) and the dashboard's overview.
 */
export class UnknownQueueError extends Error {
  constructor(queue: string) {
    super(`unknown queue ${queue}; one of ${queueNames.join(', ')}`);
  }
}

export function queueNamed(name: string): QueueName {
  if (!(queueNames as string[]).includes(name)) throw new UnknownQueueError(name);
  return name as QueueName;
}

/** Moves one failed job back to waiting; false when the queue holds no failed job of that id. */
export async function retryFailedJob(queues: Queues, queue: QueueName, jobId: string): Promise<boolean> {
  const job = await queues[queue].getJob(jobId);
  if (!job || !(await job.isFailed())) return false;
  await job.retry('failed');
  return true;
}

/** Moves every failed job of one queue back to waiting (BullMQ's retryJobs, in pages); resolves with how many. */
export async function retryAllFailed(queues: Queues, queue: QueueName): Promise<number> {
  const q = queues[queue];
  const before = await q.getFailedCount();
  await q.retryJobs({ state: 'failed', count: 1_000 });
  return before;
}
