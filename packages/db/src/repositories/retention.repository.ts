import { sql } from 'kysely';
import type { Db } from '../connection.js';

/**
 * Retention: what is deleted, and when. Every delete goes in batches (short statements, no long
 * locks on the inbox that takes thousands of rows per second) and says how many rows it removed.
 */

const DAY_SECS = 86_400;

async function inBatches(batchSize: number, deleteBatch: () => Promise<bigint | number>): Promise<number> {
  let total = 0;
  for (;;) {
    const n = Number(await deleteBatch());
    total += n;
    if (n < batchSize) return total;
  }
}

export interface InboxRetention {
  /** Accepted (already queued), ignored and rejected rows older than this go. */
  processedDays: number;
  /** Rows of athletes Splits does not serve (kept only for dedupe of redeliveries) older than this go. */
  unknownAthleteDays: number;
  batchSize?: number;
}

/**
 * Deletes old webhook_inbox rows. A row still waiting for its queue (in webhook_inbox_pending) is
 * never deleted, however old: it is accepted work the relay has yet to hand over.
 */
export async function pruneInbox(db: Db, r: InboxRetention): Promise<{ processed: number; unknownAthlete: number }> {
  const batchSize = r.batchSize ?? 5_000;
  const prune = (days: number, which: 'processed' | 'unknown') =>
    inBatches(batchSize, async () => {
      const res = await sql`
        delete from webhook_inbox where id in (
          select i.id from webhook_inbox i
           where i.received_at < now() - make_interval(secs => ${days * DAY_SECS})
             and ${which === 'unknown' ? sql`i.status = 'unknown_athlete'` : sql`i.status <> 'unknown_athlete'`}
             and not exists (select 1 from webhook_inbox_pending p where p.inbox_id = i.id)
           limit ${batchSize})`.execute(db);
      return res.numAffectedRows ?? 0n;
    });
  const processed = await prune(r.processedDays, 'processed');
  const unknownAthlete = await prune(r.unknownAthleteDays, 'unknown');
  return { processed, unknownAthlete };
}

export interface ExpiredGrantCounts {
  loginCodes: number;
  telegramLinkCodes: number;
  oauthAuthorizations: number;
  oauthTokens: number;
}

/**
 * Deletes sign-in codes, Telegram link codes, OAuth authorizations (and their codes) and OAuth tokens
 * that expired more than `graceDays` ago. Every reader already ignores an expired row, so nothing
 * that works today stops working; revoked tokens stay until they expire, for refresh-token reuse
 * detection.
 */
export async function pruneExpiredGrants(db: Db, r: { graceDays: number; batchSize?: number }): Promise<ExpiredGrantCounts> {
  const batchSize = r.batchSize ?? 5_000;
  const prune = (table: 'login_code' | 'telegram_link_code' | 'oauth_authorization' | 'oauth_token', key: string) =>
    inBatches(batchSize, async () => {
      const res = await sql`
        delete from ${sql.table(table)} where ${sql.ref(key)} in (
          select ${sql.ref(key)} from ${sql.table(table)}
           where expires_at < now() - make_interval(secs => ${r.graceDays * DAY_SECS})
           limit ${batchSize})`.execute(db);
      return res.numAffectedRows ?? 0n;
    });
  return {
    loginCodes: await prune('login_code', 'code_hash'),
    telegramLinkCodes: await prune('telegram_link_code', 'code_hash'),
    oauthAuthorizations: await prune('oauth_authorization', 'id'),
    oauthTokens: await prune('oauth_token', 'id'),
  };
}
