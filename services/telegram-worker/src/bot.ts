import { installAccountCommands, privacyLine } from './account.js';
import { Bot, type Context } from 'grammy';
import type { Logger } from 'pino';
import type { WorkoutRecord } from '@splits/contracts';
import {
  createApiToken,
  findTelegramLinkByChat,
  findWorkoutByMessage,
  getAthlete,
  getLatestWorkoutId,
  getWorkoutRow,
  redeemTelegramLinkCode,
  saveTelegramPrompt,
  saveWorkoutReport,
  getReminderSetting,
  setReminderTime,
  setRemindersEnabled,
  type ReminderSetting,
  setTelegramLanguage,
  unlinkTelegramChat,
  type Db,
  type TelegramLink,
} from '@splits/db';
import { handOn, stageJobs, summaryRebuildJob, type Queues } from '@splits/queue';
import { formatPlannedDay, localeOf, texts, workoutLabel, type Locale } from '@splits/training';
import { prepareCard, sendCard } from './card.js';
import { localClock, plannedItems } from './reminder.processor.js';

export const REPORT_MAX_CHARS = 4000;

export interface BotDeps {
  db: Db;
  queues: Queues;
  log: Logger;
  /** /delete, /export, /llm and the privacy notice's address in /help. */
  account: { publicBaseUrl: string; deleteGraceMs: number };
}

type Ctx = Context & { locale: Locale; link: TelegramLink | null };

/**
 * The bot's update handling: linking (/start <code>, /stop), /help, /token, /today, /last,
 * /reminders, and the report loop (the card's button asks with ForceReply; a reply to the card or
 * to that prompt is saved as the workout's next report revision and queued for Intervals.icu).
 */
