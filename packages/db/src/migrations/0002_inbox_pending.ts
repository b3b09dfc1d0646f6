import { sql, type Kysely } from 'kysely';

/**
 * Which inbox rows still await a queue moves to a narrow table of its own. Marking a row queued
 * was an UPDATE of a wide row (the event JSON) that touched every index; now it is the DELETE of a
 * tiny row, and the inbox itself becomes insert-only. Status keeps what a row *is*
 * (accepted | ignored | unknown_athlete); "queued" is the absence of a pending row.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('webhook_inbox_pending')
    .addColumn('inbox_id', 'bigint', (c) => c.primaryKey().references('webhook_inbox.id').onDelete('cascade'))
    .addColumn('received_at', 'timestamptz', (c) => c.notNull())
    .execute();
  await sql`insert into webhook_inbox_pending (inbox_id, received_at)
            select id, received_at from webhook_inbox where status = 'received'`.execute(db);
  await sql`update webhook_inbox set status = 'accepted' where status in ('received', 'queued')`.execute(db);
  await db.schema.dropIndex('webhook_inbox_received_idx').execute();
  await db.schema.alterTable('webhook_inbox').dropColumn('queued_at').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('webhook_inbox').addColumn('queued_at', 'timestamptz').execute();
  await sql`update webhook_inbox set status = 'queued' where status = 'accepted'`.execute(db);
  await sql`update webhook_inbox set status = 'received' where id in (select inbox_id from webhook_inbox_pending)`.execute(db);
  await sql`create index webhook_inbox_received_idx on webhook_inbox (received_at) where status = 'received'`.execute(db);
  await db.schema.dropTable('webhook_inbox_pending').execute();
}
