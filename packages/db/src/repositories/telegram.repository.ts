import { randomBytes } from 'node:crypto';
import type { Db } from '../connection.js';
import { hashToken } from '../crypto.js';

/** An active link: a chat that receives cards (not unlinked, not blocked). */
export interface TelegramLink {
  athleteId: string;
  chatId: string;
  /** The athlete's chosen language ('en' | 'ru'); null until the first contact. */
  language: string | null;
}

/**
 * Issues a one-time deep-link code for `t.me/<bot>?start=<code>`. Only the hash is stored; the
 * plaintext is returned once. Codes are [A-Za-z0-9_-] (Telegram's start-parameter alphabet).
 */
export async function createTelegramLinkCode(db: Db, athleteId: string, ttlMs = 24 * 3600_000): Promise<{ code: string; expiresAt: Date }> {
  const code = randomBytes(16).toString('base64url');
  const expiresAt = new Date(Date.now() + ttlMs);
  await db.insertInto('telegram_link_code').values({ code_hash: hashToken(code), athlete_id: athleteId, expires_at: expiresAt, used_at: null }).execute();
  return { code, expiresAt };
}

/**
 * Redeems a code for a chat: valid once and before it expires. The chat moves to this athlete if it
 * was linked elsewhere, and a link disabled by a block is enabled again. `language` is the client's:
 * it becomes the athlete's only when they have not chosen one yet (the first contact). Returns null
 * for an unknown, used or expired code. Run it in a transaction (the caller opens it).
 */
export async function redeemTelegramLinkCode(db: Db, code: string, chatId: string, language: string | null): Promise<string | null> {
  const used = await db
    .updateTable('telegram_link_code')
    .set({ used_at: new Date() })
    .where('code_hash', '=', hashToken(code))
    .where('used_at', 'is', null)
    .where('expires_at', '>', new Date())
    .returning('athlete_id')
    .executeTakeFirst();
  if (!used) return null;
  await db.deleteFrom('telegram_link').where('chat_id', '=', chatId).where('athlete_id', '!=', used.athlete_id).execute();
  await db
    .insertInto('telegram_link')
    .values({ athlete_id: used.athlete_id, chat_id: chatId, disabled_at: null, disabled_reason: null })
    .onConflict((oc) => oc.column('athlete_id').doUpdateSet({ chat_id: chatId, linked_at: new Date(), disabled_at: null, disabled_reason: null }))
    .execute();
  if (language) await adoptAthleteLanguage(db, used.athlete_id, language);
  return used.athlete_id;
}

export async function findTelegramLinkByChat(db: Db, chatId: string): Promise<TelegramLink | null> {
  const row = await db
    .selectFrom('telegram_link as l')
    .innerJoin('athlete as a', 'a.id', 'l.athlete_id')
    .select(['l.athlete_id', 'l.chat_id', 'a.language'])
    .where('l.chat_id', '=', chatId)
    .where('l.disabled_at', 'is', null)
    .executeTakeFirst();
  return row ? { athleteId: row.athlete_id, chatId: row.chat_id, language: row.language } : null;
}

export async function getActiveTelegramLink(db: Db, athleteId: string): Promise<TelegramLink | null> {
  const row = await db
    .selectFrom('telegram_link as l')
    .innerJoin('athlete as a', 'a.id', 'l.athlete_id')
    .select(['l.athlete_id', 'l.chat_id', 'a.language'])
    .where('l.athlete_id', '=', athleteId)
    .where('l.disabled_at', 'is', null)
    .executeTakeFirst();
  return row ? { athleteId: row.athlete_id, chatId: row.chat_id, language: row.language } : null;
}

export async function unlinkTelegramChat(db: Db, chatId: string): Promise<boolean> {
  const res = await db.deleteFrom('telegram_link').where('chat_id', '=', chatId).executeTakeFirst();
  return res.numDeletedRows > 0n;
}

