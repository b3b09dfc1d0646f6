import { sql, type Kysely } from 'kysely';

/**
 * `record_rev` moves whenever a workout's record changes, whoever writes it (fetch, classification,
 * report, manual SQL): a trigger compares the values, so no writer can forget. Readers key what they
 * derive from a record (the gateway's validated JSON of each record) by (id, record_rev).
 * Not `rev`: that one counts fetches of the activity and guards classification against a newer fetch.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('workout').addColumn('record_rev', 'bigint', (c) => c.notNull().defaultTo(0)).execute();
  await sql`
    create or replace function splits_bump_record_rev() returns trigger language plpgsql as $$
    begin
      new.record_rev := old.record_rev + (case when new.record is distinct from old.record then 1 else 0 end);
      return new;
    end $$`.execute(db);
  await sql`create trigger workout_record_rev before update on workout for each row execute function splits_bump_record_rev()`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop trigger if exists workout_record_rev on workout`.execute(db);
  await sql`drop function if exists splits_bump_record_rev()`.execute(db);
  await db.schema.alterTable('workout').dropColumn('record_rev').execute();
}
