import type { Logger } from 'pino';
import { saveWorkoutReport, type Db, type NewWorkoutReport } from '@splits/db';
import { handOn, stageJobs } from './outbox.js';
import type { Queues } from './queues.js';
import { summaryRebuildJob } from './summary-rebuild.js';

export interface SavedReport {
  id: string;
  revision: number;
  athleteId: string;
  /** false: saved, but Redis refused the hand-on; the outbox relay queues the write-back later. */
  queued: boolean;
}

/**
 * The one path a report takes, from Telegram and from the web page alike: the next revision of the
 * workout's report, with its write-back to the Intervals.icu description (`write-report`) and the
 * summary rebuild staged in the same transaction (outbox), then handed on. `athleteId` (when given)
 * must own the workout, else nothing is written. Null: no such workout (of that athlete).
 */
export async function saveReport(
  deps: { db: Db; queues: Queues; log: Logger },
  r: NewWorkoutReport & { athleteId?: string },
): Promise<SavedReport | null> {
  const result = await deps.db.transaction().execute(async (trx) => {
    if (r.athleteId) {
      const owner = await trx.selectFrom('workout').select('athlete_id').where('id', '=', r.workoutId).executeTakeFirst();
      if (owner?.athlete_id !== r.athleteId) return null;
    }
    const saved = await saveWorkoutReport(trx, { workoutId: r.workoutId, text: r.text, source: r.source, sourceRef: r.sourceRef });
    if (!saved) return null;
    const staged = await stageJobs(trx, saved.athleteId, [
      { queue: 'write-report', payload: { reportId: saved.id, rev: saved.revision } },
      summaryRebuildJob(saved.athleteId, 'report'),
    ]);
    return { saved, staged };
  });
  if (!result) return null;
  const { saved } = result;
  deps.log.info({ workoutId: r.workoutId, revision: saved.revision, source: r.source }, 'report saved');
  // The report and its next steps are in Postgres now: a queue that refuses them must not turn this
  // into "failed". The outbox relay hands them on (and the report sweep re-adds any write-back still
  // pending later, e.g. one whose job Redis lost).
  let queued = false;
  try {
    await handOn(deps, result.staged);
    queued = true;
  } catch (err) {
    deps.log.warn({ workoutId: r.workoutId, reportId: saved.id, revision: saved.revision, err: (err as Error).message }, 'report saved but queueing failed; the outbox relay catches up');
  }
  return { id: saved.id, revision: saved.revision, athleteId: saved.athleteId, queued };
}
