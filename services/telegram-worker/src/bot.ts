import { Bot, type Api, type Context } from 'grammy';
import { installAccountCommands, privacyLine } from './account.js';
import type { Logger } from 'pino';
import type { WorkoutRecord } from '@splits/contracts';
import {
  createApiToken,
  createLoginCode,
  findTelegramLinkByChat,
  findWorkoutByMessage,
  getAthlete,
  getLatestWorkoutId,
  getWorkoutRow,
  redeemTelegramLinkCode,
  saveTelegramPrompt,
  getReminderSetting,
  setReminderTime,
  setRemindersEnabled,
  type ReminderSetting,
  adoptAthleteLanguage,
  setAthleteLanguage,
  unlinkTelegramChat,
  type Db,
  type TelegramLink,
} from '@splits/db';
import { saveReport, type Queues } from '@splits/queue';
import { BOT_COMMANDS, formatPlannedDay, LOCALES, localeOf, texts, workoutLabel, type Locale } from '@splits/training';
import { prepareCard, sendCard } from './card.js';
import { localClock, plannedItems } from './reminder.processor.js';

export const REPORT_MAX_CHARS = 4000;
/** A /login code works once, within 15 minutes (as the CLI's `login-code`). */
export const LOGIN_CODE_TTL_MS = 15 * 60_000;

export interface BotDeps {
  db: Db;
  queues: Queues;
  log: Logger;
  /** The athlete's web pages (WEB_PUBLIC_URL), where a /login code is typed; null when not deployed. */
  webUrl?: string | null;
  /** /delete, /export, /llm and the privacy notice's address in /help. */
  account: { publicBaseUrl: string; deleteGraceMs: number };
}

type Ctx = Context & { locale: Locale; link: TelegramLink | null };

/** What /language accepts for each language. */
const LANGUAGE_WORDS: Record<string, Locale> = { en: 'en', english: 'en', английский: 'en', ru: 'ru', russian: 'ru', русский: 'ru', рус: 'ru' };

/**
 * The bot's update handling: linking (/start <code>, /stop), /help, /token, /today, /last,
 * /reminders, /language, and the report loop (the card's button asks with ForceReply; a reply to the
 * card or to that prompt is saved as the workout's next report revision and queued for Intervals.icu).
 *
 * Language: the athlete's choice. A linked chat speaks the athlete's language; the first contact's
 * Telegram language becomes it when they have none yet, /language changes it, and a message from a
 * client in another language changes nothing. A chat that is not linked is answered in its client's language.
 * Every callback query is answered (a stale or unknown button gets a short alert), so no button spins.
 */
