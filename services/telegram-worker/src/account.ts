import { InlineKeyboard, InputFile, type Api, type Bot, type Context } from 'grammy';
import type { Logger } from 'pino';
import { PRIVACY_NOTICE_VERSION, type EraseAthleteJob } from '@splits/contracts';
import { currentConsents, exportAthleteData, recordConsent, type Db, type EncryptionKeys, type TelegramLink } from '@splits/db';
import { enqueue, eraseAthlete, type ErasureResult, type Queues } from '@splits/queue';
import { texts, type Locale } from '@splits/training';

/**
 * The athlete's own data from Telegram (issue 15): /delete (a confirmation button, then a grace
 * period in which "Keep my account" cancels), /export (everything as one JSON file), /llm (the
 * consent to send session data to the LLM provider) and the privacy notice's address.
 */
export interface AccountDeps {
  db: Db;
  queues: Queues;
  log: Logger;
  /** The gateway's public address: the privacy notice is at <publicBaseUrl>/privacy. */
  publicBaseUrl: string;
  /** How long a confirmed deletion waits, so the athlete can still cancel. */
  deleteGraceMs: number;
}

type Ctx = Context & { locale: Locale; link: TelegramLink | null };

/** The privacy notice's address, in the athlete's language (the /help answer ends with it). */
export const privacyLine = (locale: Locale, publicBaseUrl: string) => texts(locale).privacy(`${publicBaseUrl.replace(/\/$/, '')}/privacy`);

const LLM_SWITCH: Record<string, boolean> = { on: true, off: false, вкл: true, выкл: false };

export function installAccountCommands<C extends Ctx>(bot: Bot<C>, deps: AccountDeps): void {
  type Ctx = C;
  const t = (ctx: Ctx) => texts(ctx.locale);
  const notLinked = (ctx: Ctx) => ctx.reply(t(ctx).notLinked);

  bot.command('delete', async (ctx) => {
    if (!ctx.link) return void (await notLinked(ctx));
    await ctx.reply(t(ctx).deleteConfirm, { reply_markup: new InlineKeyboard().text(t(ctx).deleteButton, 'account:delete').text(t(ctx).cancelButton, 'account:keep') });
  });

  bot.callbackQuery('account:delete', async (ctx) => {
    await ctx.answerCallbackQuery();
    if (!ctx.link) return void (await notLinked(ctx));
    await enqueue(deps.queues, 'erase-athlete', { athleteId: ctx.link.athleteId, chatId: ctx.link.chatId, locale: ctx.locale }, { delay: deps.deleteGraceMs });
    deps.log.info({ athleteId: ctx.link.athleteId, graceMs: deps.deleteGraceMs }, 'account deletion scheduled');
    await ctx.editMessageText(t(ctx).deleteScheduled(Math.round(deps.deleteGraceMs / 1000)), {
      reply_markup: new InlineKeyboard().text(t(ctx).keepButton, 'account:keep'),
    });
  });

  bot.callbackQuery('account:keep', async (ctx) => {
    await ctx.answerCallbackQuery();
    if (!ctx.link) return void (await notLinked(ctx));
    const job = await deps.queues['erase-athlete'].getJob(`del-${ctx.link.athleteId}`);
    // A delayed job can be removed; one already running cannot (it finishes the deletion).
    let cancelled = true;
    if (job) cancelled = (await job.isDelayed()) && (await job.remove().then(() => true, () => false));
    await ctx.editMessageText(cancelled ? t(ctx).deleteCancelled : t(ctx).deleteTooLate);
  });

  bot.command('export', async (ctx) => {
    if (!ctx.link) return void (await notLinked(ctx));
    const athleteId = ctx.link.athleteId;
    const chunks = exportAthleteData(deps.db, athleteId, { athleteId, privacyNoticeVersion: PRIVACY_NOTICE_VERSION });
    const bytes = (async function* () {
      for await (const c of chunks) yield Buffer.from(c);
    })();
    await ctx.replyWithDocument(new InputFile(bytes, `splits-export-${new Date().toISOString().slice(0, 10)}.json`), { caption: t(ctx).exportCaption });
  });

  bot.command('llm', async (ctx) => {
    if (!ctx.link) return void (await notLinked(ctx));
    const switched = LLM_SWITCH[ctx.match.trim().toLowerCase()];
    if (switched !== undefined) {
      await recordConsent(deps.db, { athleteId: ctx.link.athleteId, kind: 'llm', granted: switched, noticeVersion: PRIVACY_NOTICE_VERSION, source: 'telegram' });
    }
    const granted = (await currentConsents(deps.db, ctx.link.athleteId)).llm?.granted === true;
    await ctx.reply(granted ? t(ctx).llmAllowed : t(ctx).llmRefused);
  });
}

/**
 * erase-athlete (after the grace period): deletes the account (eraseAthlete) and says in the chat
 * what was deleted and what stays on Intervals.icu. An account already gone is answered as done.
 */
export async function processEraseAthlete(
  payload: EraseAthleteJob,
  deps: { db: Db; queues: Queues; log: Logger; api: Pick<Api, 'sendMessage'>; keys: EncryptionKeys | null; intervalsBaseUrl: string },
): Promise<{ deleted: boolean }> {
  const result = await eraseAthlete({ db: deps.db, queues: deps.queues, log: deps.log, keys: deps.keys, intervals: { baseUrl: deps.intervalsBaseUrl } }, payload.athleteId);
  const t = texts(payload.locale ?? 'en');
  await deps.api.sendMessage(payload.chatId, result ? erasureText(result, t) : t.alreadyDeleted);
  return { deleted: result !== null };
}

function erasureText(r: ErasureResult, t: ReturnType<typeof texts>): string {
  const rows = Object.values(r.deleted).reduce((a, b) => a + b, 0);
  const access = { revoked: t.accessRevoked, api_key_stays_valid: t.accessApiKeyStays, revoke_failed: t.accessRevokeFailed, none: '' }[r.intervalsAccess];
  return [t.erased(r.deleted.workout ?? 0, r.deleted.workout_report ?? 0, rows, r.jobsRemoved), access, t.staysOnIntervals].filter(Boolean).join('\n');
}
