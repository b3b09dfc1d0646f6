import { sql, type Kysely } from 'kysely';

// Frozen in time: migrations use Kysely<any> and never import the current schema types.
/**
 * The athlete's language (issue 17): their choice, not the language of whichever client sent the
 * last message. Taken from the first contact in Telegram, changed with /language (and later on the
 * web page); null until then. It belongs to the athlete, so it outlives an unlinked or relinked
 * chat: it moves here from telegram_link (0007), which no longer has it.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('athlete').addColumn('language', 'text').execute();
  await sql`update athlete a set language = l.language from telegram_link l where l.athlete_id = a.id and l.language is not null`.execute(db);
  await db.schema.alterTable('telegram_link').dropColumn('language').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('telegram_link').addColumn('language', 'text').execute();
  await sql`update telegram_link l set language = a.language from athlete a where l.athlete_id = a.id`.execute(db);
  await db.schema.alterTable('athlete').dropColumn('language').execute();
}
