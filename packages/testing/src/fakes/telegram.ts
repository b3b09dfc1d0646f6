import Fastify from 'fastify';
import { parse as parseQuery } from 'node:querystring';
import { parseMultipart, type MultipartFile } from './multipart.js';
import { mulberry32 } from './intervals/prng.js';

export type TelegramUpdate = Record<string, unknown> & { update_id: number };

export interface TelegramCall {
  method: string;
  /** Parsed parameters (JSON, form or multipart; files appear as {filename, contentType, bytes}). */
  body: Record<string, unknown>;
  at: number;
}

export interface TelegramSentMessage {
  method: 'sendMessage' | 'sendPhoto' | 'sendDocument';
  message_id: number;
  chat_id: number | string;
  text?: string;
  caption?: string;
  parse_mode?: string;
  reply_markup?: unknown;
  /** sendPhoto: a URL / file_id string, or the uploaded file's size. */
  photo?: string | MultipartFile;
  /** sendDocument: the file as received (name, bytes, content). */
  document?: string | MultipartFile;
  /** Texts set by editMessageText, oldest first. */
  edits: string[];
  at: number;
}

export interface BotCommand {
  command: string;
  description: string;
}

export interface FakeTelegram {
  /** Bot API root (what `client.apiRoot` / TELEGRAM_API_ROOT take). */
  url: string;
  port: number;
  token: string;
  bot: { id: number; is_bot: true; first_name: string; username: string };
  calls: TelegramCall[];
  sent: TelegramSentMessage[];
  /** Queues an update for getUpdates; update_id is assigned when missing. */
  injectUpdate(update: Record<string, unknown>): TelegramUpdate;
  /** A private-chat text message from the user (a leading /command gets its bot_command entity). */
  injectMessage(chatId: number, text: string, opts?: { replyToMessageId?: number; languageCode?: string }): TelegramUpdate;
  /** An inline-button press on one of the bot's messages. */
  injectCallback(chatId: number, data: string, messageId?: number, opts?: { languageCode?: string }): TelegramUpdate;
  /** The answer a callback query got (answerCallbackQuery), or undefined while it has none: the client's button spins. */
  callbackAnswer(callbackQueryId: string): { text?: string; showAlert: boolean } | undefined;
  /** The command menu set for a language_code ('' = the default), default scope. */
  commands(languageCode?: string): BotCommand[] | undefined;
  /**
   * The next call of `method` is carried out (a message is delivered and recorded) but its answer is
   * held until `release()`: the caller is "mid-send" while `arrived` has resolved.
   */
  holdNext(method: string): { arrived: Promise<void>; release(): void };
  failNext(method: string, opts?: { status?: number; retryAfter?: number; description?: string; times?: number }): void;
  /** A seeded share of sendMessage/sendPhoto calls answered 429 with retry_after (not delivered), until `null`. */
  setFaults(f: { rate429: number; retryAfter?: number; seed?: number } | null): void;
  /** Later sends to this chat answer 403 "bot was blocked by the user". */
  blockChat(chatId: number | string): void;
  close(): Promise<void>;
}

const DEFAULT_TOKEN = '123456789:AAFakeTelegramTokenForSplitsTests00';

