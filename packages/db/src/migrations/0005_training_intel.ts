import { sql, type Kysely } from 'kysely';

// Frozen in time: migrations use Kysely<any> and never import the current schema types.
export async function up(db: Kysely<any>): Promise<void> {
  // The LLM's answer for one revision of a workout: a replayed classify job never asks twice.
  await db.schema
    .createTable('llm_classification')
    .addColumn('workout_id', 'text', (c) => c.notNull().references('workout.id').onDelete('cascade'))
    .addColumn('rev', 'integer', (c) => c.notNull())
    .addColumn('session_type', 'text', (c) => c.notNull())
    .addColumn('confidence', 'double precision', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('model', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('llm_classification_pk', ['workout_id', 'rev'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('llm_classification').execute();
}
