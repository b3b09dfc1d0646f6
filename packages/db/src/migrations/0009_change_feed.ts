import { sql, type Kysely } from 'kysely';

/**
 * Change notifications for in-process read caches (the gateway's token and summary caches): every
 * write that could make a cached answer wrong sends `pg_notify('splits_change', '<kind>:<key>')`,
 * delivered to listeners when its transaction commits. Triggers, not application code, so no write
 * path (CLI, Telegram, OAuth revocation, cascaded deletes, manual SQL) can forget to send one.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create or replace function splits_notify_change() returns trigger language plpgsql as $$
    begin
      if tg_table_name = 'athlete_summary' then
        perform pg_notify('splits_change', 'summary:' || coalesce(new.athlete_id, old.athlete_id));
      else
        perform pg_notify('splits_change', 'token:' || old.token_hash);
      end if;
      return null;
    end $$`.execute(db);
  // A token row only changes to be revoked (or is deleted, directly or with its athlete).
  for (const table of ['api_token', 'oauth_token']) {
    await sql`create trigger ${sql.raw(`${table}_change`)} after update or delete on ${sql.table(table)}
      for each row execute function splits_notify_change()`.execute(db);
  }
  await sql`create trigger athlete_summary_change after insert or update or delete on athlete_summary
    for each row execute function splits_notify_change()`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['api_token', 'oauth_token', 'athlete_summary']) {
    await sql`drop trigger if exists ${sql.raw(`${table}_change`)} on ${sql.table(table)}`.execute(db);
  }
  await sql`drop function if exists splits_notify_change()`.execute(db);
}
