import { sql, type Kysely } from 'kysely';

/**
 * `athlete:<id>` on the change channel (0009) whenever something an athlete's workout pages are built
 * from changes: a workout row (its listing, and record_rev, which the classification and report
 * triggers of 0016 move), the athlete's time zone, or a sport's settings. The gateway keeps whole
 * /trainings pages and the athletes' settings in memory until one arrives. Identical notifications
 * of one transaction are folded by Postgres, so a recalibration that touches many runs sends one.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create or replace function splits_notify_athlete_reads() returns trigger language plpgsql as $$
    begin
      -- Separate statements: plpgsql plans each one when it runs, and athlete has no athlete_id.
      if tg_table_name = 'athlete' then
        perform pg_notify('splits_change', 'athlete:' || new.id);
      else
        perform pg_notify('splits_change', 'athlete:' || coalesce(new.athlete_id, old.athlete_id));
      end if;
      return null;
    end $$`.execute(db);
  await sql`create trigger workout_athlete_reads after insert or update or delete on workout
    for each row execute function splits_notify_athlete_reads()`.execute(db);
  await sql`create trigger sport_settings_athlete_reads after insert or update or delete on sport_settings
    for each row execute function splits_notify_athlete_reads()`.execute(db);
  await sql`create trigger athlete_athlete_reads after update of timezone on athlete
    for each row execute function splits_notify_athlete_reads()`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['workout', 'sport_settings', 'athlete']) {
    await sql`drop trigger if exists ${sql.raw(`${table}_athlete_reads`)} on ${sql.table(table)}`.execute(db);
  }
  await sql`drop function if exists splits_notify_athlete_reads()`.execute(db);
}
