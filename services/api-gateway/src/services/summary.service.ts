import type { Logger } from 'pino';
import type { SummaryQuery, SummaryResponse } from '@splits/contracts';
import { compileJsonWriter, SummaryResponseSchema } from '@splits/contracts';
import { getAthleteSummaryMeta, getAthleteSummaryText, InvalidatedCache, type ChangeFeed, type Db } from '@splits/db';
import { requestSummaryRebuild, type Queues } from '@splits/queue';
import { splitSummary, PART_MAX_CHARS } from '@splits/training';
import { BadRequestError, UnavailableError } from '../errors.js';

/** Older than this, a served summary also asks for a rebuild (DESIGN: event-driven, 10-minute TTL). */
export const SUMMARY_TTL_MS = 10 * 60_000;

export interface SummaryDeps {
  db: Db;
  queues: Queues;
  log: Logger;
  now?: () => Date;
  /** GET /summary's answers (createSummaryCache); without one every request renders from the row. */
  cache?: SummaryCache;
  /** Default FIRST_SUMMARY_WAIT_MS. */
  firstSummaryWaitMs?: number;
}

type SummaryTextRow = NonNullable<Awaited<ReturnType<typeof getAthleteSummaryText>>>;

/** How long a read waits for an athlete's first summary, asked for on the spot, before it says "ask again". */
export const FIRST_SUMMARY_WAIT_MS = 10_000;

/**
 * An athlete with no summary yet (just connected): the summary-worker, its one builder, is asked for
 * one without the debounce wait, and the read waits a bounded time for it to be stored.
 */
