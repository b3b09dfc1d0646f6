import { sql } from 'kysely';
import type { Db } from '../connection.js';

/** active: usable · broken: Intervals.icu refused the credential (401/403) · revoked: the athlete deauthorised the app. */
export type ConnectionStatus = 'active' | 'broken' | 'revoked';

export async function getConnectionState(db: Db, athleteId: string) {
  return db
    .selectFrom('intervals_connection as c')
    .innerJoin('athlete as a', 'a.id', 'c.athlete_id')
    .select(['c.athlete_id', 'c.intervals_athlete_id', 'c.auth_kind', 'c.status', 'c.status_reason', 'c.scopes', 'c.poll_cursor', 'c.last_polled_at', 'a.timezone'])
    .where('c.athlete_id', '=', athleteId)
    .executeTakeFirst();
}

/** Marks the connection unusable (or usable again) with a reason operators can read. */
export async function setConnectionStatus(db: Db, athleteId: string, status: ConnectionStatus, reason: string | null): Promise<void> {
  await db
    .updateTable('intervals_connection')
    .set({ status, status_reason: reason, updated_at: new Date() })
    .where('athlete_id', '=', athleteId)
    .execute();
}

/** APP_SCOPE_CHANGED with deauthorized: the token is forgotten, not just flagged. */
export async function revokeConnection(db: Db, athleteId: string, reason: string): Promise<void> {
  await db
    .updateTable('intervals_connection')
    .set({ status: 'revoked', status_reason: reason, credential_enc: '', scopes: '', updated_at: new Date() })
    .where('athlete_id', '=', athleteId)
    .execute();
}

export async function updateConnectionScopes(db: Db, athleteId: string, scopes: string): Promise<void> {
  await db.updateTable('intervals_connection').set({ scopes, updated_at: new Date() }).where('athlete_id', '=', athleteId).execute();
}

/** Connections to poll: every active one, with how (api_key: full poll; oauth: reconciliation). */
export async function listActiveConnections(db: Db) {
  return db
    .selectFrom('intervals_connection')
    .select(['athlete_id', 'auth_kind'])
    .where('status', '=', 'active')
    .orderBy('athlete_id')
    .execute();
}

export async function recordPoll(db: Db, athleteId: string, cursor: Date | null): Promise<void> {
  await db
    .updateTable('intervals_connection')
    .set({
      last_polled_at: new Date(),
      poll_cursor: cursor ? sql<Date>`greatest(coalesce(poll_cursor, ${cursor}), ${cursor})` : sql<Date>`poll_cursor`,
    })
    .where('athlete_id', '=', athleteId)
    .execute();
}

/** The newest stored APP_SCOPE_CHANGED event of an athlete: scope changes apply in arrival order. */
export async function latestScopeChange(db: Db, athleteId: string) {
  return db
    .selectFrom('webhook_inbox')
    .select(['id', 'payload'])
    .where('athlete_id', '=', athleteId)
    .where('type', '=', 'APP_SCOPE_CHANGED')
    .orderBy('id', 'desc')
    .executeTakeFirst();
}
