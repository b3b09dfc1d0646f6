import { DelayedError, UnrecoverableError, type Job } from 'bullmq';
import { GrammyError, HttpError, type Api } from 'grammy';
import type { Logger } from 'pino';
import type { NotifyTelegramJob, WorkoutRecord } from '@splits/contracts';
import {
  claimTelegramSend,
  getActiveTelegramLink,
  getNotificationMessageId,
  getWorkoutRow,
  isTelegramSendClaimed,
  markNotificationSent,
  releaseTelegramSend,
  type Db,
} from '@splits/db';
import { localeOf, texts, workoutLabel } from '@splits/training';
import { prepareCard, sendCard } from './card.js';
import type { TelegramRateLimiter } from './rate-limit.js';
import { withSlotTaken } from './telegram-api.js';

export interface NotifyDeps {
  db: Db;
  api: Pick<Api, 'sendMessage' | 'sendPhoto'>;
  log: Logger;
  /** The shared limits: the slot is taken before the claim (see withSlotTaken), so a wait is never "in doubt". */
  limiter?: Pick<TelegramRateLimiter, 'acquire'>;
}

/** The request never reached Telegram: nothing can have been delivered. */
const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN']);
function surelyNotDelivered(err: unknown): boolean {
  if (err instanceof GrammyError) return true; // Telegram answered with an error
  if (err instanceof HttpError) {
    const cause = (err.error as { cause?: { code?: string } } | undefined)?.cause;
    return NOT_SENT_CODES.has(cause?.code ?? '');
  }
  return false;
}

/**
 * notify-telegram: the workout card (kind `new`) or the outcome of a report write-back
 * (`report-saved` / `report-failed`, once per revision). Everything that can fail is prepared
 * before the sent-marker is claimed; the claim makes a second run (or a run after a crash mid-send)
 * send nothing. A send Telegram refused releases the claim; a 403 has already disabled the link.
 */
export async function processNotifyTelegram(
  payload: NotifyTelegramJob,
  job: Pick<Job, 'id' | 'moveToDelayed'>,
  token: string | undefined,
  deps: NotifyDeps,
) {
  const row = await getWorkoutRow(deps.db, payload.workoutId);
  if (!row) throw new UnrecoverableError(`workout ${payload.workoutId} not found`);
  const link = await getActiveTelegramLink(deps.db, row.athlete_id);
  if (!link) return { skipped: 'no linked chat' };
  const locale = localeOf(link.language);
  const kindKey = payload.rev === undefined ? payload.kind : `${payload.kind}-${payload.rev}`;
  // A repeated request (another event for the same workout) ends here, before a chart is drawn.
  if (await isTelegramSendClaimed(deps.db, row.id, kindKey)) return { skipped: 'already sent or in doubt' };

  let send: () => Promise<{ message_id: number }>;
  if (payload.kind === 'new') {
    const card = await prepareCard(deps.db, row.id, locale);
    if (!card) throw new UnrecoverableError(`workout ${payload.workoutId} not found`);
    send = () => sendCard(deps.api, link.chatId, card);
  } else {
    const t = texts(locale);
    const label = workoutLabel({ ...(row.record as WorkoutRecord) }, locale);
    const text = payload.kind === 'report-saved' ? t.reportWritten(label) : t.reportWriteFailed(label);
    const cardId = await getNotificationMessageId(deps.db, row.id, 'new');
    send = () =>
      deps.api.sendMessage(link.chatId, text, cardId ? { reply_parameters: { message_id: Number(cardId), allow_sending_without_reply: true } } : {});
  }

  // Wait for this chat's turn first: a worker killed while waiting has claimed nothing, so the card is
  // sent later instead of being left "in doubt" (found by the chaos run, issue 15).
  if (deps.limiter) await deps.limiter.acquire(link.chatId);
  if (!(await claimTelegramSend(deps.db, row.id, kindKey, link.chatId))) return { skipped: 'already sent or in doubt' };
  try {
    const msg = deps.limiter ? await withSlotTaken(send) : await send();
    await markNotificationSent(deps.db, row.id, kindKey, String(msg.message_id));
    deps.log.info({ workoutId: row.id, kind: kindKey, messageId: msg.message_id }, 'telegram message sent');
    return { messageId: msg.message_id };
  } catch (err) {
    if (!surelyNotDelivered(err)) {
      // Timeout or a cut connection: Telegram may have shown it. At most once: keep the claim.
      deps.log.error({ workoutId: row.id, kind: kindKey, err: (err as Error).message }, 'telegram send in doubt; not retried');
      throw new UnrecoverableError(`delivery in doubt: ${(err as Error).message}`);
    }
    await releaseTelegramSend(deps.db, row.id, kindKey);
    if (err instanceof GrammyError && err.error_code === 429) {
      const waitS = err.parameters.retry_after ?? 1;
      deps.log.warn({ workoutId: row.id, retryAfter: waitS }, 'telegram rate limit; re-delaying');
      await job.moveToDelayed(Date.now() + waitS * 1000, token);
      throw new DelayedError();
    }
    if (err instanceof GrammyError && err.error_code === 403) return { skipped: 'bot blocked; link disabled' };
    if (err instanceof GrammyError && err.error_code === 400) throw new UnrecoverableError(`telegram refused: ${err.description}`);
    throw err;
  }
}
