import { InlineKeyboard, InputFile, type Api, type Bot, type Context } from 'grammy';
import type { Logger } from 'pino';
import { PRIVACY_NOTICE_VERSION, type EraseAthleteJob } from '@splits/contracts';
import { currentConsents, exportAthleteData, recordConsent, type Db, type EncryptionKeys, type TelegramLink } from '@splits/db';
import { disconnectIntervalsApp } from '@splits/intervals';
import { enqueue, eraseAthlete, type ErasureResult, type Queues } from '@splits/queue';

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

type Ctx = Context & { link: TelegramLink | null };

export const privacyLine = (publicBaseUrl: string) => `Privacy — what Splits stores and how to export or delete it: ${publicBaseUrl.replace(/\/$/, '')}/privacy`;

export function installAccountCommands<C extends Ctx>(bot: Bot<C>, deps: AccountDeps): void {
  type Ctx = C;
  const notLinked = (ctx: Ctx) => ctx.reply('This chat is not linked to a Splits account.');
  const graceText = () => (deps.deleteGraceMs >= 60_000 ? `${Math.round(deps.deleteGraceMs / 60_000)} min` : `${Math.round(deps.deleteGraceMs / 1000)} s`);

  bot.command('delete', async (ctx) => {
    if (!ctx.link) return void (await notLinked(ctx));
    await ctx.reply(
      'Delete your Splits account? This deletes everything Splits holds for you: workouts, reports, summaries, profile, tokens, assistant sign-ins and this chat link. ' +
        'It stays on Intervals.icu: the reports Splits wrote into your activity descriptions and the planned workouts your assistant created.',
      { reply_markup: new InlineKeyboard().text('Delete my account', 'account:delete').text('Cancel', 'account:keep') },
    );
  });

  bot.callbackQuery('account:delete', async (ctx) => {
    await ctx.answerCallbackQuery();
    if (!ctx.link) return void (await notLinked(ctx));
    await enqueue(deps.queues, 'erase-athlete', { athleteId: ctx.link.athleteId, chatId: ctx.link.chatId }, { delay: deps.deleteGraceMs });
    deps.log.info({ athleteId: ctx.link.athleteId, graceMs: deps.deleteGraceMs }, 'account deletion scheduled');
    await ctx.editMessageText(`Your account will be deleted in ${graceText()}. Changed your mind?`, {
      reply_markup: new InlineKeyboard().text('Keep my account', 'account:keep'),
    });
  });

  bot.callbackQuery('account:keep', async (ctx) => {
    await ctx.answerCallbackQuery();
    if (!ctx.link) return void (await notLinked(ctx));
    const job = await deps.queues['erase-athlete'].getJob(`del-${ctx.link.athleteId}`);
    // A delayed job can be removed; one already running cannot (it finishes the deletion).
    let cancelled = true;
    if (job) cancelled = (await job.isDelayed()) && (await job.remove().then(() => true, () => false));
    await ctx.editMessageText(cancelled ? 'Nothing was deleted. Your account stays.' : 'Too late: the deletion is already under way.');
  });

  bot.command('export', async (ctx) => {
    if (!ctx.link) return void (await notLinked(ctx));
    const athleteId = ctx.link.athleteId;
    const chunks = exportAthleteData(deps.db, athleteId, { athleteId, privacyNoticeVersion: PRIVACY_NOTICE_VERSION });
    const bytes = (async function* () {
      for await (const c of chunks) yield Buffer.from(c);
    })();
    await ctx.replyWithDocument(new InputFile(bytes, `splits-export-${new Date().toISOString().slice(0, 10)}.json`), {
      caption: 'Everything Splits holds for you, as one JSON document.',
    });
  });

  bot.command('llm', async (ctx) => {
    if (!ctx.link) return void (await notLinked(ctx));
    const arg = ctx.match.trim().toLowerCase();
    if (arg === 'on' || arg === 'off') {
      await recordConsent(deps.db, { athleteId: ctx.link.athleteId, kind: 'llm', granted: arg === 'on', noticeVersion: PRIVACY_NOTICE_VERSION, source: 'telegram' });
    }
    const granted = (await currentConsents(deps.db, ctx.link.athleteId)).llm?.granted === true;
    await ctx.reply(
      granted
        ? 'Session data (laps and figures, no name or ids) may go to the LLM provider when the rules cannot tell a session’s type. /llm off withdraws it.'
        : 'Nothing goes to the LLM provider: sessions are classified by the rules only. /llm on allows sending a session’s laps and figures when the rules are unsure.',
    );
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
  const result = await eraseAthlete(
    {
      db: deps.db,
      queues: deps.queues,
      log: deps.log,
      keys: deps.keys ?? Buffer.alloc(0),
      revoke: (cred) => disconnectIntervalsApp({ baseUrl: deps.intervalsBaseUrl, accessToken: cred.secret, log: deps.log }),
    },
    payload.athleteId,
  );
  await deps.api.sendMessage(payload.chatId, result ? erasureText(result) : 'Your Splits account is already deleted.');
  return { deleted: result !== null };
}

function erasureText(r: ErasureResult): string {
  const rows = Object.values(r.deleted).reduce((a, b) => a + b, 0);
  const access = {
    revoked: 'Splits’ access to Intervals.icu was disconnected.',
    api_key_stays_valid: 'Your Intervals.icu API key stays valid: regenerate it in Intervals.icu settings if you no longer trust it.',
    revoke_failed: 'Splits could not disconnect itself from Intervals.icu: remove it under Intervals.icu settings → Connected apps.',
    none: '',
  }[r.intervalsAccess];
  return [
    `Your Splits account is deleted: ${r.deleted.workout ?? 0} workouts, ${r.deleted.workout_report ?? 0} reports and everything else (${rows} records in all), and ${r.jobsRemoved} queued jobs.`,
    access,
    `Still on Intervals.icu: ${r.staysOnIntervals.join('; ')}.`,
  ]
    .filter(Boolean)
    .join('\n');
}
