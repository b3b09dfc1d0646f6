import { sql } from 'kysely';
import type { Db } from '../connection.js';

/** The editable part of a profile, exactly as the athlete wrote it. */
export interface StoredProfileContent {
  about: string | null;
  goals: unknown[];
  rules: string[];
  strategy: string | null;
}

export interface ProfileRow extends StoredProfileContent {
  revision: number;
  updatedAt: Date;
}

export async function getAthleteProfile(db: Db, athleteId: string): Promise<ProfileRow | null> {
  const row = await db
    .selectFrom('athlete_profile')
    .select(['about', 'goals', 'rules', 'strategy', 'revision', 'updated_at'])
    .where('athlete_id', '=', athleteId)
    .executeTakeFirst();
  if (!row) return null;
  return { about: row.about, goals: row.goals as unknown[], rules: row.rules as string[], strategy: row.strategy, revision: row.revision, updatedAt: row.updated_at };
}

/**
 * Writes a new revision and its history row. The caller runs it in a transaction; `expectedRevision`
 * (when given) makes a concurrent edit fail instead of silently overwriting: null is returned.
 */
export async function saveAthleteProfile(
  db: Db,
  athleteId: string,
  content: StoredProfileContent,
  opts: { source: 'edit' | 'restore'; restoredFrom?: number; expectedRevision?: number },
): Promise<{ revision: number } | null> {
  const goals = JSON.stringify(content.goals);
  const rules = JSON.stringify(content.rules);
  let q = db
    .insertInto('athlete_profile')
    .values({ athlete_id: athleteId, about: content.about, goals, rules, strategy: content.strategy, revision: 1 })
    .onConflict((oc) => {
      const upd = oc.column('athlete_id').doUpdateSet({
        about: content.about,
        goals,
        rules,
        strategy: content.strategy,
        revision: sql`athlete_profile.revision + 1`,
        updated_at: new Date(),
      });
      return opts.expectedRevision === undefined ? upd : upd.where('athlete_profile.revision', '=', opts.expectedRevision);
    })
    .returning('revision');
  const row = await q.executeTakeFirst();
  if (!row) return null;
  // A first save with an expected revision other than 0 is a conflict too.
  if (opts.expectedRevision !== undefined && row.revision !== opts.expectedRevision + 1) return null;
  await db
    .insertInto('athlete_profile_history')
    .values({
      athlete_id: athleteId,
      revision: row.revision,
      profile: JSON.stringify(content),
      source: opts.source,
      restored_from: opts.restoredFrom ?? null,
    })
    .execute();
  return { revision: row.revision };
}

export async function listAthleteProfileHistory(db: Db, athleteId: string, limit: number, before?: number) {
  let q = db
    .selectFrom('athlete_profile_history')
    .select(['revision', 'profile', 'source', 'restored_from', 'changed_at'])
    .where('athlete_id', '=', athleteId)
    .orderBy('revision', 'desc')
    .limit(limit);
  if (before !== undefined) q = q.where('revision', '<', before);
  return q.execute();
}

export async function getAthleteProfileRevision(db: Db, athleteId: string, revision: number) {
  return db
    .selectFrom('athlete_profile_history')
    .select(['revision', 'profile', 'source', 'restored_from', 'changed_at'])
    .where('athlete_id', '=', athleteId)
    .where('revision', '=', revision)
    .executeTakeFirst();
}
