import { z } from 'zod';
import type { Logger } from 'pino';
import { getAthleteSummary, loadSummarySources, storeAthleteSummary, type Db } from '@splits/db';
import { requestSummaryRebuild, type Queues } from '@splits/queue';
import { prepareSummary, splitSummary, summaryWindows, PART_MAX_CHARS, type SummaryInput } from '@splits/training';
import { BadRequestError, NotFoundError } from '../errors.js';

/** Older than this, a served summary also asks for a rebuild (DESIGN: event-driven, 10-minute TTL). */
export const SUMMARY_TTL_MS = 10 * 60_000;

export const SummaryQuerySchema = z.object({
  part: z.coerce.number().int().min(1).max(100).default(1).describe('Which part, 1-based (see parts)'),
  version: z.coerce.number().int().min(0).optional().describe('The version you hold; unchanged=true and no summary when it is current'),
});
export type SummaryQuery = z.infer<typeof SummaryQuerySchema>;

export const SummaryResponseSchema = z.object({
  version: z.number().int(),
  builtAt: z.string(),
  part: z.number().int(),
  parts: z.number().int(),
  unchanged: z.boolean(),
  summary: z.record(z.string(), z.unknown()).nullable(),
});
export type SummaryResponse = z.infer<typeof SummaryResponseSchema>;

export interface SummaryDeps {
  db: Db;
  queues: Queues;
  log: Logger;
  now?: () => Date;
}

/** Builds and stores a summary on the spot: only for an athlete who has none yet. */
async function buildNow(db: Db, athleteId: string, now: Date) {
  const started = performance.now();
  const sources = await loadSummarySources(db, athleteId, (tz) => summaryWindows(now, tz));
  if (!sources) throw new NotFoundError('athlete not found');
  const built = prepareSummary({ ...sources, now } as SummaryInput);
  await storeAthleteSummary(db, athleteId, { ...built, buildMs: Math.round(performance.now() - started), reason: 'missing' });
}

/** A rebuild request on a read path must not fail the read: the TTL asks again on the next one. */
async function askForRebuild(deps: SummaryDeps, athleteId: string) {
  try {
    await requestSummaryRebuild(deps.queues, athleteId, 'stale');
  } catch (err) {
    deps.log.warn({ err, athleteId }, 'could not request a summary rebuild');
  }
}

export async function getSummary(deps: SummaryDeps, athleteId: string, q: SummaryQuery): Promise<SummaryResponse> {
  const now = deps.now?.() ?? new Date();
  let row = await getAthleteSummary(deps.db, athleteId);
  if (!row) {
    await buildNow(deps.db, athleteId, now);
    row = await getAthleteSummary(deps.db, athleteId);
    if (!row) throw new NotFoundError('athlete not found');
  } else if (now.getTime() - row.built_at.getTime() > SUMMARY_TTL_MS) {
    await askForRebuild(deps, athleteId);
  }
  const doc = row.document as Record<string, unknown>;
  const parts = row.size_chars !== null && row.size_chars <= PART_MAX_CHARS ? [doc] : splitSummary(doc);
  if (q.part > parts.length) throw new BadRequestError(`part ${q.part} does not exist: the summary has ${parts.length} part(s)`);
  const base = { version: row.version, builtAt: row.built_at.toISOString(), part: q.part, parts: parts.length };
  if (q.version === row.version) return { ...base, unchanged: true, summary: null };
  return { ...base, unchanged: false, summary: parts[q.part - 1]! };
}