const fromJsonish = (v: unknown): unknown => {
  if (typeof v !== 'string') return v;
  if (/^[[{]/.test(v)) {
    try {
      return JSON.parse(v);
    } catch {
      return v;
    }
  }
  return /^-?\d+$/.test(v) && Math.abs(Number(v)) < Number.MAX_SAFE_INTEGER ? Number(v) : v;
};

export async function startFakeTelegram(opts: { token?: string; port?: number; host?: string } = {}): Promise<FakeTelegram> {
  const token = opts.token ?? DEFAULT_TOKEN;
  const host = opts.host ?? '127.0.0.1';
  const bot = { id: Number(token.split(':')[0]) || 123456789, is_bot: true as const, first_name: 'Splits', username: 'splits_fake_bot' };
  const calls: TelegramCall[] = [];
  const sent: TelegramSentMessage[] = [];
  const updates: TelegramUpdate[] = [];
  let faults: { rate429: number; retryAfter?: number; next: () => number } | null = null;
  const failures: Array<{ method: string; status: number; retryAfter?: number; description?: string; left: number }> = [];
  const blocked = new Set<string>();
  /** The command menus by scope and language (setMyCommands / getMyCommands). */
  const menus = new Map<string, BotCommand[]>();
  const menuKey = (p: Record<string, unknown>) => `${JSON.stringify(p.scope ?? { type: 'default' })}|${String(p.language_code ?? '')}`;
  /** Answered callback queries by id: Telegram accepts one answer per query. */
  const answered = new Map<string, { text?: string; showAlert: boolean }>();
  const holds: Array<{ method: string; arrive: () => void; released: Promise<void> }> = [];
  let waiters: Array<() => void> = [];
  let nextUpdateId = 500_000_001;
  let nextMessageId = 100;
  let closing = false;

  const wake = () => {
    const w = waiters;
    waiters = [];
    for (const f of w) f();
  };
  const now = () => Math.floor(Date.now() / 1000);
  const chatOf = (id: number | string) => ({ id, type: typeof id === 'number' && id < 0 ? 'group' : 'private', first_name: 'Athlete' });

  const app = Fastify({ logger: false, forceCloseConnections: true, bodyLimit: 50 * 1024 * 1024 });
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) => done(null, parseQuery(body as string)));
  app.addContentTypeParser('multipart/form-data', { parseAs: 'buffer' }, (req, body, done) => {
    try {
      done(null, parseMultipart(body as Buffer, req.headers['content-type'] ?? ''));
    } catch (err) {
      done(err as Error, undefined);
    }
  });

  type Result = { status: number; body: Record<string, unknown> };
  const ok = (result: unknown): Result => ({ status: 200, body: { ok: true, result } });
  const bad = (status: number, description: string, parameters?: Record<string, unknown>): Result => ({
    status,
    body: { ok: false, error_code: status, description, ...(parameters ? { parameters } : {}) },
  });

  async function handle(method: string, p: Record<string, unknown>): Promise<Result> {
    const chatId = p.chat_id as number | string | undefined;
    if ((method === 'sendMessage' || method === 'sendPhoto') && chatId !== undefined && blocked.has(String(chatId))) {
      return bad(403, 'Forbidden: bot was blocked by the user');
    }
    switch (method) {
      case 'getMe':
        return ok({ ...bot, can_join_groups: true, can_read_all_group_messages: false, supports_inline_queries: false });
      case 'setMyCommands': {
        const commands = p.commands;
        if (!Array.isArray(commands) || commands.some((c) => !/^[a-z0-9_]{1,32}$/.test(String((c as { command?: unknown }).command)) || !(c as { description?: unknown }).description)) {
          return bad(400, 'Bad Request: BOT_COMMAND_INVALID');
        }
        menus.set(menuKey(p), commands as BotCommand[]);
        return ok(true);
      }
      case 'getMyCommands':
        return ok(menus.get(menuKey(p)) ?? []);
      case 'answerCallbackQuery': {
        const id = String(p.callback_query_id ?? '');
        if (!id || answered.has(id)) return bad(400, 'Bad Request: query is too old and response timeout expired or query ID is invalid');
        answered.set(id, { text: p.text as string | undefined, showAlert: p.show_alert === true || p.show_alert === 'true' });
        return ok(true);
      }
      case 'deleteWebhook':
      case 'setWebhook':
      case 'sendChatAction':
        return ok(true);
      case 'getWebhookInfo':
        return ok({ url: '', has_custom_certificate: false, pending_update_count: updates.length });
      case 'sendMessage': {
        if (chatId === undefined || chatId === '') return bad(400, 'Bad Request: chat_id is empty');
        if (typeof p.text !== 'string' || p.text === '') return bad(400, 'Bad Request: message text is empty');
        const m = { method, message_id: nextMessageId++, chat_id: chatId, text: p.text, parse_mode: p.parse_mode as string | undefined, reply_markup: p.reply_markup, edits: [], at: Date.now() } as TelegramSentMessage;
        sent.push(m);
        return ok({ message_id: m.message_id, from: bot, chat: chatOf(chatId), date: now(), text: p.text, ...(p.reply_markup ? { reply_markup: p.reply_markup } : {}) });
      }
      case 'sendPhoto': {
        if (chatId === undefined || chatId === '') return bad(400, 'Bad Request: chat_id is empty');
        if (!p.photo) return bad(400, 'Bad Request: there is no photo in the request');
        const m = { method, message_id: nextMessageId++, chat_id: chatId, caption: p.caption as string | undefined, parse_mode: p.parse_mode as string | undefined, reply_markup: p.reply_markup, photo: p.photo as string | MultipartFile, edits: [], at: Date.now() } as TelegramSentMessage;
        sent.push(m);
        const size = typeof p.photo === 'object' ? (p.photo as MultipartFile).bytes : 0;
        const photo = [{ file_id: `photo-${m.message_id}`, file_unique_id: `u${m.message_id}`, width: 1280, height: 720, file_size: size }];
        return ok({ message_id: m.message_id, from: bot, chat: chatOf(chatId), date: now(), photo, ...(m.caption ? { caption: m.caption } : {}) });
      }
      case 'sendDocument': {
        if (chatId === undefined || chatId === '') return bad(400, 'Bad Request: chat_id is empty');
        if (!p.document) return bad(400, 'Bad Request: there is no document in the request');
        const m = { method, message_id: nextMessageId++, chat_id: chatId, caption: p.caption as string | undefined, reply_markup: p.reply_markup, document: p.document as string | MultipartFile, edits: [], at: Date.now() } as TelegramSentMessage;
        sent.push(m);
        const file = typeof p.document === 'object' ? (p.document as MultipartFile) : null;
        return ok({ message_id: m.message_id, from: bot, chat: chatOf(chatId), date: now(), document: { file_id: `doc-${m.message_id}`, file_unique_id: `d${m.message_id}`, file_name: file?.filename, file_size: file?.bytes ?? 0 } });
      }
      case 'editMessageText': {
        const m = sent.find((s) => String(s.chat_id) === String(chatId) && s.message_id === Number(p.message_id));
        if (!m) return bad(400, 'Bad Request: message to edit not found');
        if (typeof p.text !== 'string' || p.text === '') return bad(400, 'Bad Request: message text is empty');
        if (m.text === p.text && JSON.stringify(m.reply_markup) === JSON.stringify(p.reply_markup)) {
          return bad(400, 'Bad Request: message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message');
        }
        m.text = p.text;
        m.edits.push(p.text);
        // As on Telegram, an edit without reply_markup removes the inline keyboard.
        m.reply_markup = p.reply_markup;
        return ok({ message_id: m.message_id, from: bot, chat: chatOf(m.chat_id), date: now(), edit_date: now(), text: m.text, ...(m.reply_markup ? { reply_markup: m.reply_markup } : {}) });
      }
      case 'getUpdates': {
        const offset = Number(p.offset ?? 0);
        const limit = Math.min(Math.max(Number(p.limit ?? 100), 1), 100);
        const timeout = Math.min(Number(p.timeout ?? 0), 50);
        // An offset confirms every update below it, as on Telegram.
        if (offset > 0) while (updates.length && (updates[0] as TelegramUpdate).update_id < offset) updates.shift();
        if (updates.length === 0 && timeout > 0 && !closing) {
          await new Promise<void>((resolve) => {
            const timer = setTimeout(() => {
              waiters = waiters.filter((w) => w !== done);
              resolve();
            }, timeout * 1000);
            const done = () => {
              clearTimeout(timer);
              resolve();
            };
            waiters.push(done);
          });
        }
        return ok(updates.slice(0, limit));
      }
      default:
        return bad(404, 'Not Found');
    }
  }

  app.route({
    method: ['GET', 'POST'],
    url: '/*',
    handler: async (req, reply) => {
      const m = /^\/bot([^/]+)\/([A-Za-z]+)\/?$/.exec(req.url.split('?')[0] ?? '');
      if (!m) return reply.code(404).send({ ok: false, error_code: 404, description: 'Not Found' });
      const [, tok, method = ''] = m;
      if (tok !== token) return reply.code(401).send({ ok: false, error_code: 401, description: 'Unauthorized' });
      const raw = { ...(req.query as Record<string, unknown>), ...((req.body as Record<string, unknown> | undefined) ?? {}) };
      const params: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(raw)) params[k] = fromJsonish(v);
      // Multipart uploads may name their file part: "attach://<part>" (as grammY sends InputFile).
      for (const [k, v] of Object.entries(params)) {
        if (typeof v === 'string' && v.startsWith('attach://') && typeof params[v.slice(9)] === 'object') {
          params[k] = params[v.slice(9)];
          delete params[v.slice(9)];
        }
      }
      calls.push({ method, body: params, at: Date.now() });
      if (faults && (method === 'sendMessage' || method === 'sendPhoto') && faults.next() < faults.rate429) {
        const res = bad(429, `Too Many Requests: retry after ${faults.retryAfter ?? 1}`, { retry_after: faults.retryAfter ?? 1 });
        return reply.code(res.status).send(res.body);
      }
      const f = failures.find((x) => x.method === method && x.left > 0);
      if (f) {
        f.left--;
        const res =
          f.status === 429
            ? bad(429, f.description ?? `Too Many Requests: retry after ${f.retryAfter ?? 1}`, { retry_after: f.retryAfter ?? 1 })
            : bad(f.status, f.description ?? 'Internal Server Error');
        return reply.code(res.status).send(res.body);
      }
      const res = await handle(method, params);
      const hold = holds.findIndex((h) => h.method === method);
      if (hold >= 0) {
        const [h] = holds.splice(hold, 1);
        h!.arrive();
        await h!.released;
      }
      return reply.code(res.status).send(res.body);
    },
  });

  await app.listen({ port: opts.port ?? 0, host });
  const addr = app.server.address();
  const port = typeof addr === 'object' && addr ? addr.port : 0;

  const injectUpdate = (u: Record<string, unknown>): TelegramUpdate => {
    const update = { ...u, update_id: typeof u.update_id === 'number' ? u.update_id : nextUpdateId++ } as TelegramUpdate;
    nextUpdateId = Math.max(nextUpdateId, update.update_id + 1);
    updates.push(update);
    wake();
    return update;
  };
  const user = (chatId: number, languageCode = 'en') => ({ id: chatId, is_bot: false, first_name: 'Athlete', language_code: languageCode });

  return {
    url: `http://${host}:${port}`,
    port,
    token,
    bot,
    calls,
    sent,
    injectUpdate,
    injectMessage(chatId, text, o = {}) {
      const command = /^\/\w+/.exec(text);
      return injectUpdate({
        message: {
          message_id: nextMessageId++,
          from: user(chatId, o.languageCode),
          chat: chatOf(chatId),
          date: now(),
          text,
          ...(command ? { entities: [{ type: 'bot_command', offset: 0, length: command[0].length }] } : {}),
          ...(o.replyToMessageId ? { reply_to_message: { message_id: o.replyToMessageId, from: bot, chat: chatOf(chatId), date: now() } } : {}),
        },
      });
    },
    injectCallback(chatId, data, messageId, o = {}) {
      const msg = messageId ? sent.find((s) => s.message_id === messageId) : undefined;
      return injectUpdate({
        callback_query: {
          id: String(nextUpdateId * 7),
          from: user(chatId, o.languageCode),
          chat_instance: `ci${chatId}`,
          data,
          message: { message_id: messageId ?? 0, from: bot, chat: chatOf(chatId), date: now(), text: msg?.text ?? '' },
        },
      });
    },
    callbackAnswer(id) {
      return answered.get(id);
    },
    commands(languageCode = '') {
      return menus.get(`${JSON.stringify({ type: 'default' })}|${languageCode}`);
    },
    setFaults(f) {
      faults = f ? { ...f, next: mulberry32(f.seed ?? 43) } : null;
    },
    failNext(method, o = {}) {
      failures.push({ method, status: o.status ?? 429, retryAfter: o.retryAfter, description: o.description, left: o.times ?? 1 });
    },
    holdNext(method) {
      let arrive!: () => void;
      let release!: () => void;
      const arrived = new Promise<void>((r) => (arrive = r));
      const released = new Promise<void>((r) => (release = r));
      holds.push({ method, arrive, released });
      return { arrived, release };
    },
    blockChat(chatId) {
      blocked.add(String(chatId));
    },
    async close() {
      closing = true;
      wake();
      await app.close();
    },
  };
}
