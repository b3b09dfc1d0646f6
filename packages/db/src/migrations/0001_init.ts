import { sql, type Kysely } from 'kysely';

// Frozen in time: migrations use Kysely<any> and never import the current schema types.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('athlete')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text')
    .addColumn('timezone', 'text', (c) => c.notNull().defaultTo('UTC'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable('intervals_connection')
    .addColumn('athlete_id', 'text', (c) => c.primaryKey().references('athlete.id').onDelete('cascade'))
    .addColumn('intervals_athlete_id', 'text', (c) => c.notNull().unique())
    .addColumn('auth_kind', 'text', (c) => c.notNull().check(sql`auth_kind in ('api_key','oauth')`))
    .addColumn('credential_enc', 'text', (c) => c.notNull())
    .addColumn('scopes', 'text')
    .addColumn('poll_cursor', 'timestamptz')
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('active'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable('api_token')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('athlete_id', 'text', (c) => c.notNull().references('athlete.id').onDelete('cascade'))
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('label', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('last_used_at', 'timestamptz')
    .addColumn('revoked_at', 'timestamptz')
    .execute();

  await db.schema
    .createTable('telegram_link')
    .addColumn('athlete_id', 'text', (c) => c.primaryKey().references('athlete.id').onDelete('cascade'))
    .addColumn('chat_id', 'text', (c) => c.notNull().unique())
    .addColumn('linked_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable('webhook_inbox')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('dedupe_key', 'text', (c) => c.notNull().unique())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('intervals_athlete_id', 'text', (c) => c.notNull())
    .addColumn('athlete_id', 'text', (c) => c.references('athlete.id').onDelete('cascade'))
    .addColumn('activity_id', 'text')
    .addColumn('received_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('queued_at', 'timestamptz')
    .addColumn('payload', 'jsonb', (c) => c.notNull())
    .execute();
  // The relay scans only rows still waiting for a queue.
  await sql`create index webhook_inbox_received_idx on webhook_inbox (received_at) where status = 'received'`.execute(db);
  await db.schema.createIndex('webhook_inbox_athlete_idx').on('webhook_inbox').column('athlete_id').execute();

  await db.schema
    .createTable('activity_source')
    .addColumn('athlete_id', 'text', (c) => c.notNull().references('athlete.id').onDelete('cascade'))
    .addColumn('intervals_activity_id', 'text', (c) => c.notNull())
    .addColumn('activity', 'jsonb', (c) => c.notNull())
    .addColumn('intervals', 'jsonb')
    .addColumn('streams', 'jsonb')
    .addColumn('wellness', 'jsonb')
    .addColumn('fetched_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('activity_source_pk', ['athlete_id', 'intervals_activity_id'])
    .execute();

  await db.schema
    .createTable('workout')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('athlete_id', 'text', (c) => c.notNull().references('athlete.id').onDelete('cascade'))
    .addColumn('intervals_activity_id', 'text', (c) => c.notNull())
    .addColumn('start_date', 'timestamptz', (c) => c.notNull())
    .addColumn('local_date', 'date')
    .addColumn('workout_type', 'text', (c) => c.notNull())
    .addColumn('session_type', 'text', (c) => c.notNull())
    .addColumn('provisional', 'boolean', (c) => c.notNull())
    .addColumn('rev', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('record', 'jsonb', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('workout_activity_uq', ['athlete_id', 'intervals_activity_id'])
    .execute();
  await db.schema.createIndex('workout_athlete_date_idx').on('workout').columns(['athlete_id', 'start_date desc']).execute();

  await db.schema
    .createTable('wellness_day')
    .addColumn('athlete_id', 'text', (c) => c.notNull().references('athlete.id').onDelete('cascade'))
    .addColumn('date', 'date', (c) => c.notNull())
    .addColumn('data', 'jsonb', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('wellness_day_pk', ['athlete_id', 'date'])
    .execute();

  await db.schema
    .createTable('athlete_summary')
    .addColumn('athlete_id', 'text', (c) => c.primaryKey().references('athlete.id').onDelete('cascade'))
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('document', 'jsonb', (c) => c.notNull())
    .addColumn('built_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable('notification')
    .addColumn('workout_id', 'text', (c) => c.notNull().references('workout.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('chat_id', 'text', (c) => c.notNull())
    .addColumn('telegram_message_id', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('sent_at', 'timestamptz')
    .addPrimaryKeyConstraint('notification_pk', ['workout_id', 'kind'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of [
    'notification',
    'athlete_summary',
    'wellness_day',
    'workout',
    'activity_source',
    'webhook_inbox',
    'telegram_link',
    'api_token',
    'intervals_connection',
    'athlete',
  ]) {
    await db.schema.dropTable(t).ifExists().execute();
  }
}
