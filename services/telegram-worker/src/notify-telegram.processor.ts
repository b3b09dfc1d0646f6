import { DelayedError, UnrecoverableError, type Job } from 'bullmq';
import { GrammyError, InlineKeyboard, type Api } from 'grammy';
import type { Logger } from 'pino';
import type { NotifyTelegramJob, WorkoutRecord } from '@splits/contracts';
import { claimNotification, getTelegramChat, getWorkoutRow, markNotificationSent, type Db } from '@splits/db';
import { formatWorkoutMessage } from '@splits/training';

export interface NotifyDeps {
  db: Db;
  api: Pick<Api, 'sendMessage'>;
  log: Logger;
}

/**
 * notify-telegram: one message per workout and kind. The sent-marker row is claimed before
 * sending, so a job that runs twice sends once; Telegram's 429 retry_after is honoured by
 * re-delaying the job rather than spending an attempt.
 */
export async function processNotifyTelegram(
  payload: NotifyTelegramJob,
  job: Pick<Job, 'id' | 'moveToDelayed'>,
  token: string | undefined,
  deps: NotifyDeps,
) {
  const row = await getWorkoutRow(deps.db, payload.workoutId);
  if (!row) throw new UnrecoverableError(`workout ${payload.workoutId} not found`);
  const chatId = await getTelegramChat(deps.db, row.athlete_id);
  if (!chatId) return { skipped: 'no linked chat' };
  if (!(await claimNotification(deps.db, row.id, payload.kind, chatId))) return { skipped: 'already sent' };

  const record = { ...(row.record as object), id: row.id } as WorkoutRecord;
  const keyboard = new InlineKeyboard().text('Write report', `report:${row.id}`);
  try {
    const msg = await deps.api.sendMessage(chatId, formatWorkoutMessage(record), {
      reply_markup: keyboard,
      link_preview_options: { is_disabled: true },
    });
    await markNotificationSent(deps.db, row.id, payload.kind, String(msg.message_id));
    deps.log.info({ workoutId: row.id, messageId: msg.message_id }, 'workout announced');
    return { messageId: msg.message_id };
  } catch (err) {
    if (err instanceof GrammyError && err.error_code === 429) {
      const waitS = err.parameters.retry_after ?? 1;
      deps.log.warn({ workoutId: row.id, retryAfter: waitS }, 'telegram rate limit; re-delaying');
      await job.moveToDelayed(Date.now() + waitS * 1000, token);
      throw new DelayedError();
    }
    if (err instanceof GrammyError && [400, 403].includes(err.error_code)) {
      // Chat gone or bot blocked: retrying cannot help.
      throw new UnrecoverableError(`telegram refused: ${err.description}`);
    }
    throw err;
  }
}
