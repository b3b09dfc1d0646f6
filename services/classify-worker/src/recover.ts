import { listAthletesChangedSince, listUnclassifiedWorkouts, type Db } from '@splits/db';
import { enqueueBulk, RECOVERY_WINDOW_MS, requestSummaryRebuild, type Queues } from '@splits/queue';

/**
 * After Redis lost its data: classify jobs for every recent workout whose classification is missing
 * or behind its laps (the classifier decides from the inbox whether to announce it), and one summary
 * rebuild per athlete with recent changes. Returns the number of jobs asked for.
 */
export async function recoverClassifyWork(deps: { db: Db; queues: Queues }, windowMs = RECOVERY_WINDOW_MS): Promise<number> {
  const workouts = await listUnclassifiedWorkouts(deps.db, windowMs);
  await enqueueBulk(deps.queues, 'classify', workouts.map((w) => ({ payload: { workoutId: w.id, rev: w.rev, notify: false } })));
  const athletes = await listAthletesChangedSince(deps.db, windowMs);
  for (const a of athletes) await requestSummaryRebuild(deps.queues, a, 'recovery');
  return workouts.length + athletes.length;
}
