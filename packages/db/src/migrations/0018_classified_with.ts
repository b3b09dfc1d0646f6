import type { Kysely } from 'kysely';

// Frozen in time: migrations use Kysely<any> and never import the current schema types.
/**
 * What a workout's classification was computed from (issue 12): the calibrated threshold and the
 * history figures as of its start, as one short key. The classify worker is its only writer (it owns
 * workout_classification); the recalibration compares it with what the stored runs say now and
 * classifies again the workouts whose inputs moved (an older activity arriving late changes the
 * calibration of later ones), so the same activities end with the same labels in any arrival order.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('workout_classification').addColumn('classified_with', 'text').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('workout_classification').dropColumn('classified_with').execute();
}
