import { sql, type Kysely } from 'kysely';

// Frozen in time: migrations use Kysely<any> and never import the current schema types.
/**
 * The athlete's own web pages (issue 18): one row per signed-in browser. Only the SHA-256 of the
 * session token is stored (the cookie holds the token); a session ends at `expires_at` (30 days from
 * sign-in) or when revoked (sign out, sign out everywhere). The web service is the only writer.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('web_session')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('athlete_id', 'text', (c) => c.notNull().references('athlete.id').onDelete('cascade'))
    // How the browser signed in: code (Telegram /login or the CLI) or intervals (OAuth).
    .addColumn('method', 'text', (c) => c.notNull())
    .addColumn('user_agent', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('last_seen_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .addColumn('revoked_at', 'timestamptz')
    .execute();
  await db.schema.createIndex('web_session_athlete_idx').on('web_session').column('athlete_id').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('web_session').ifExists().execute();
}
