import { sql, type Kysely } from 'kysely';

// Frozen in time: migrations use Kysely<any> and never import the current schema types.
/**
 * The transactional outbox (DESIGN §3): a job that must follow a committed change (classify after a
 * stored record, summary and notify after a classification, write-back after a report) is written
 * here in the same transaction as the change, handed to the queue after the commit and deleted; a
 * relay adds whatever a crash or a refusing Redis left behind. Rows live seconds, so the primary
 * key is the only index the relay needs.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('job_outbox')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('queue', 'text', (c) => c.notNull())
    .addColumn('payload', 'jsonb', (c) => c.notNull())
    // Whose work it is: deleting an athlete drops their staged jobs with the rest of their rows.
    .addColumn('athlete_id', 'text', (c) => c.references('athlete.id').onDelete('cascade'))
    // When the row was written, not when its transaction began (a write-back's transaction waits on
    // Intervals.icu): the relay's min age counts from here.
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`clock_timestamp()`))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('job_outbox').ifExists().execute();
}
