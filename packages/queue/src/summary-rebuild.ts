import { enqueue, type Queues } from './queues.js';

/** Why a summary is rebuilt; one word per event kind so logs and counts stay readable. */
export type SummaryRebuildReason = 'workout' | 'workout-deleted' | 'report' | 'wellness' | 'plan' | 'profile' | 'stale' | 'missing' | 'backfill' | 'manual';

/**
 * Asks for a rebuild of one athlete's summary. Debounced per athlete by the catalog (`sum-<id>`,
 * trailing, keepLastIfActive): call it after every write that changes what the summary shows —
 * it is cheap, and a burst of calls becomes one build. Throws when Redis refuses (never drops).
 */
export async function requestSummaryRebuild(queues: Queues, athleteId: string, reason: SummaryRebuildReason): Promise<void> {
  await enqueue(queues, 'build-summary', { athleteId, reason });
}
