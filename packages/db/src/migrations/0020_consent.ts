import { sql, type Kysely } from 'kysely';

// Frozen in time: migrations use Kysely<any> and never import the current schema types.
/**
 * What the athlete agreed to, and when (issue 15): `privacy_notice` with the notice's version when
 * they connected, `llm` when they allowed (or withdrew) sending session data to the LLM provider.
 * Append-only: the latest row of a kind is the current answer, the rest is the history the export
 * shows. Deleting the athlete deletes it with the rest of their rows.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('athlete_consent')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('athlete_id', 'text', (c) => c.notNull().references('athlete.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('privacy_notice', 'llm')`))
    .addColumn('granted', 'boolean', (c) => c.notNull())
    // The privacy notice's version the athlete saw.
    .addColumn('notice_version', 'text', (c) => c.notNull())
    // Where it was given: telegram, gateway, web, cli.
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('recorded_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`clock_timestamp()`))
    .execute();
  await db.schema.createIndex('athlete_consent_latest').on('athlete_consent').columns(['athlete_id', 'kind', 'id']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('athlete_consent').ifExists().execute();
}
