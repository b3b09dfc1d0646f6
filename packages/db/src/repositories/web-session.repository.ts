import { randomBytes } from 'node:crypto';
import type { Db } from '../connection.js';
import { hashToken, newId } from '../crypto.js';

/** A web session lives 30 days from sign-in (issue 18); signing in again starts a new one. */
export const WEB_SESSION_TTL_MS = 30 * 86_400_000;

export interface WebSession {
  id: string;
  athleteId: string;
  expiresAt: Date;
}

/**
 * A new session for a browser that just signed in. The token goes into the cookie once; only its
 * hash is stored. `replacing` (the session cookie the browser came with, if any) is revoked in the
 * same step, so a sign-in always rotates the session.
 */
export async function createWebSession(
  db: Db,
  s: { athleteId: string; method: 'code' | 'intervals'; userAgent: string | null; replacing?: string | null },
): Promise<{ token: string; session: WebSession }> {
  const token = `sws_${randomBytes(32).toString('base64url')}`;
  const id = newId('wss');
  const expiresAt = new Date(Date.now() + WEB_SESSION_TTL_MS);
  if (s.replacing) await revokeWebSessionByToken(db, s.replacing);
  await db
    .insertInto('web_session')
    .values({ id, token_hash: hashToken(token), athlete_id: s.athleteId, method: s.method, user_agent: s.userAgent?.slice(0, 300) ?? null, expires_at: expiresAt, revoked_at: null })
    .execute();
  return { token, session: { id, athleteId: s.athleteId, expiresAt } };
}

/** The live session a cookie token names; null when unknown, expired or revoked. */
export async function findWebSession(db: Db, token: string): Promise<WebSession | null> {
  const row = await db
    .selectFrom('web_session')
    .select(['id', 'athlete_id', 'expires_at'])
    .where('token_hash', '=', hashToken(token))
    .where('revoked_at', 'is', null)
    .where('expires_at', '>', new Date())
    .executeTakeFirst();
  return row ? { id: row.id, athleteId: row.athlete_id, expiresAt: row.expires_at } : null;
}

/** At most once a minute per session: "last seen" on the sessions list, not a write per request. */
export async function touchWebSession(db: Db, id: string): Promise<void> {
  await db
    .updateTable('web_session')
    .set({ last_seen_at: new Date() })
    .where('id', '=', id)
    .where('last_seen_at', '<', new Date(Date.now() - 60_000))
    .execute();
}

export async function revokeWebSessionByToken(db: Db, token: string): Promise<void> {
  await db.updateTable('web_session').set({ revoked_at: new Date() }).where('token_hash', '=', hashToken(token)).where('revoked_at', 'is', null).execute();
}

/** Ends one of this athlete's sessions (another athlete's id changes nothing). */
export async function revokeWebSession(db: Db, athleteId: string, sessionId: string): Promise<boolean> {
  const res = await db
    .updateTable('web_session')
    .set({ revoked_at: new Date() })
    .where('id', '=', sessionId)
    .where('athlete_id', '=', athleteId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return res.numUpdatedRows > 0n;
}

/** Sign out everywhere: every live session of the athlete ends. */
export async function revokeAthleteWebSessions(db: Db, athleteId: string): Promise<number> {
  const res = await db.updateTable('web_session').set({ revoked_at: new Date() }).where('athlete_id', '=', athleteId).where('revoked_at', 'is', null).executeTakeFirst();
  return Number(res.numUpdatedRows);
}

export async function listWebSessions(db: Db, athleteId: string) {
  return db
    .selectFrom('web_session')
    .select(['id', 'method', 'user_agent', 'created_at', 'last_seen_at', 'expires_at'])
    .where('athlete_id', '=', athleteId)
    .where('revoked_at', 'is', null)
    .where('expires_at', '>', new Date())
    .orderBy('created_at', 'desc')
    .limit(50)
    .execute();
}
