import {
  compileJsonWriter,
  TrainingsResponseSchema,
  WorkoutRecordSchema,
  type TrainingsQuery,
  type TrainingsResponse,
  type WorkoutRecord,
} from '@splits/contracts';
import { getWorkoutRecord, getWorkoutRecordTexts, listWorkoutRevisions, type Db } from '@splits/db';
import { BadRequestError, NotFoundError, TooLargeError } from '../errors.js';

/** GPT Actions reject responses of 100,000 characters or more (DESIGN §6); MCP clients get the same bound. */
export const MAX_RESPONSE_CHARS = 100_000;

/**
 * One page of the athlete's workout records, newest first. `intervals` only with `full`. Every
 * record is passed through the record schema (the allow-list), so the measured size is the size of
 * what leaves, for REST and MCP alike.
 */
export async function getTrainings(db: Db, athleteId: string, query: TrainingsQuery, cache?: RecordJsonCache): Promise<TrainingsResponse> {
  return JSON.parse(await getTrainingsJson(db, athleteId, query, cache)) as TrainingsResponse;
}

/**
 * Validated JSON text of single records by (workout id, record_rev, with or without intervals): a
 * record is parsed, checked and serialised once per change, not once per request. record_rev is
 * moved by a trigger on every change of the record, so an entry can never outlive its record.
 * Keys come from this athlete's own page query, so an entry is only ever served to its owner.
 */
export class RecordJsonCache {
  private readonly map = new Map<string, { rev: string; json: string }>();
  constructor(private readonly max = 5_000) {}

  get(id: string, full: boolean, rev: string): string | undefined {
    const key = `${full ? 'f' : 's'}${id}`;
    const e = this.map.get(key);
    if (e?.rev !== rev) return undefined;
    this.map.delete(key);
    this.map.set(key, e);
    return e.json;
  }

  set(id: string, full: boolean, rev: string, json: string): void {
    const key = `${full ? 'f' : 's'}${id}`;
    this.map.delete(key);
    this.map.set(key, { rev, json });
    if (this.map.size > this.max) this.map.delete(this.map.keys().next().value as string);
  }
}

/** TrainingsResponseSchema's writer: the records are spliced in as the validated JSON they were cached as. */
const writeTrainings = compileJsonWriter(TrainingsResponseSchema, ['trainings']);

/**
 * The page as JSON text, for the REST route, which sends it as it is: one small query for the page's
 * (id, record_rev), then the stored text of only the records not yet cached at that revision.
 */
export async function getTrainingsJson(db: Db, athleteId: string, query: TrainingsQuery, cache = new RecordJsonCache()): Promise<string> {
  // An inverted window would silently answer "no workouts"; say what is wrong instead.
  if (query.oldest && query.newest && query.oldest > query.newest) {
    throw new BadRequestError(`oldest (${query.oldest}) is after newest (${query.newest})`);
  }
  const full = query.full === true;
  const { rows, hasMore } = await listWorkoutRevisions(db, athleteId, { oldest: query.oldest, newest: query.newest, limit: query.limit, offset: query.offset });
  const records = rows.map((r) => cache.get(r.id, full, r.rev));
  const missing = rows.filter((_, i) => records[i] === undefined).map((r) => r.id);
  if (missing.length > 0) {
    const stored = new Map((await getWorkoutRecordTexts(db, athleteId, missing, full)).map((t) => [t.id, t]));
    rows.forEach((r, i) => {
      const t = records[i] === undefined ? stored.get(r.id) : undefined;
      if (!t) return; // cached, or deleted between the two reads: left out
      const json = JSON.stringify(WorkoutRecordSchema.parse({ ...(JSON.parse(t.text) as object), id: t.id }));
      cache.set(t.id, full, t.rev, json);
      records[i] = json;
    });
  }
  const page = records.filter((j): j is string => j !== undefined);
  const json = writeTrainings({ trainings: `[${page.join(',')}]`, count: page.length, hasMore, nextOffset: hasMore ? query.offset + rows.length : null });
  if (json.length >= MAX_RESPONSE_CHARS) throw new TooLargeError(tooLargeMessage(json.length, page.length, query));
  return json;
}

/** One full record (with intervals) of this athlete; another athlete's id is simply not found. */
export async function getTraining(db: Db, athleteId: string, id: string): Promise<WorkoutRecord> {
  const record = await getWorkoutRecord(db, athleteId, id);
  if (!record) throw new NotFoundError(`no training with id ${id}`);
  const body = WorkoutRecordSchema.parse(record);
  const size = JSON.stringify(body).length;
  if (size >= MAX_RESPONSE_CHARS) {
    throw new TooLargeError(`training ${id} is ${size} characters, over the ${MAX_RESPONSE_CHARS} limit; use GET /trainings with full=0 for its summary`);
  }
  return body;
}

/** Tells the caller what to ask for instead: a limit that would fit, a narrower window, or no intervals. */
function tooLargeMessage(size: number, count: number, query: TrainingsQuery): string {
  // Records vary in size; aim at 80% of the limit so the suggested page fits.
  const fitting = Math.max(1, Math.floor((count * MAX_RESPONSE_CHARS * 0.8) / size));
  const hints = [
    fitting < count ? `a lower limit (e.g. limit=${fitting})` : null,
    'a narrower oldest/newest date window',
    query.full ? 'full=0 to leave out intervals' : null,
  ].filter((h): h is string => h !== null);
  return `response would be ${size} characters, over the ${MAX_RESPONSE_CHARS} limit; request smaller windows: ${hints.join(', or ')}`;
}
