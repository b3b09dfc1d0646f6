import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { waitFor } from '../util.js';
import { startFakeTelegram, type FakeTelegram } from './telegram.js';

let tg: FakeTelegram;
const call = async (method: string, body?: unknown, token = tg.token) => {
  const res = await fetch(`${tg.url}/bot${token}/${method}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body ?? {}),
  });
  return { status: res.status, body: (await res.json()) as any };
};

beforeAll(async () => {
  tg = await startFakeTelegram();
});
afterAll(() => tg.close());

describe('fake Telegram Bot API', () => {
  it('answers getMe and sendMessage like the Bot API', async () => {
    const me = await call('getMe');
    expect(me.body).toMatchObject({ ok: true, result: { is_bot: true, username: tg.bot.username } });
    const markup = { inline_keyboard: [[{ text: 'Report', callback_data: 'report:1' }]] };
    const a = await call('sendMessage', { chat_id: 42, text: 'Threshold 4x8 done', reply_markup: markup });
    const b = await call('sendMessage', { chat_id: 42, text: 'second' });
    expect(a.body.ok).toBe(true);
    expect(a.body.result).toMatchObject({ chat: { id: 42 }, text: 'Threshold 4x8 done', reply_markup: markup });
    expect(b.body.result.message_id).toBe(a.body.result.message_id + 1);
    expect(tg.sent.filter((m) => m.chat_id === 42).map((m) => m.text)).toEqual(['Threshold 4x8 done', 'second']);
    expect((await call('sendMessage', { chat_id: 42 })).body).toEqual({ ok: false, error_code: 400, description: 'Bad Request: message text is empty' });
  });

  it('accepts form and multipart bodies (sendPhoto records the byte length)', async () => {
    const form = await fetch(`${tg.url}/bot${tg.token}/sendMessage`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ chat_id: '7', text: 'hi', reply_markup: '{"inline_keyboard":[]}' }),
    });
    expect(((await form.json()) as any).result.reply_markup).toEqual({ inline_keyboard: [] });
    const fd = new FormData();
    fd.set('chat_id', '7');
    fd.set('caption', 'Weekly chart');
    fd.set('photo', new Blob([new Uint8Array(1234)], { type: 'image/png' }), 'chart.png');
    const photo = (await (await fetch(`${tg.url}/bot${tg.token}/sendPhoto`, { method: 'POST', body: fd })).json()) as any;
    expect(photo.ok).toBe(true);
    expect(photo.result.caption).toBe('Weekly chart');
    expect(tg.sent.at(-1)).toMatchObject({ method: 'sendPhoto', chat_id: 7, caption: 'Weekly chart', photo: { filename: 'chart.png', bytes: 1234 } });
  });

  it('edits a sent message', async () => {
    const sent = await call('sendMessage', { chat_id: 9, text: 'v1' });
    const edited = await call('editMessageText', { chat_id: 9, message_id: sent.body.result.message_id, text: 'v2' });
    expect(edited.body.result.text).toBe('v2');
    expect(tg.sent.find((m) => m.message_id === sent.body.result.message_id)!.edits).toEqual(['v2']);
    expect((await call('editMessageText', { chat_id: 9, message_id: 1, text: 'x' })).status).toBe(400);
  });

  it('rejects a wrong token with 401', async () => {
    expect(await call('getMe', {}, '1:wrong')).toEqual({ status: 401, body: { ok: false, error_code: 401, description: 'Unauthorized' } });
  });

  it('injects 429 with retry_after once', async () => {
    tg.failNext('sendMessage', { status: 429, retryAfter: 7 });
    const limited = await call('sendMessage', { chat_id: 1, text: 'x' });
    expect(limited.status).toBe(429);
    expect(limited.body).toEqual({ ok: false, error_code: 429, description: 'Too Many Requests: retry after 7', parameters: { retry_after: 7 } });
    expect((await call('sendMessage', { chat_id: 1, text: 'x' })).body.ok).toBe(true);
  });

  it('holds getUpdates until an update arrives, and an offset confirms it', async () => {
    const before = tg.calls.filter((c) => c.method === 'getUpdates').length;
    const started = Date.now();
    const poll = call('getUpdates', { offset: 0, timeout: 20 });
    await waitFor(() => tg.calls.filter((c) => c.method === 'getUpdates').length > before, { what: 'getUpdates to arrive' });
    const injected = tg.injectMessage(42, '/start abc');
    const got = await poll;
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(got.body.result).toEqual([injected]);
    expect(got.body.result[0].message.entities).toEqual([{ type: 'bot_command', offset: 0, length: 6 }]);
    // Same offset again: still there (not confirmed); offset = id + 1 confirms it, and an empty poll returns [].
    expect((await call('getUpdates', { offset: injected.update_id, timeout: 0 })).body.result).toHaveLength(1);
    expect((await call('getUpdates', { offset: injected.update_id + 1, timeout: 0 })).body.result).toEqual([]);
  });

  it('answers 403 for a chat that blocked the bot', async () => {
    tg.blockChat(666);
    expect((await call('sendMessage', { chat_id: 666, text: 'x' })).body).toEqual({ ok: false, error_code: 403, description: 'Forbidden: bot was blocked by the user' });
  });
});
