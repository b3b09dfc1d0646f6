import { z } from 'zod';
import type { Logger } from 'pino';
import { getAthleteSummaryMeta, getAthleteSummaryText, loadSummarySources, storeAthleteSummary, type Db } from '@splits/db';
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

type SummaryTextRow = NonNullable<Awaited<ReturnType<typeof getAthleteSummaryText>>>;

/** The stored summary, built on the spot for an athlete who has none; a stale one asks for a rebuild. */
async function loadSummary(deps: SummaryDeps, athleteId: string): Promise<SummaryTextRow> {
  const now = deps.now?.() ?? new Date();
  let row = await getAthleteSummaryText(deps.db, athleteId);
  if (!row) {
    await buildNow(deps.db, athleteId, now);
    row = await getAthleteSummaryText(deps.db, athleteId);
    if (!row) throw new NotFoundError('athlete not found');
  } else if (now.getTime() - row.built_at.getTime() > SUMMARY_TTL_MS) {
    await askForRebuild(deps, athleteId);
  }
  return row;
}

/**
 * The answer as JSON text. A summary that fits one part (the usual case) goes out as the stored
 * text, never parsed and re-encoded. The shape is SummaryResponseSchema either way.
 */
function renderSummary(row: SummaryTextRow, q: SummaryQuery): string {
  const whole = row.size_chars !== null && row.size_chars <= PART_MAX_CHARS;
  const parts = whole ? null : splitSummary(JSON.parse(row.document) as Record<string, unknown>);
  const count = parts?.length ?? 1;
  if (q.part > count) throw new BadRequestError(`part ${q.part} does not exist: the summary has ${count} part(s)`);
  const head = `{"version":${row.version},"builtAt":"${row.built_at.toISOString()}","part":${q.part},"parts":${count}`;
  if (q.version === row.version) return `${head},"unchanged":true,"summary":null}`;
  return `${head},"unchanged":false,"summary":${parts ? JSON.stringify(parts[q.part - 1]) : row.document}}`;
}

export async function getSummaryJson(deps: SummaryDeps, athleteId: string, q: SummaryQuery): Promise<string> {
  return renderSummary(await loadSummary(deps, athleteId), q);
}

/**
 * Serialised answers kept per (athlete, part) for the exact stored build they came from (version and
 * builtAt), so a repeated GET /summary costs one small indexed read and no new 30 KB strings: the
 * allocations, not the queries, made the tail latency (GC pauses). Bounded; oldest entries go first.
 */
const bodies = new Map<string, { version: number; builtAt: number; body: Buffer }>();
const MAX_CACHED = 500;

/** GET /summary's body as bytes, served from the per-build cache when the stored summary has not changed. */
export async function getSummaryBody(deps: SummaryDeps, athleteId: string, q: SummaryQuery): Promise<Buffer | string> {
  const meta = await getAthleteSummaryMeta(deps.db, athleteId);
  const key = `${athleteId}:${q.part}`;
  const hit = bodies.get(key);
  if (meta && q.version !== meta.version && hit?.version === meta.version && hit.builtAt === meta.built_at.getTime()) {
    const now = deps.now?.() ?? new Date();
    if (now.getTime() - meta.built_at.getTime() > SUMMARY_TTL_MS) await askForRebuild(deps, athleteId);
    return hit.body;
  }
  // Not cached, a newer build, or "unchanged" (tiny): render from the stored row; keep full answers.
  const row = await loadSummary(deps, athleteId);
  const json = renderSummary(row, q);
  if (q.version === row.version) return json;
  const body = Buffer.from(json);
  bodies.delete(key);
  bodies.set(key, { version: row.version, builtAt: row.built_at.getTime(), body });
  if (bodies.size > MAX_CACHED) bodies.delete(bodies.keys().next().value as string);
  return body;
}

/** The same answer as an object (MCP and tests). */
export async function getSummary(deps: SummaryDeps, athleteId: string, q: SummaryQuery): Promise<SummaryResponse> {
  return SummaryResponseSchema.parse(JSON.parse(await getSummaryJson(deps, athleteId, q)));
}