async function waitForFirstSummary(deps: SummaryDeps, athleteId: string): Promise<SummaryTextRow> {
  // Redis refusing the request fails nothing here: a build already on its way may still land in time.
  await requestSummaryRebuild(deps.queues, athleteId, 'missing').catch((err: Error) => deps.log.warn({ err: err.message, athleteId }, 'could not request a first summary'));
  const deadline = Date.now() + (deps.firstSummaryWaitMs ?? FIRST_SUMMARY_WAIT_MS);
  for (;;) {
    const row = await getAthleteSummaryText(deps.db, athleteId);
    if (row) return row;
    if (Date.now() >= deadline) throw new UnavailableError('the summary is being built for the first time; ask again in a few seconds', 5);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** A rebuild request on a read path must not fail the read: the TTL asks again on the next one. */
async function askForRebuild(deps: SummaryDeps, athleteId: string) {
  try {
    await requestSummaryRebuild(deps.queues, athleteId, 'stale');
  } catch (err) {
    deps.log.warn({ err, athleteId }, 'could not request a summary rebuild');
  }
}

/** The stored summary (the first one awaited for an athlete who has none); a stale one asks for a rebuild. */
async function loadSummary(deps: SummaryDeps, athleteId: string): Promise<SummaryTextRow> {
  const now = deps.now?.() ?? new Date();
  const row = await getAthleteSummaryText(deps.db, athleteId);
  if (!row) return waitForFirstSummary(deps, athleteId);
  if (now.getTime() - row.built_at.getTime() > SUMMARY_TTL_MS) await askForRebuild(deps, athleteId);
  return row;
}

/**
 * The answer as JSON text and the summary's part count. A summary that fits one part (the usual
 * case) goes out as the stored text, never parsed and re-encoded. The shape is SummaryResponseSchema.
 */
function renderSummary(row: SummaryTextRow, q: SummaryQuery): { json: string; parts: number } {
  const whole = row.size_chars !== null && row.size_chars <= PART_MAX_CHARS;
  const split = whole ? null : splitSummary(JSON.parse(row.document) as Record<string, unknown>);
  const parts = split?.length ?? 1;
  if (q.part > parts) throw partMissing(q.part, parts);
  if (q.version === row.version) return { json: unchangedAnswer(row.version, row.built_at, q.part, parts), parts };
  return { json: answer(row.version, row.built_at, q.part, parts, split ? JSON.stringify(split[q.part - 1]) : row.document), parts };
}

/** SummaryResponseSchema's writer: the summary is spliced in as the stored document (or its part), never re-encoded. */
const writeSummary = compileJsonWriter(SummaryResponseSchema, ['summary']);
const answer = (version: number, builtAt: Date, part: number, parts: number, summary: string) =>
  writeSummary({ version, builtAt: builtAt.toISOString(), part, parts, unchanged: false, summary });
const unchangedAnswer = (version: number, builtAt: Date, part: number, parts: number) =>
  writeSummary({ version, builtAt: builtAt.toISOString(), part, parts, unchanged: true, summary: 'null' });
const partMissing = (part: number, parts: number) => new BadRequestError(`part ${part} does not exist: the summary has ${parts} part(s)`);

/** One stored build's answers, as bytes, by part. */
export interface CachedSummary {
  version: number;
  builtAt: Date;
  parts: number;
  bodies: Map<number, Buffer>;
}
export type SummaryCache = InvalidatedCache<CachedSummary>;

/**
 * Answers kept per athlete for the exact stored build they came from. With a live change feed an
 * entry is served with no database read at all (a rebuild's notification drops it); without one, one
 * small indexed read (version, builtAt) proves it current. Either way a repeated GET /summary makes no
 * new 30 KB strings: those allocations, and the database round trips, made the tail latency.
 *
 * With `db`, an athlete whose answers were in use gets them reloaded as soon as a rebuild is heard,
 * so the assistant's first read after a workout lands is served from memory too.
 */
export function createSummaryCache(feed?: ChangeFeed | null, reload?: { db: Db; log: Logger }): SummaryCache {
  // One reload per athlete at a time; a change heard meanwhile reloads once more after it.
  const running = new Map<string, { again: number[] | null }>();
  const start = (athleteId: string, parts: number[]) => {
    const state = { again: null as number[] | null };
    running.set(athleteId, state);
    reloadSummary(cache, reload!.db, athleteId, parts)
      .catch((err: Error) => reload!.log.debug({ athleteId, err: err.message }, 'summary reload after a rebuild failed; the next read loads it'))
      .finally(() => {
        running.delete(athleteId);
        if (state.again) start(athleteId, state.again);
      });
  };
  const cache: SummaryCache = new InvalidatedCache<CachedSummary>(feed, 'summary', {
    max: 500,
    onChanged: reload
      ? (athleteId, dropped) => {
          const inFlight = running.get(athleteId);
          if (inFlight) inFlight.again = dropped ? [...dropped.bodies.keys()] : (inFlight.again ?? [1]);
          else if (dropped) start(athleteId, [...dropped.bodies.keys()]);
        }
      : undefined,
  });
  return cache;
}

/** Loads the stored build and renders the parts that were in use, into the cache (if nothing changed meanwhile). */
async function reloadSummary(cache: SummaryCache, db: Db, athleteId: string, parts: number[]): Promise<void> {
  const mark = cache.mark();
  const row = await getAthleteSummaryText(db, athleteId);
  if (!row) return;
  const entry: CachedSummary = { version: row.version, builtAt: row.built_at, parts: 1, bodies: new Map() };
  for (const part of parts) {
    try {
      const { json, parts: count } = renderSummary(row, { part });
      entry.parts = count;
      entry.bodies.set(part, Buffer.from(json));
    } catch {
      // A part the new build no longer has: not kept.
    }
  }
  if (entry.bodies.size > 0) cache.set(athleteId, entry, mark);
}

/** GET /summary's body as bytes, from the per-build cache when the stored summary has not changed. */
export async function getSummaryBody(deps: SummaryDeps, athleteId: string, q: SummaryQuery): Promise<Buffer | string> {
  const cache = deps.cache;
  const mark = cache?.mark() ?? 0;
  let entry = cache?.get(athleteId);
  if (entry && !cache!.trusted) {
    const meta = await getAthleteSummaryMeta(deps.db, athleteId);
    if (meta?.version !== entry.version || meta.built_at.getTime() !== entry.builtAt.getTime()) entry = undefined;
  }
  if (entry) {
    if (q.part > entry.parts) throw partMissing(q.part, entry.parts);
    const body = q.version === entry.version ? unchangedAnswer(entry.version, entry.builtAt, q.part, entry.parts) : entry.bodies.get(q.part);
    if (body !== undefined) {
      if ((deps.now?.() ?? new Date()).getTime() - entry.builtAt.getTime() > SUMMARY_TTL_MS) await askForRebuild(deps, athleteId);
      return body;
    }
  }
  // Not cached, a newer build, or a part not asked for yet: render from the stored row and keep it.
  const row = await loadSummary(deps, athleteId);
  const { json, parts } = renderSummary(row, q);
  if (!cache) return json;
  if (entry?.version !== row.version || entry.builtAt.getTime() !== row.built_at.getTime()) {
    entry = { version: row.version, builtAt: row.built_at, parts, bodies: new Map() };
  }
  if (q.version === row.version) {
    cache.set(athleteId, entry, mark);
    return json;
  }
  const body = Buffer.from(json);
  entry.bodies.set(q.part, body);
  cache.set(athleteId, entry, mark);
  return body;
}

/** The same answer as an object (MCP and tests). */
export async function getSummary(deps: SummaryDeps, athleteId: string, q: SummaryQuery): Promise<SummaryResponse> {
  return SummaryResponseSchema.parse(JSON.parse((await getSummaryBody(deps, athleteId, q)).toString()));
}
