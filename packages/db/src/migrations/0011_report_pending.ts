import { sql, type Kysely } from 'kysely';

// Frozen in time: migrations use Kysely<any> and never import the current schema types.
export async function up(db: Kysely<any>): Promise<void> {
  // The report sweep reads only revisions whose write-back is still pending: a handful at any time,
  // while written ones pile up forever. A partial index keeps that read independent of history.
  await sql`create index workout_report_pending_idx on workout_report (created_at) where writeback_status = 'pending'`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('workout_report_pending_idx').ifExists().execute();
}
