import { sql, type Kysely } from 'kysely';

// Frozen in time: migrations use Kysely<any> and never import the current schema types.
export async function up(db: Kysely<any>): Promise<void> {
  // Why a row was set aside: status 'rejected' (its jobs failed the queue catalog) keeps the reason.
  await db.schema.alterTable('webhook_inbox').addColumn('status_reason', 'text').execute();
  // Retention prunes by age. received_at only grows, so inserts land on the index's right edge.
  await sql`create index webhook_inbox_received_at_idx on webhook_inbox (received_at)`.execute(db);
  // Access and refresh tokens are issued on every refresh; expired ones are pruned by expiry.
  await sql`create index oauth_token_expires_idx on oauth_token (expires_at)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('oauth_token_expires_idx').ifExists().execute();
  await db.schema.dropIndex('webhook_inbox_received_at_idx').ifExists().execute();
  await db.schema.alterTable('webhook_inbox').dropColumn('status_reason').execute();
}
