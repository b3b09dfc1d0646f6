import type { Logger } from 'pino';
import {
  isCalendarDate,
  ProfileContentSchema,
  ProfileHistorySchema,
  ProfileSchema,
  type Profile,
  type ProfileContent,
  type ProfileEdit,
  type ProfileHistory,
  HttpError,
} from '@splits/contracts';
import { getAthleteProfile, getAthleteProfileRevision, listAthleteProfileHistory, saveAthleteProfile, type Db } from '@splits/db';
import { requestSummaryRebuild } from './summary-rebuild.js';
import type { Queues } from './queues.js';

/**
 * The athlete profile (goals, rules, strategy) with its history: one store for every writer — the
 * gateway (GPT Actions, MCP) and the athlete's web page — so what one writes is what the others read.
 */
export interface ProfileDeps {
  db: Db;
  queues: Queues;
  log: Logger;
}

const EMPTY: ProfileContent = { about: null, goals: [], rules: [], strategy: null };

/**
 * Stored content as the profile contract reads it. Goal dates were only checked for their shape
 * before, so one that names no day (2025-02-29) may be stored: it reads as null, not as a 500.
 */
function fromStore<T extends { goals: unknown }>(stored: T): T {
  if (!Array.isArray(stored.goals)) return stored;
  const goals = stored.goals.map((g: unknown) =>
    g !== null && typeof g === 'object' && typeof (g as { date?: unknown }).date === 'string' && !isCalendarDate((g as { date: string }).date) ? { ...g, date: null } : g,
  );
  return { ...stored, goals };
}

export async function getProfile(db: Db, athleteId: string): Promise<Profile> {
  const p = await getAthleteProfile(db, athleteId);
  if (!p) return { ...EMPTY, revision: 0, updatedAt: null };
  return ProfileSchema.parse(fromStore({ about: p.about, goals: p.goals, rules: p.rules, strategy: p.strategy, revision: p.revision, updatedAt: p.updatedAt.toISOString() }));
}

/** The summary shows the profile: ask for a rebuild, but a lost request only delays it to the 10-minute TTL. */
async function afterChange(deps: ProfileDeps, athleteId: string) {
  try {
    await requestSummaryRebuild(deps.queues, athleteId, 'profile');
  } catch (err) {
    deps.log.warn({ err, athleteId }, 'could not request a summary rebuild');
  }
}

async function save(deps: ProfileDeps, athleteId: string, content: ProfileContent, opts: Parameters<typeof saveAthleteProfile>[3]) {
  const saved = await deps.db.transaction().execute((trx) => saveAthleteProfile(trx, athleteId, content, opts));
  if (!saved) throw new HttpError(409, 'conflict', 'the profile changed since you read it: read it again (GET /profile) and repeat the edit');
  await afterChange(deps, athleteId);
  return getProfile(deps.db, athleteId);
}

/** Changes only the fields given; the rest stays as it was. Every edit is a new revision. */
export async function editProfile(deps: ProfileDeps, athleteId: string, edit: ProfileEdit): Promise<Profile> {
  const { revision, ...fields } = edit;
  const current = await getProfile(deps.db, athleteId);
  const content = ProfileContentSchema.parse({
    about: fields.about !== undefined ? fields.about : current.about,
    goals: fields.goals ?? current.goals,
    rules: fields.rules ?? current.rules,
    strategy: fields.strategy !== undefined ? fields.strategy : current.strategy,
  });
  return save(deps, athleteId, content, { source: 'edit', expectedRevision: revision ?? current.revision });
}

export async function profileHistory(db: Db, athleteId: string, q: { limit: number; before?: number }): Promise<ProfileHistory> {
  const rows = await listAthleteProfileHistory(db, athleteId, q.limit + 1, q.before);
  const page = rows.slice(0, q.limit);
  return ProfileHistorySchema.parse({
    revisions: page.map((r) => ({ revision: r.revision, changedAt: r.changed_at.toISOString(), source: r.source, restoredFrom: r.restored_from, profile: fromStore(r.profile as { goals: unknown }) })),
    nextBefore: rows.length > q.limit ? page.at(-1)!.revision : null,
  });
}

/** Restoring makes a new revision with the old content: history only grows, nothing is lost. */
export async function restoreProfile(deps: ProfileDeps, athleteId: string, revision: number): Promise<Profile> {
  const old = await getAthleteProfileRevision(deps.db, athleteId, revision);
  if (!old) throw new HttpError(404, 'not_found', `profile revision ${revision} not found`);
  return save(deps, athleteId, ProfileContentSchema.parse(fromStore(old.profile as { goals: unknown })), { source: 'restore', restoredFrom: revision });
}
