import { sql, type Kysely } from 'kysely';

// Frozen in time: migrations use Kysely<any> and never import the current schema types.
export async function up(db: Kysely<any>): Promise<void> {
  // What the athlete wrote about themselves, kept verbatim; `revision` counts edits.
  await db.schema
    .createTable('athlete_profile')
    .addColumn('athlete_id', 'text', (c) => c.primaryKey().references('athlete.id').onDelete('cascade'))
    .addColumn('about', 'text')
    .addColumn('goals', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn('rules', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn('strategy', 'text')
    .addColumn('revision', 'integer', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  // Every revision as it was saved, so any earlier one can be restored.
  await db.schema
    .createTable('athlete_profile_history')
    .addColumn('athlete_id', 'text', (c) => c.notNull().references('athlete.id').onDelete('cascade'))
    .addColumn('revision', 'integer', (c) => c.notNull())
    .addColumn('profile', 'jsonb', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('restored_from', 'integer')
    .addColumn('changed_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('athlete_profile_history_pk', ['athlete_id', 'revision'])
    .execute();

  // Rebuild bookkeeping: the version only moves when the content changes (content_hash).
  await db.schema
    .alterTable('athlete_summary')
    .addColumn('content_hash', 'text')
    .addColumn('size_chars', 'integer')
    .addColumn('build_ms', 'real')
    .addColumn('build_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('last_reason', 'text')
    .execute();
  // json keeps the document's text as built (section order: profile first); served without re-encoding.
  await sql`alter table athlete_summary alter column document type json using document::json`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`alter table athlete_summary alter column document type jsonb using document::jsonb`.execute(db);
  await db.schema
    .alterTable('athlete_summary')
    .dropColumn('content_hash')
    .dropColumn('size_chars')
    .dropColumn('build_ms')
    .dropColumn('build_count')
    .dropColumn('last_reason')
    .execute();
  await db.schema.dropTable('athlete_profile_history').execute();
  await db.schema.dropTable('athlete_profile').execute();
}
