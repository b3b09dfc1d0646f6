import { sql, type Kysely } from 'kysely';

// Frozen in time: migrations use Kysely<any> and never import the current schema types.
/**
 * One owner for each fact of a workout (DESIGN §4). `workout.record` holds what Intervals.icu said,
 * written by the fetch-worker only; the classification lives in `workout_classification`, written by
 * the classify-worker only; the athlete's report stays in `workout_report` (telegram-worker, later
 * the web page). The record assistants receive is composed on read, in one place: the view
 * `workout_record` (its `record` column).
 *
 * `workout.structure_rev` (fetch-owned) is the revision since which the laps are unchanged: a
 * classification made at or after it still describes the workout in full; an older one (the laps
 * changed, a new classification is on its way) lends the record only its session type, as before.
 * `workout.session_type` goes: the session type is the classification's (or the record's first guess).
 *
 * `workout.record_rev` keeps moving on every change of the composed record: a change of the
 * classification or a new report revision bumps it too (triggers), so caches keyed by
 * (id, record_rev) never serve a stale record.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('workout_classification')
    .addColumn('workout_id', 'text', (c) => c.primaryKey().references('workout.id').onDelete('cascade'))
    // The workout revision the classifier read.
    .addColumn('rev', 'integer', (c) => c.notNull())
    .addColumn('session_type', 'text', (c) => c.notNull())
    // The record fields the classifier owns, as they appear in the record (sessionType, classification, …).
    .addColumn('fields', 'jsonb', (c) => c.notNull())
    // Each interval's role (warmup, work, …) by position, when the analysis read the record's intervals.
    .addColumn('roles', 'jsonb')
    .addColumn('classified_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  // A new workout is revision 0, its laps new at 0.
  await db.schema.alterTable('workout').addColumn('structure_rev', 'integer', (c) => c.notNull().defaultTo(0)).execute();

  // What the classifier had written into records so far moves to its own table.
  await sql`
    insert into workout_classification (workout_id, rev, session_type, fields, roles)
    select w.id, w.rev, w.session_type,
      jsonb_strip_nulls(jsonb_build_object('sessionType', to_jsonb(w.session_type))) ||
        (select coalesce(jsonb_object_agg(k, w.record->k), '{}'::jsonb) from unnest(array['classification', 'mainSet', 'vdot', 'intervalSummary']) k where w.record ? k),
      case when jsonb_typeof(w.record->'intervals') = 'array' and exists (select 1 from jsonb_array_elements(w.record->'intervals') iv where iv ? 'role')
        then (select jsonb_agg(iv->'role' order by i) from jsonb_array_elements(w.record->'intervals') with ordinality t(iv, i)) end
    from workout w
    where w.record ? 'classification' and w.record->'classification' <> 'null'::jsonb`.execute(db);
  await sql`update workout set structure_rev = rev`.execute(db);
  await db.schema.alterTable('workout').dropColumn('session_type').execute();

  // The composition, in one place. The classification's fields (all of them while it describes the
  // current laps, else only its session type) and the latest report lie over what Intervals.icu said;
  // each interval gets its role when the classifier read the same intervals. An expression, not a
  // function call, so the planner keeps it inline; a view column is computed only when selected.
  await sql`
    create view workout_record as
    select w.id, w.athlete_id, w.intervals_activity_id, w.start_date, w.local_date, w.workout_type, w.provisional,
      w.rev, w.record_rev, w.created_at, w.updated_at, w.deleted_at, w.unavailable_reason,
      coalesce(c.session_type, w.record->>'sessionType') as session_type,
      case when o.overlay is null then w.record else w.record || o.overlay || case
        when c.rev >= w.structure_rev and jsonb_typeof(c.roles) = 'array' and jsonb_typeof(w.record->'intervals') = 'array'
          and jsonb_array_length(c.roles) = jsonb_array_length(w.record->'intervals')
        then jsonb_build_object('intervals', (
          select jsonb_agg(case when jsonb_typeof(c.roles->(i::int - 1)) = 'string' then iv || jsonb_build_object('role', c.roles->(i::int - 1)) else iv end order by i)
          from jsonb_array_elements(w.record->'intervals') with ordinality t(iv, i)))
        else '{}'::jsonb end
      end as record,
      -- The same without the heavy parts (laps, km splits, zone times, sport metrics, wellness) and the
      -- classification's detail, for readers of many records at once (the summary, the classifier's
      -- history); the keys go in one pass, each one more would copy the document again.
      (w.record - '{intervals,splitsKm,hrZoneTimes,sportMetrics,wellness,classification}'::text[]) || coalesce(o.overlay - 'classification', '{}'::jsonb) as record_brief
    from workout w
    left join workout_classification c on c.workout_id = w.id
    left join lateral (select text from workout_report where workout_id = w.id order by revision desc limit 1) r on true
    cross join lateral (
      select case when c.rev is null and r.text is null then null else
        case when c.rev is null then '{}'::jsonb when c.rev >= w.structure_rev then c.fields else jsonb_build_object('sessionType', c.session_type) end
        || case when r.text is null then '{}'::jsonb else jsonb_build_object('userReport', r.text) end
      end as overlay
    ) o`.execute(db);

  // record_rev: an explicit bump (from the triggers below) is kept; a changed record still moves it.
  await sql`
    create or replace function splits_bump_record_rev() returns trigger language plpgsql as $$
    begin
      new.record_rev := greatest(new.record_rev, old.record_rev + (case when new.record is distinct from old.record then 1 else 0 end));
      return new;
    end $$`.execute(db);
  await sql`
    create or replace function splits_record_part_changed() returns trigger language plpgsql as $$
    begin
      update workout set record_rev = record_rev + 1 where id = (case when tg_op = 'DELETE' then old.workout_id else new.workout_id end);
      return null;
    end $$`.execute(db);
  await sql`create trigger workout_classification_record_rev after insert or update or delete on workout_classification
    for each row execute function splits_record_part_changed()`.execute(db);
  await sql`create trigger workout_report_record_rev after insert or update of text or delete on workout_report
    for each row execute function splits_record_part_changed()`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop trigger if exists workout_report_record_rev on workout_report`.execute(db);
  await sql`drop trigger if exists workout_classification_record_rev on workout_classification`.execute(db);
  await sql`drop function if exists splits_record_part_changed()`.execute(db);
  await sql`
    create or replace function splits_bump_record_rev() returns trigger language plpgsql as $$
    begin
      new.record_rev := old.record_rev + (case when new.record is distinct from old.record then 1 else 0 end);
      return new;
    end $$`.execute(db);
  await sql`drop view if exists workout_record`.execute(db);
  await db.schema.alterTable('workout').addColumn('session_type', 'text', (c) => c.notNull().defaultTo('Unclassified')).execute();
  await sql`update workout w set session_type = c.session_type, record = w.record || c.fields from workout_classification c where c.workout_id = w.id`.execute(db);
  await db.schema.alterTable('workout').dropColumn('structure_rev').execute();
  await db.schema.dropTable('workout_classification').execute();
}
