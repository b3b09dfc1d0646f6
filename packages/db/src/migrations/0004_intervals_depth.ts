import { sql, type Kysely } from 'kysely';

// Frozen in time: migrations use Kysely<any> and never import the current schema types.
export async function up(db: Kysely<any>): Promise<void> {
  // Planned calendar events (CALENDAR_UPDATED re-reads, gateway writes, Telegram reminders).
  await db.schema
    .createTable('planned_event')
    .addColumn('athlete_id', 'text', (c) => c.notNull().references('athlete.id').onDelete('cascade'))
    .addColumn('intervals_event_id', 'text', (c) => c.notNull())
    .addColumn('external_id', 'text')
    .addColumn('category', 'text', (c) => c.notNull())
    .addColumn('type', 'text')
    .addColumn('name', 'text')
    .addColumn('description', 'text')
    .addColumn('local_date', 'date', (c) => c.notNull())
    .addColumn('start_date_local', 'text', (c) => c.notNull())
    .addColumn('moving_time', 'integer')
    .addColumn('distance', 'double precision')
    .addColumn('load', 'double precision')
    .addColumn('data', 'jsonb', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('planned_event_pk', ['athlete_id', 'intervals_event_id'])
    .execute();
  await db.schema.createIndex('planned_event_date_idx').on('planned_event').columns(['athlete_id', 'local_date']).execute();
  await db.schema.createIndex('planned_event_external_idx').on('planned_event').columns(['athlete_id', 'external_id']).execute();

  // Sport settings (thresholds and zones) as Intervals.icu sends them, one row per settings id.
  await db.schema
    .createTable('sport_settings')
    .addColumn('athlete_id', 'text', (c) => c.notNull().references('athlete.id').onDelete('cascade'))
    .addColumn('settings_id', 'text', (c) => c.notNull())
    .addColumn('types', sql`text[]`, (c) => c.notNull())
    .addColumn('data', 'jsonb', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('sport_settings_pk', ['athlete_id', 'settings_id'])
    .execute();

  // Connection health and key rotation.
  await db.schema
    .alterTable('intervals_connection')
    .addColumn('key_id', 'text')
    .addColumn('status_reason', 'text')
    .addColumn('last_polled_at', 'timestamptz')
    .addColumn('reconciled_at', 'timestamptz')
    .execute();

  // Which activity revision a workout was built from (no work twice for one revision).
  await db.schema.alterTable('activity_source').addColumn('source_rev', 'text').execute();
  await db.schema.alterTable('workout').addColumn('deleted_at', 'timestamptz').addColumn('unavailable_reason', 'text').execute();
  // Fetch jobs look up later deliveries for their activity.
  await db.schema.createIndex('webhook_inbox_activity_idx').on('webhook_inbox').columns(['activity_id', 'received_at']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('webhook_inbox_activity_idx').execute();
  await db.schema.alterTable('workout').dropColumn('deleted_at').dropColumn('unavailable_reason').execute();
  await db.schema.alterTable('activity_source').dropColumn('source_rev').execute();
  await db.schema
    .alterTable('intervals_connection')
    .dropColumn('key_id')
    .dropColumn('status_reason')
    .dropColumn('last_polled_at')
    .dropColumn('reconciled_at')
    .execute();
  await db.schema.dropTable('sport_settings').execute();
  await db.schema.dropTable('planned_event').execute();
}
