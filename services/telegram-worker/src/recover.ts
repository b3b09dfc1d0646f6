import { listUnsentCards, type Db } from '@splits/db';
import { enqueueBulk, RECOVERY_WINDOW_MS, type Queues } from '@splits/queue';

/** The reminder tick's one scheduler entry, whatever the number of replicas (an upsert is idempotent). */
export async function scheduleReminderTick(queues: Queues, everyMs: number): Promise<void> {
  await queues['reminder-tick'].upsertJobScheduler('reminder-tick', { every: everyMs }, { name: 'reminder-tick', data: {}, opts: { removeOnComplete: { count: 100 }, removeOnFail: { count: 1000 } } });
}

/**
 * After Redis lost its data: the reminder tick's scheduler again, and a notify job for every recent
 * card still owed (classified, uploaded, linked, never claimed). The claim row keeps it to one card.
 */
export async function recoverTelegramWork(deps: { db: Db; queues: Queues; reminderTickMs: number }, windowMs = RECOVERY_WINDOW_MS): Promise<number> {
  await scheduleReminderTick(deps.queues, deps.reminderTickMs);
  const cards = await listUnsentCards(deps.db, windowMs);
  await enqueueBulk(deps.queues, 'notify-telegram', cards.map((workoutId) => ({ payload: { workoutId, kind: 'new' as const } })));
  return cards.length;
}