export function installHandlers(bot: Bot<Ctx>, deps: BotDeps): void {
  const { db, log } = deps;

  bot.use(async (ctx, next) => {
    const client = localeOf(ctx.from?.language_code);
    const chatId = ctx.chat?.id;
    ctx.link = chatId === undefined ? null : await findTelegramLinkByChat(db, String(chatId));
    if (ctx.link && ctx.link.language === null && ctx.from?.language_code) {
      await adoptAthleteLanguage(db, ctx.link.athleteId, client);
      ctx.link = { ...ctx.link, language: client };
    }
    ctx.locale = ctx.link?.language ? localeOf(ctx.link.language) : client;
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
    const athleteId = await db.transaction().execute((trx) => redeemTelegramLinkCode(trx, code, String(ctx.chat.id), localeOf(ctx.from?.language_code)));
    log.info({ linked: Boolean(athleteId) }, 'telegram link attempt');
    if (!athleteId) return void (await ctx.reply(t(ctx).badCode));
    // The athlete's language when they chose one before (a chat linked again), else this client's.
    ctx.link = await findTelegramLinkByChat(db, String(ctx.chat.id));
    if (ctx.link?.language) ctx.locale = localeOf(ctx.link.language);
    await ctx.reply(t(ctx).linked);
  });

  bot.command('stop', async (ctx) => {
    const removed = await unlinkTelegramChat(db, String(ctx.chat.id));
    await ctx.reply(removed ? t(ctx).unlinked : t(ctx).notLinked);
  });

  bot.command('help', (ctx) => ctx.reply(`${t(ctx).help}\n\n${privacyLine(ctx.locale, deps.account.publicBaseUrl)}`));
  installAccountCommands(bot, { db, queues: deps.queues, log, ...deps.account });

  bot.command('token', async (ctx) => {
    const link = await linked(ctx);
    if (!link) return;
    // A token is a secret: never post it into a group.
    if (ctx.chat.type !== 'private') return void (await ctx.reply(t(ctx).help));
    const { token } = await createApiToken(db, link.athleteId, 'telegram');
    await ctx.reply(t(ctx).token(token));
  });

  bot.command('login', async (ctx) => {
    const link = await linked(ctx);
    if (!link) return;
    // A sign-in code is a secret: never post it into a group.
    if (ctx.chat.type !== 'private') return void (await ctx.reply(t(ctx).help));
    const { code } = await createLoginCode(db, link.athleteId, LOGIN_CODE_TTL_MS);
    const url = deps.webUrl ? `${deps.webUrl.replace(/\/+$/, '')}/signin?code=${encodeURIComponent(code)}` : null;
    await ctx.reply(t(ctx).login(code, url));
  });

  bot.command('today', async (ctx) => {
    const link = await linked(ctx);
    if (!link) return;
    const athlete = await getAthlete(db, link.athleteId);
    const { date } = localClock(new Date(), athlete?.timezone ?? 'UTC');
    const text = formatPlannedDay(await plannedItems(db, link.athleteId, date), t(ctx).todayHeader(date), ctx.locale);
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
    const onOff: Record<string, boolean> = { on: true, off: false, вкл: true, выкл: false };
    if (arg === '') setting = await getReminderSetting(db, link.athleteId);
    else if (arg in onOff) setting = await setRemindersEnabled(db, link.athleteId, onOff[arg]!);
    else if (time && Number(time[1]) < 24 && Number(time[2]) < 60) setting = await setReminderTime(db, link.athleteId, `${time[1]!.padStart(2, '0')}:${time[2]}`);
    else return void (await ctx.reply(t(ctx).remindersUsage));
    await ctx.reply(setting.enabled ? t(ctx).remindersOn(setting.localTime) : t(ctx).remindersOff);
  });

  bot.command('language', async (ctx) => {
    const link = await linked(ctx);
    if (!link) return;
    const chosen = LANGUAGE_WORDS[ctx.match.trim().toLowerCase()];
    if (!chosen) return void (await ctx.reply(t(ctx).languageUsage));
    await setAthleteLanguage(db, link.athleteId, chosen);
    ctx.locale = chosen;
    await ctx.reply(t(ctx).languageSet);
  });

  bot.callbackQuery(/^report:(.+)$/, async (ctx) => {
    const link = ctx.link;
    const workoutId = ctx.match[1] ?? '';
    const row = link ? await getWorkoutRow(db, workoutId) : undefined;
    if (!link || !row || row.athlete_id !== link.athleteId) {
      return void (await ctx.answerCallbackQuery({ text: link ? t(ctx).workoutGone : t(ctx).notLinked, show_alert: true }));
    }
    await ctx.answerCallbackQuery();
    const prompt = await ctx.reply(t(ctx).askReport(workoutLabel(row.record as WorkoutRecord, ctx.locale)), {
      reply_markup: { force_reply: true, input_field_placeholder: t(ctx).reportPlaceholder },
    });
    await saveTelegramPrompt(db, link.chatId, String(prompt.message_id), row.id);
  });

  // Any other button (an older card's, data this version does not know): answered, never left spinning.
  bot.on('callback_query', (ctx) => ctx.answerCallbackQuery({ text: t(ctx).buttonStale, show_alert: true }));

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
    // The same path as the web page's report editor: revision + write-back + summary rebuild (outbox).
    const saved = await saveReport(deps, { workoutId, text, source: 'telegram', sourceRef: `tg-${link.chatId}-${ctx.message.message_id}` });
    if (!saved) return void (await ctx.reply(t(ctx).workoutGone));
    const { queued } = saved;
    await ctx.reply(queued ? t(ctx).reportSaved : t(ctx).reportSavedLater, { reply_parameters: { message_id: ctx.message.message_id } });
  });

  bot.catch(async (err) => {
    log.error({ updateId: err.ctx.update.update_id, err: err.error instanceof Error ? err.error.message : String(err.error) }, 'update handling failed');
    const failed = texts(err.ctx.locale ?? localeOf(err.ctx.from?.language_code)).failed;
    // A button whose handler failed still gets its answer (one already given makes this one fail: ignored).
    if (err.ctx.callbackQuery) await err.ctx.answerCallbackQuery({ text: failed, show_alert: true }).catch(() => undefined);
    const chatId = err.ctx.chat?.id;
    if (chatId !== undefined) await err.ctx.api.sendMessage(chatId, failed).catch(() => undefined);
  });
}

/**
 * The command menu for each language (setMyCommands with its language_code; English is also the
 * default for every other language). Idempotent: a menu that is already what it should be is not
 * set again, so every replica can call it at start.
 */
export async function syncBotCommands(api: Pick<Api, 'getMyCommands' | 'setMyCommands'>, log: Logger): Promise<{ set: string[] }> {
  const set: string[] = [];
  const menus: Array<{ languageCode: string | undefined; commands: ReadonlyArray<{ command: string; description: string }> }> = [
    { languageCode: undefined, commands: BOT_COMMANDS.en },
    ...LOCALES.map((l) => ({ languageCode: l, commands: BOT_COMMANDS[l] })),
  ];
  for (const { languageCode, commands } of menus) {
    const opts = languageCode ? { language_code: languageCode as 'en' } : {};
    const current = await api.getMyCommands(opts);
    if (JSON.stringify(current.map((c) => [c.command, c.description])) === JSON.stringify(commands.map((c) => [c.command, c.description]))) continue;
    await api.setMyCommands([...commands], opts);
    set.push(languageCode ?? 'default');
  }
  if (set.length) log.info({ languages: set }, 'telegram command menu set');
  return { set };
}

export function createBot(token: string, apiRoot: string): Bot<Ctx> {
  return new Bot<Ctx>(token, { client: { apiRoot } });
}
export type SplitsBot = Bot<Ctx>;
