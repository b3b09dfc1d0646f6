import type { Db } from '../connection.js';

/**
 * Claims the right to send one notification. Returns false when it was already sent, so a job
 * that runs twice sends once. A `pending` row left by a failed attempt can be claimed again.
 */
export async function claimNotification(db: Db, workoutId: string, kind: string, chatId: string): Promise<boolean> {
  await db
    .insertInto('notification')
    .values({ workout_id: workoutId, kind, status: 'pending', chat_id: chatId, telegram_message_id: null, sent_at: null })
    .onConflict((oc) => oc.columns(['workout_id', 'kind']).doNothing())
    .execute();
  const row = await db
    .selectFrom('notification')
    .select('status')
    .where('workout_id', '=', workoutId)
    .where('kind', '=', kind)
    .executeTakeFirst();
  return row?.status === 'pending';
}

export async function markNotificationSent(db: Db, workoutId: string, kind: string, messageId: string): Promise<void> {
  await db
    .updateTable('notification')
    .set({ status: 'sent', telegram_message_id: messageId, sent_at: new Date() })
    .where('workout_id', '=', workoutId)
    .where('kind', '=', kind)
    .execute();
}
