import type { Db } from '../connection.js';

export type ConsentKind = 'privacy_notice' | 'llm';

/** Appends what the athlete agreed to (or withdrew); the latest row of a kind is the current answer. */
export async function recordConsent(
  db: Db,
  c: { athleteId: string; kind: ConsentKind; granted: boolean; noticeVersion: string; source: string },
): Promise<void> {
  await db
    .insertInto('athlete_consent')
    .values({ athlete_id: c.athleteId, kind: c.kind, granted: c.granted, notice_version: c.noticeVersion, source: c.source })
    .execute();
}

export interface ConsentState {
  granted: boolean;
  noticeVersion: string;
  source: string;
  at: string;
}

/** The current answer per kind (null: never asked). */
export async function currentConsents(db: Db, athleteId: string): Promise<Record<ConsentKind, ConsentState | null>> {
  const rows = await db
    .selectFrom('athlete_consent')
    .select(['kind', 'granted', 'notice_version', 'source', 'recorded_at'])
    .distinctOn('kind')
    .where('athlete_id', '=', athleteId)
    .orderBy('kind')
    .orderBy('id', 'desc')
    .execute();
  const out: Record<ConsentKind, ConsentState | null> = { privacy_notice: null, llm: null };
  for (const r of rows) out[r.kind as ConsentKind] = { granted: r.granted, noticeVersion: r.notice_version, source: r.source, at: r.recorded_at.toISOString() };
  return out;
}

/** Sending session data to the LLM provider is off until the athlete allows it. */
export async function hasLlmConsent(db: Db, athleteId: string): Promise<boolean> {
  return (await currentConsents(db, athleteId)).llm?.granted === true;
}

/** Every answer, oldest first (the export). */
export async function listConsents(db: Db, athleteId: string) {
  const rows = await db
    .selectFrom('athlete_consent')
    .select(['kind', 'granted', 'notice_version', 'source', 'recorded_at'])
    .where('athlete_id', '=', athleteId)
    .orderBy('id')
    .execute();
  return rows.map((r) => ({ kind: r.kind as ConsentKind, granted: r.granted, noticeVersion: r.notice_version, source: r.source, at: r.recorded_at.toISOString() }));
}
