import { sql } from 'kysely';
import type { WorkoutRecord } from '@splits/contracts';
import { getAthleteProfile } from './athlete-profile.repository.js';
import { getThresholds } from './sport-settings.repository.js';
import { listPaceModels } from './pace-model.repository.js';
import { listWellnessDays } from './wellness.repository.js';
import { listWorkoutsForSummary } from './workout.repository.js';
import type { Db } from '../connection.js';

export interface StoreSummaryInput {
  document: unknown;
  /** Hash of the document without time stamps: equal hash = same content = same version. */
  contentHash: string;
  sizeChars: number;
  buildMs: number;
  reason: string | null;
}

/**
 * Stores a built summary. The version moves only when the content changed, so an assistant's
 * cached copy stays valid across rebuilds that found nothing new; built_at always moves.
 */
export async function storeAthleteSummary(db: Db, athleteId: string, s: StoreSummaryInput): Promise<{ version: number; buildCount: number }> {
  const doc = JSON.stringify(s.document);
  const row = await db
    .insertInto('athlete_summary')
    .values({
      athlete_id: athleteId,
      version: 1,
      document: doc,
      content_hash: s.contentHash,
      size_chars: s.sizeChars,
      build_ms: s.buildMs,
      build_count: 1,
      last_reason: s.reason,
    })
    .onConflict((oc) =>
      oc.column('athlete_id').doUpdateSet({
        document: sql`case when athlete_summary.content_hash is distinct from ${s.contentHash} then excluded.document else athlete_summary.document end`,
        version: sql`case when athlete_summary.content_hash is distinct from ${s.contentHash} then athlete_summary.version + 1 else athlete_summary.version end`,
        content_hash: s.contentHash,
        size_chars: s.sizeChars,
        build_ms: s.buildMs,
        build_count: sql`athlete_summary.build_count + 1`,
        last_reason: s.reason,
        built_at: new Date(),
      }),
    )
    .returning(['version', 'build_count'])
    .executeTakeFirstOrThrow();
  return { version: row.version, buildCount: row.build_count };
}

export async function getAthleteSummary(db: Db, athleteId: string) {
  return db
    .selectFrom('athlete_summary')
    .select(['version', 'document', 'built_at', 'size_chars', 'build_count'])
    .where('athlete_id', '=', athleteId)
    .executeTakeFirst();
}

/** Only these top-level sections of the stored summary (a page that shows two parts need not parse the whole document). */
export async function getAthleteSummarySections(db: Db, athleteId: string, sections: readonly string[]): Promise<Record<string, unknown> | null> {
  const row = await db
    .selectFrom('athlete_summary')
    .select(sql<Record<string, unknown>>`jsonb_build_object(${sql.join(sections.flatMap((k) => [sql.lit(k), sql`document->${sql.lit(k)}`]))})`.as('parts'))
    .where('athlete_id', '=', athleteId)
    .executeTakeFirst();
  return row?.parts ?? null;
}

/** The stored JSON text as built, unparsed: served as is when it fits one part. */
export async function getAthleteSummaryText(db: Db, athleteId: string) {
  return db
    .selectFrom('athlete_summary')
    .select(['version', 'built_at', 'size_chars', sql<string>`document::text`.as('document')])
    .where('athlete_id', '=', athleteId)
    .executeTakeFirst();
}

/** Version and age only: the cheap check before deciding whether to read the document. */
export async function getAthleteSummaryMeta(db: Db, athleteId: string) {
  return db
    .selectFrom('athlete_summary')
    .select(['version', 'built_at', 'size_chars', 'build_count', 'build_ms', 'last_reason'])
    .where('athlete_id', '=', athleteId)
    .executeTakeFirst();
}

export interface SummarySourceWindows {
  timezone: string;
  workoutsSince: string;
  wellnessOldest: string;
  plannedOldest: string;
  plannedNewest: string;
}

/**
 * Everything one summary build reads, in four queries run side by side. `windows` turns the
 * athlete's time zone into the date ranges to load. null when the athlete no longer exists.
 */
export async function loadSummarySources(db: Db, athleteId: string, windows: (timezone: string) => SummarySourceWindows) {
  const athlete = await db.selectFrom('athlete').select(['id', 'name', 'timezone']).where('id', '=', athleteId).executeTakeFirst();
  if (!athlete) return null;
  const w = windows(athlete.timezone);
  const [profile, workouts, wellness, planned, runSettings, paceModels] = await Promise.all([
    getAthleteProfile(db, athleteId),
    listWorkoutsForSummary(db, athleteId, w.workoutsSince),
    listWellnessDays(db, athleteId, w.wellnessOldest, w.plannedNewest),
    db
      .selectFrom('planned_event')
      .select(['local_date', 'category', 'type', 'name', 'description', 'moving_time', 'distance', 'load'])
      .where('athlete_id', '=', athleteId)
      .where('local_date', '>=', w.plannedOldest)
      .where('local_date', '<=', w.plannedNewest)
      .orderBy('local_date')
      .orderBy('start_date_local')
      .execute(),
    getThresholds(db, athleteId, 'Run'),
    listPaceModels(db, athleteId, 'Run', new Date(Date.now() - 30 * 86_400_000).toISOString().slice(0, 10)),
  ]);
  return {
    athlete: { id: athlete.id, name: athlete.name, timezone: w.timezone },
    profile: profile && {
      about: profile.about,
      goals: profile.goals,
      rules: profile.rules,
      strategy: profile.strategy,
      revision: profile.revision,
      updatedAt: profile.updatedAt.toISOString(),
    },
    workouts: workouts.map((r) => ({ ...r.record, id: r.id }) as WorkoutRecord),
    wellness: wellness.map((r) => ({ date: r.date, data: r.data as Record<string, unknown> })),
    runSettings,
    paceModels,
    planned: planned.map((e) => ({
      date: e.local_date,
      category: e.category,
      type: e.type,
      name: e.name,
      description: e.description,
      movingTime: e.moving_time,
      distance: e.distance,
      load: e.load,
    })),
  };
}
