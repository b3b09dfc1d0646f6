import { randomBytes } from 'node:crypto';
import type { Db } from '../connection.js';
import { hashToken, newId, type EncryptionKeys } from '../crypto.js';
import { insertConnection } from './connection.repository.js';

export interface NewAthlete {
  name?: string | null;
  timezone?: string;
  intervalsAthleteId: string;
  authKind: 'api_key' | 'oauth';
  credential: string;
  scopes?: string | null;
  telegramChatId?: string | null;
}

/** Creates the athlete, its Intervals.icu connection (credential sealed) and optional Telegram link. Caller may pass a transaction. */
export async function createAthlete(db: Db, key: EncryptionKeys, input: NewAthlete): Promise<{ id: string }> {
  const id = newId('ath');
  await db
    .insertInto('athlete')
    .values({ id, name: input.name ?? null, timezone: input.timezone ?? 'UTC' })
    .execute();
  await insertConnection(db, key, { athleteId: id, intervalsAthleteId: input.intervalsAthleteId, authKind: input.authKind, credential: input.credential, scopes: input.scopes ?? null });
  if (input.telegramChatId) await linkTelegram(db, id, input.telegramChatId);
  return { id };
}

export async function linkTelegram(db: Db, athleteId: string, chatId: string): Promise<void> {
  await db
    .insertInto('telegram_link')
    .values({ athlete_id: athleteId, chat_id: chatId })
    .onConflict((oc) => oc.column('athlete_id').doUpdateSet({ chat_id: chatId, linked_at: new Date() }))
    .execute();
}

export async function listAthletes(db: Db) {
  return db
    .selectFrom('athlete as a')
    .innerJoin('intervals_connection as c', 'c.athlete_id', 'a.id')
    .leftJoin('telegram_link as t', 't.athlete_id', 'a.id')
    .select(['a.id', 'a.name', 'a.timezone', 'a.created_at', 'c.intervals_athlete_id', 'c.auth_kind', 'c.status', 't.chat_id'])
    .orderBy('a.created_at')
    .execute();
}

export async function getAthlete(db: Db, athleteId: string) {
  return db
    .selectFrom('athlete as a')
    .innerJoin('intervals_connection as c', 'c.athlete_id', 'a.id')
    .select(['a.id', 'a.name', 'a.timezone', 'c.intervals_athlete_id', 'c.auth_kind', 'c.status'])
    .where('a.id', '=', athleteId)
    .executeTakeFirst();
}

/** Deletes the athlete; every row that belongs to them goes with it (ON DELETE CASCADE). */
/** Whether the athlete exists (operator commands check before they act). */
export async function athleteExists(db: Db, athleteId: string): Promise<boolean> {
  return (await db.selectFrom('athlete').select('id').where('id', '=', athleteId).executeTakeFirst()) !== undefined;
}

export async function removeAthlete(db: Db, athleteId: string): Promise<boolean> {
  const res = await db.deleteFrom('athlete').where('id', '=', athleteId).executeTakeFirst();
  return res.numDeletedRows > 0n;
}

export async function getTelegramChat(db: Db, athleteId: string): Promise<string | null> {
  const row = await db.selectFrom('telegram_link').select('chat_id').where('athlete_id', '=', athleteId).executeTakeFirst();
  return row?.chat_id ?? null;
}

/** Issues a gateway token; the plaintext is returned once and only its hash is stored. */
export async function createApiToken(db: Db, athleteId: string, label?: string): Promise<{ id: string; token: string }> {
  const token = `spl_${randomBytes(32).toString('base64url')}`;
  const id = newId('tok');
  await db
    .insertInto('api_token')
    .values({ id, athlete_id: athleteId, token_hash: hashToken(token), label: label ?? null, last_used_at: null, revoked_at: null })
    .execute();
  return { id, token };
}

export async function findAthleteIdByToken(db: Db, token: string): Promise<string | null> {
  const row = await db
    .selectFrom('api_token')
    .select('athlete_id')
    .where('token_hash', '=', hashToken(token))
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return row?.athlete_id ?? null;
}
