import { sql, type Kysely } from 'kysely';

/**
 * The inbox keeps each delivery verbatim for replay and audit; it is never queried inside. `json`
 * (validated text) is stored without the binary conversion `jsonb` costs on every webhook.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table webhook_inbox alter column payload type json using payload::json`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`alter table webhook_inbox alter column payload type jsonb using payload::jsonb`.execute(db);
}