export function installHandlers(bot: Bot<Ctx>, deps: BotDeps): void {
  const { db, log } = deps;

  bot.use(async (ctx, next) => {
    ctx.locale = localeOf(ctx.from?.language_code);
    const chatId = ctx.chat?.id;
    ctx.link = chatId === undefined ? null : await findTelegramLinkByChat(db, String(chatId));
    if (ctx.link && ctx.from?.language_code && ctx.link.language !== ctx.locale) await setTelegramLanguage(db, ctx.link.chatId, ctx.locale);
    await next();
  });
  const t = (ctx: Ctx) => texts(ctx.locale);
  const linked = async (ctx: Ctx): Promise<TelegramLink | null> => {
    if (!ctx.link) await ctx.reply(t(ctx).notLinked);
    return ctx.link;
  };

  bot.command('start', async (ctx) => {
    const code = ctx.match.trim();
    if (!code) return void (await ctx.reply(ctx.link ? t(ctx).help : t(ctx).welcome));
    if (!/^[A-Za-z0-9_-]{8,64}$/.test(code)) return void (await ctx.reply(t(ctx).badCode));
    const athleteId = await db.transaction().execute((trx) => redeemTelegramLinkCode(trx, code, String(ctx.chat.id), ctx.locale));
    log.info({ linked: Boolean(athleteId) }, 'telegram link attempt');
    await ctx.reply(athleteId ? t(ctx).linked : t(ctx).badCode);
  });

  bot.command('stop', async (ctx) => {
    const removed = await unlinkTelegramChat(db, String(ctx.chat.id));
    await ctx.reply(removed ? t(ctx).unlinked : t(ctx).notLinked);
  });

  bot.command('help', (ctx) => ctx.reply(`${t(ctx).help}\n\n${privacyLine(deps.account.publicBaseUrl)}`));
  installAccountCommands(bot, { db, queues: deps.queues, log, ...deps.account });

  bot.command('token', async (ctx) => {
    const link = await linked(ctx);
    if (!link) return;
    // A token is a secret: never post it into a group.
    if (ctx.chat.type !== 'private') return void (await ctx.reply(t(ctx).help));
    const { token } = await createApiToken(db, link.athleteId, 'telegram');
    await ctx.reply(t(ctx).token(token));
  });

  bot.command('today', async (ctx) => {
    const link = await linked(ctx);
    if (!link) return;
    const athlete = await getAthlete(db, link.athleteId);
    const { date } = localClock(new Date(), athlete?.timezone ?? 'UTC');
    const text = formatPlannedDay(await plannedItems(db, link.athleteId, date), t(ctx).todayHeader(date));
    await ctx.reply(text ?? t(ctx).nothingToday);
  });

  bot.command('last', async (ctx) => {
    const link = await linked(ctx);
    if (!link) return;
    const id = await getLatestWorkoutId(db, link.athleteId);
    const card = id ? await prepareCard(db, id, ctx.locale) : null;
    if (!card) return void (await ctx.reply(t(ctx).noWorkouts));
    await sendCard(ctx.api, link.chatId, card);
  });

  bot.command('reminders', async (ctx) => {
    const link = await linked(ctx);
    if (!link) return;
    const arg = ctx.match.trim().toLowerCase();
    const time = /^(\d{1,2})[:.](\d{2})$/.exec(arg);
    let setting: ReminderSetting;
    if (arg === '') setting = await getReminderSetting(db, link.athleteId);
    else if (arg === 'on' || arg === 'off') setting = await setRemindersEnabled(db, link.athleteId, arg === 'on');
    else if (time && Number(time[1]) < 24 && Number(time[2]) < 60) setting = await setReminderTime(db, link.athleteId, `${time[1]!.padStart(2, '0')}:${time[2]}`);
    else return void (await ctx.reply(t(ctx).remindersUsage));
    await ctx.reply(setting.enabled ? t(ctx).remindersOn(setting.localTime) : t(ctx).remindersOff);
  });

  bot.callbackQuery(/^report:(.+)$/, async (ctx) => {
    await ctx.answerCallbackQuery();
    const link = ctx.link;
    const workoutId = ctx.match[1] ?? '';
    const row = link ? await getWorkoutRow(db, workoutId) : undefined;
    if (!link || !row || row.athlete_id !== link.athleteId) return void (await ctx.reply(link ? t(ctx).workoutGone : t(ctx).notLinked));
    const prompt = await ctx.reply(t(ctx).askReport(workoutLabel(row.record as WorkoutRecord)), {
      reply_markup: { force_reply: true, input_field_placeholder: t(ctx).reportPlaceholder },
    });
    await saveTelegramPrompt(db, link.chatId, String(prompt.message_id), row.id);
  });

  bot.on('message:text', async (ctx) => {
    const link = await linked(ctx);
    if (!link) return;
    const replyTo = ctx.message.reply_to_message?.message_id;
    const workoutId = replyTo ? await findWorkoutByMessage(db, link.chatId, String(replyTo)) : null;
    if (!workoutId) return void (await ctx.reply(t(ctx).unknownReply));
    // The chat may have been linked to someone else since that card was sent.
    if ((await getWorkoutRow(db, workoutId))?.athlete_id !== link.athleteId) return void (await ctx.reply(t(ctx).workoutGone));
    const text = ctx.message.text.trim();
    if (!text) return void (await ctx.reply(t(ctx).reportEmpty));
    if (text.length > REPORT_MAX_CHARS) return void (await ctx.reply(t(ctx).reportTooLong(REPORT_MAX_CHARS)));
    // The write-back and the summary rebuild commit with the report (outbox).
    const result = await db.transaction().execute(async (trx) => {
      const r = await saveWorkoutReport(trx, { workoutId, text, source: 'telegram', sourceRef: `tg-${link.chatId}-${ctx.message.message_id}` });
      if (!r) return null;
      const staged = await stageJobs(trx, r.athleteId, [
        { queue: 'write-report', payload: { reportId: r.id, rev: r.revision } },
        summaryRebuildJob(r.athleteId, 'report'),
      ]);
      return { saved: r, staged };
    });
    if (!result) return void (await ctx.reply(t(ctx).workoutGone));
    const { saved } = result;
    log.info({ workoutId, revision: saved.revision }, 'report saved');
    // The report and its next steps are in Postgres now: a queue that refuses them must not turn this
    // into "failed". The outbox relay hands them on (and the report sweep re-adds any write-back still
    // pending later, e.g. one whose job Redis lost).
    let queued = false;
    try {
      await handOn(deps, result.staged);
      queued = true;
    } catch (err) {
      log.warn({ workoutId, reportId: saved.id, revision: saved.revision, err: (err as Error).message }, 'report saved but queueing failed; the outbox relay catches up');
    }
    await ctx.reply(queued ? t(ctx).reportSaved : t(ctx).reportSavedLater, { reply_parameters: { message_id: ctx.message.message_id } });
  });

  bot.catch(async (err) => {
    log.error({ updateId: err.ctx.update.update_id, err: err.error instanceof Error ? err.error.message : String(err.error) }, 'update handling failed');
    const chatId = err.ctx.chat?.id;
    if (chatId !== undefined) await err.ctx.api.sendMessage(chatId, texts(localeOf(err.ctx.from?.language_code)).failed).catch(() => undefined);
  });
}

export function createBot(token: string, apiRoot: string): Bot<Ctx> {
  return new Bot<Ctx>(token, { client: { apiRoot } });
}
export type SplitsBot = Bot<Ctx>;
