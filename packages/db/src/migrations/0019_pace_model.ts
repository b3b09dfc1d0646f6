import { sql, type Kysely } from 'kysely';

// Frozen in time: migrations use Kysely<any> and never import the current schema types.
/**
 * Intervals.icu's critical-speed model of an athlete (issue 12), one row per athlete, sport and day
 * it was fetched (`pace-curves.json?curves=42d`): the calibration as of a day reads the model fetched
 * in the week before it, so a late-arriving activity is judged against what was known then. The
 * fetch-worker is the only writer.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('pace_model')
    .addColumn('athlete_id', 'text', (c) => c.notNull().references('athlete.id').onDelete('cascade'))
    .addColumn('sport', 'text', (c) => c.notNull())
    .addColumn('fetched_on', 'date', (c) => c.notNull())
    .addColumn('critical_speed', 'double precision')
    .addColumn('d_prime', 'double precision')
    .addColumn('r2', 'double precision')
    // The curve as Intervals.icu sent it (distance m → best time s, and where each came from).
    .addColumn('curve', 'jsonb', (c) => c.notNull())
    .addColumn('fetched_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('pace_model_pk', ['athlete_id', 'sport', 'fetched_on'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('pace_model').ifExists().execute();
}
