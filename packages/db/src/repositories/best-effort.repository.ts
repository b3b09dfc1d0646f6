import { sql } from 'kysely';
import type { Db } from '../connection.js';

/** A run's stored best efforts, and whether they still match its source and the detection. */
export interface StoredBestEfforts {
  workoutId: string;
  basis: string | null;
  /** StretchEffort[] as measured; null when never measured. */
  efforts: unknown[] | null;
  /** No row yet, the source was re-fetched since, or an older detection measured it. */
  stale: boolean;
}

/**
 * Best efforts of an athlete's runs (workout types given) from `sinceIso` on, for the summary: one
 * indexed read, no streams. Runs without a stored source have nothing to measure and are left out.
 */
export async function listBestEfforts(db: Db, athleteId: string, sinceIso: string, workoutTypes: readonly string[], version: number): Promise<StoredBestEfforts[]> {
  if (workoutTypes.length === 0) return [];
  const rows = await db
    .selectFrom('workout as w')
    .innerJoin('activity_source as s', (j) => j.onRef('s.athlete_id', '=', 'w.athlete_id').onRef('s.intervals_activity_id', '=', 'w.intervals_activity_id'))
    .leftJoin('workout_best_effort as e', 'e.workout_id', 'w.id')
    .select([
      'w.id',
      'e.basis',
      sql<unknown[] | null>`e.efforts`.as('efforts'),
      sql<boolean>`(e.workout_id is null or e.source_fetched_at is distinct from s.fetched_at or e.version <> ${version})`.as('stale'),
    ])
    .where('w.athlete_id', '=', athleteId)
    .where('w.deleted_at', 'is', null)
    .where('w.unavailable_reason', 'is', null)
    .where('w.start_date', '>=', new Date(sinceIso))
    .where('w.workout_type', 'in', [...workoutTypes])
    .execute();
  return rows.map((r) => ({ workoutId: r.id, basis: r.basis ?? null, efforts: r.efforts, stale: r.stale }));
}

export interface BestEffortSource {
  workoutId: string;
  athleteId: string;
  /** activity_source.fetched_at as Postgres prints it: written back verbatim (microseconds kept). */
  sourceFetchedAt: string;
  /** Only the time and distance streams. */
  streams: unknown[] | null;
  /** icu_intervals of the source (from the intervals read, else the activity's own). */
  laps: unknown[] | null;
}

/** What measuring these workouts needs, and nothing more of their (large) sources. */
export async function loadBestEffortSources(db: Db, athleteId: string, workoutIds: readonly string[]): Promise<BestEffortSource[]> {
  if (workoutIds.length === 0) return [];
  const rows = await db
    .selectFrom('workout as w')
    .innerJoin('activity_source as s', (j) => j.onRef('s.athlete_id', '=', 'w.athlete_id').onRef('s.intervals_activity_id', '=', 'w.intervals_activity_id'))
    .select([
      'w.id',
      'w.athlete_id',
      sql<string>`s.fetched_at::text`.as('fetched_at'),
      sql<unknown[] | null>`case when jsonb_typeof(s.streams) = 'array' then (select jsonb_agg(x) from jsonb_array_elements(s.streams) x where x->>'type' in ('time', 'distance')) end`.as(
        'streams',
      ),
      sql<unknown[] | null>`coalesce(s.intervals->'icu_intervals', s.activity->'icu_intervals')`.as('laps'),
    ])
    .where('w.athlete_id', '=', athleteId)
    .where('w.id', 'in', [...workoutIds])
    .execute();
  return rows.map((r) => ({ workoutId: r.id, athleteId: r.athlete_id, sourceFetchedAt: r.fetched_at, streams: r.streams, laps: Array.isArray(r.laps) ? r.laps : null }));
}

export interface BestEffortsInput {
  workoutId: string;
  athleteId: string;
  sourceFetchedAt: string;
  version: number;
  basis: string | null;
  efforts: unknown[];
}

export async function upsertBestEfforts(db: Db, rows: readonly BestEffortsInput[]): Promise<void> {
  if (rows.length === 0) return;
  await db
    .insertInto('workout_best_effort')
    .values(
      rows.map((r) => ({
        workout_id: r.workoutId,
        athlete_id: r.athleteId,
        source_fetched_at: sql<Date>`${r.sourceFetchedAt}::timestamptz`,
        version: r.version,
        basis: r.basis,
        efforts: JSON.stringify(r.efforts),
      })),
    )
    .onConflict((oc) =>
      oc.column('workout_id').doUpdateSet((eb) => ({
        source_fetched_at: eb.ref('excluded.source_fetched_at'),
        version: eb.ref('excluded.version'),
        basis: eb.ref('excluded.basis'),
        efforts: eb.ref('excluded.efforts'),
      })),
    )
    .execute();
}
