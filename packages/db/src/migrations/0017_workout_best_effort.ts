import { type Kysely } from 'kysely';

// Frozen in time: migrations use Kysely<any> and never import the current schema types.
/**
 * Each run's best efforts (fastest stretch over 400 m … marathon, farthest in 5 … 60 min), measured
 * once on its stored streams (or laps) and kept here so that a summary build never reads streams
 * again. One writer: the summary worker, which (re)measures a workout when no row exists, the source
 * was re-fetched since (`source_fetched_at`), or the detection changed (`version`).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('workout_best_effort')
    .addColumn('workout_id', 'text', (c) => c.primaryKey().references('workout.id').onDelete('cascade'))
    .addColumn('athlete_id', 'text', (c) => c.notNull().references('athlete.id').onDelete('cascade'))
    .addColumn('source_fetched_at', 'timestamptz', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    // streams | laps | null (nothing to measure on)
    .addColumn('basis', 'text')
    .addColumn('efforts', 'jsonb', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('workout_best_effort_athlete_idx').on('workout_best_effort').column('athlete_id').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('workout_best_effort').ifExists().execute();
}