/** 403 from Telegram (bot blocked, chat gone): stop sending until the athlete links again. */
export async function disableTelegramLink(db: Db, chatId: string, reason: string): Promise<void> {
  await db
    .updateTable('telegram_link')
    .set({ disabled_at: new Date(), disabled_reason: reason.slice(0, 200) })
    .where('chat_id', '=', chatId)
    .where('disabled_at', 'is', null)
    .execute();
}

/** The athlete chose a language (/language, the web page). */
export async function setAthleteLanguage(db: Db, athleteId: string, language: string): Promise<void> {
  await db.updateTable('athlete').set({ language }).where('id', '=', athleteId).where('language', 'is distinct from', language).execute();
}

/** The first contact's language becomes the athlete's, unless they already have one: a later message from another client changes nothing. */
export async function adoptAthleteLanguage(db: Db, athleteId: string, language: string): Promise<void> {
  await db.updateTable('athlete').set({ language }).where('id', '=', athleteId).where('language', 'is', null).execute();
}

/**
 * Claims one Telegram send (sent-marker row, DESIGN §8). Only a row that is new or was released
 * (`pending`: Telegram said it did not deliver) can be claimed. A `sending` row left by a process
 * that died mid-send is never claimed again: Telegram may already have shown that message, and a
 * duplicate card is worse than a missing one.
 */
export async function claimTelegramSend(db: Db, workoutId: string, kind: string, chatId: string): Promise<boolean> {
  const row = await db
    .insertInto('notification')
    .values({ workout_id: workoutId, kind, status: 'sending', chat_id: chatId, telegram_message_id: null, sent_at: null })
    .onConflict((oc) =>
      oc
        .columns(['workout_id', 'kind'])
        .doUpdateSet({ status: 'sending', chat_id: chatId })
        .where('notification.status', '=', 'pending'),
    )
    .returning('status')
    .executeTakeFirst();
  return row !== undefined;
}

/** Whether this send was claimed for good (sent, or in doubt): a repeated request has nothing to prepare. */
export async function isTelegramSendClaimed(db: Db, workoutId: string, kind: string): Promise<boolean> {
  const row = await db
    .selectFrom('notification')
    .select('status')
    .where('workout_id', '=', workoutId)
    .where('kind', '=', kind)
    .where('status', 'in', ['sending', 'sent'])
    .executeTakeFirst();
  return row !== undefined;
}

/** Telegram refused the message (it was not delivered): the next run may claim it again. */
export async function releaseTelegramSend(db: Db, workoutId: string, kind: string): Promise<void> {
  await db.updateTable('notification').set({ status: 'pending' }).where('workout_id', '=', workoutId).where('kind', '=', kind).where('status', '=', 'sending').execute();
}

/** The workout a message in this chat belongs to: a card or a report prompt. */
export async function findWorkoutByMessage(db: Db, chatId: string, messageId: string): Promise<string | null> {
  const prompt = await db.selectFrom('telegram_prompt').select('workout_id').where('chat_id', '=', chatId).where('message_id', '=', messageId).executeTakeFirst();
  if (prompt) return prompt.workout_id;
  const card = await db
    .selectFrom('notification')
    .select('workout_id')
    .where('chat_id', '=', chatId)
    .where('telegram_message_id', '=', messageId)
    .where('kind', '=', 'new')
    .executeTakeFirst();
  return card?.workout_id ?? null;
}

export async function saveTelegramPrompt(db: Db, chatId: string, messageId: string, workoutId: string): Promise<void> {
  await db.insertInto('telegram_prompt').values({ chat_id: chatId, message_id: messageId, workout_id: workoutId }).onConflict((oc) => oc.doNothing()).execute();
}

export async function getNotificationMessageId(db: Db, workoutId: string, kind: string): Promise<string | null> {
  const row = await db.selectFrom('notification').select('telegram_message_id').where('workout_id', '=', workoutId).where('kind', '=', kind).executeTakeFirst();
  return row?.telegram_message_id ?? null;
}

