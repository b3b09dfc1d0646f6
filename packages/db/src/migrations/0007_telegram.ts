import { sql, type Kysely } from 'kysely';

// Frozen in time: migrations use Kysely<any> and never import the current schema types.
export async function up(db: Kysely<any>): Promise<void> {
  // The chat's language (from Telegram) and a link disabled by a 403 (bot blocked) instead of deleted.
  await db.schema
    .alterTable('telegram_link')
    .addColumn('language', 'text')
    .addColumn('disabled_at', 'timestamptz')
    .addColumn('disabled_reason', 'text')
    .execute();

  // One-time deep-link codes (t.me/<bot>?start=<code>): only the SHA-256 is stored.
  await db.schema
    .createTable('telegram_link_code')
    .addColumn('code_hash', 'text', (c) => c.primaryKey())
    .addColumn('athlete_id', 'text', (c) => c.notNull().references('athlete.id').onDelete('cascade'))
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .addColumn('used_at', 'timestamptz')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  // Bot messages that ask for a report (ForceReply): a reply to one of them belongs to its workout.
  await db.schema
    .createTable('telegram_prompt')
    .addColumn('chat_id', 'text', (c) => c.notNull())
    .addColumn('message_id', 'text', (c) => c.notNull())
    .addColumn('workout_id', 'text', (c) => c.notNull().references('workout.id').onDelete('cascade'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('telegram_prompt_pk', ['chat_id', 'message_id'])
    .execute();

  // Morning reminders: on by default (no row = on); last_sent_date is the once-per-local-day claim.
  await db.schema
    .createTable('reminder_setting')
    .addColumn('athlete_id', 'text', (c) => c.primaryKey().references('athlete.id').onDelete('cascade'))
    .addColumn('enabled', 'boolean', (c) => c.notNull().defaultTo(true))
    .addColumn('local_time', 'text', (c) => c.notNull().defaultTo('07:00'))
    .addColumn('last_sent_date', 'date')
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  // Revisions of the athlete's report per workout, with the write-back state of each.
  await db.schema
    .createTable('workout_report')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workout_id', 'text', (c) => c.notNull().references('workout.id').onDelete('cascade'))
    .addColumn('athlete_id', 'text', (c) => c.notNull().references('athlete.id').onDelete('cascade'))
    .addColumn('revision', 'integer', (c) => c.notNull())
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    // e.g. `tg-<chat>-<message>`: the same Telegram message saved twice is one revision.
    .addColumn('source_ref', 'text', (c) => c.unique())
    // pending | written | failed | superseded
    .addColumn('writeback_status', 'text', (c) => c.notNull().defaultTo('pending'))
    .addColumn('writeback_error', 'text')
    .addColumn('written_at', 'timestamptz')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('workout_report_rev_uq', ['workout_id', 'revision'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['workout_report', 'reminder_setting', 'telegram_prompt', 'telegram_link_code']) {
    await db.schema.dropTable(t).ifExists().execute();
  }
  await db.schema.alterTable('telegram_link').dropColumn('language').dropColumn('disabled_at').dropColumn('disabled_reason').execute();
}
