import type { OutboxJob } from './outbox.js';
import { enqueue, type Queues } from './queues.js';

/** Why a summary is rebuilt; one word per event kind so logs and counts stay readable. */
export type SummaryRebuildReason = 'workout' | 'workout-deleted' | 'report' | 'wellness' | 'plan' | 'profile' | 'stale' | 'missing' | 'backfill' | 'manual' | 'recovery';

/**
 * The one producer of `build-summary`: every request for a rebuild goes through here (or through
 * summaryRebuildJob when it must commit with a change). Debounced per athlete by the catalog
 * (`sum-<id>`, trailing, keepLastIfActive): call it after every write that changes what the summary
 * shows — it is cheap, and a burst of calls becomes one build. A `missing` summary (someone is
 * waiting for the first one) is built without the debounce wait. Throws when Redis refuses (never drops).
 */
export async function requestSummaryRebuild(queues: Queues, athleteId: string, reason: SummaryRebuildReason): Promise<void> {
  await enqueue(queues, 'build-summary', { athleteId, reason }, reason === 'missing' ? { delay: 0 } : {});
}

/** The same request staged in the outbox, to commit with the change that calls for it (stageJobs). */
export function summaryRebuildJob(athleteId: string, reason: SummaryRebuildReason): OutboxJob {
  return { queue: 'build-summary', payload: { athleteId, reason } };
}
