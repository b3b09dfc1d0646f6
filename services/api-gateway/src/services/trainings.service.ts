import {
  compileJsonWriter,
  toTrainingRecord,
  TrainingRecordSchema,
  TrainingResponseSchema,
  TrainingsResponseSchema,
  WorkoutRecordSchema,
  type TrainingResponse,
  type TrainingsQuery,
  type TrainingsResponse,
} from '@splits/contracts';
import {
  getWorkoutRecord,
  getWorkoutRecordTexts,
  InvalidatedCache,
  listAllWorkoutRevisions,
  listWorkoutRevisions,
  pageOfRevisions,
  type ChangeFeed,
  type Db,
  type TrainingsWindow,
  type WorkoutRevision,
} from '@splits/db';
import { BadRequestError, NotFoundError, TooLargeError } from '../errors.js';
import { athleteContext, AthleteFrameCache, hasRelativeBound, loadAthleteFrame, resolveBounds } from './athlete-context.js';
import { MAX_RESPONSE_CHARS } from './window.js';

export { MAX_RESPONSE_CHARS };

/**
 * The size an MCP answer is kept under: Claude Code refuses tool results over 25,000 tokens, and
 * JSON with many numbers runs at about three characters a token.
 */
export const MCP_RESPONSE_CHARS = 75_000;

/** Room kept for the note and the changed nextOffset when a page is trimmed. */
const NOTE_ROOM = 400;

/**
 * What GET /trainings and get_trainings keep in memory: the athletes' frames, whole pages, workout
 * indexes (each described below) and the served records.
 *
 * Records by (workout id, record_rev, with or without intervals): a record is parsed,
 * checked against the stored-record schema, made compact and written by the served-record writer
 * once per change, not once per request. record_rev is moved by a trigger on every change of the
 * record, so an entry can never outlive its record. Keys come from this athlete's own page query,
 * so an entry is only ever served to its owner.
 */
export class TrainingsCache {
  private readonly map = new Map<string, { rev: string; record: ServedRecord }>();
  /** The athletes' time zones and settings the pages say once (see AthleteFrameCache). */
  readonly athletes: AthleteFrameCache;
  /**
   * Whole pages as the bytes sent, by athlete and resolved query, while the change feed is live: a
   * change of anything the athlete's pages are built from (a workout, its classification or report,
   * the time zone, a sport's settings: migration 0025) drops all of that athlete's pages, in every
   * gateway replica. A repeated read then costs no database round trip and no encoding.
   */
  readonly pages: InvalidatedCache<Buffer>;
  /**
   * Each athlete's listed workouts as (id, record_rev, type, local date), in page order, on the same
   * terms as the pages: another window or offset (an assistant paging through the history) is cut
   * from it with no database read. Kept only for athletes who asked a second page since their last
   * change (`'once'` marks the first): one page of a 5-year athlete reads 31 rows, the index 1,800.
   */
  private readonly indexes: InvalidatedCache<WorkoutRevision[] | 'once'>;
  constructor(
    feed?: ChangeFeed | null,
    private readonly max = 5_000,
    maxPages = 500,
    maxIndexes = 300,
  ) {
    this.athletes = new AthleteFrameCache(feed);
    this.pages = new InvalidatedCache<Buffer>(feed, 'athlete', { max: maxPages, groupOf: (key) => key.slice(0, key.indexOf(PAGE_KEY_SEP)) });
    this.indexes = new InvalidatedCache<WorkoutRevision[] | 'once'>(feed, 'athlete', { max: maxIndexes });
  }

  /** One page's (id, record_rev) rows: cut from the athlete's index when it is held, else one query for the page. */
  async revisions(db: Db, athleteId: string, w: TrainingsWindow): Promise<{ rows: WorkoutRevision[]; hasMore: boolean }> {
    if (!this.indexes.trusted) return listWorkoutRevisions(db, athleteId, w);
    const held = this.indexes.get(athleteId);
    if (Array.isArray(held)) return pageOfRevisions(held, w);
    const mark = this.indexes.mark();
    if (held === undefined) {
      this.indexes.set(athleteId, 'once', mark);
      return listWorkoutRevisions(db, athleteId, w);
    }
    const all = await listAllWorkoutRevisions(db, athleteId);
    this.indexes.set(athleteId, all, mark);
    return pageOfRevisions(all, w);
  }

  get(id: string, full: boolean, rev: string): ServedRecord | undefined {
    const key = `${full ? 'f' : 's'}${id}`;
    const e = this.map.get(key);
    if (e?.rev !== rev) return undefined;
    this.map.delete(key);
    this.map.set(key, e);
    return e.record;
  }

  set(id: string, full: boolean, rev: string, record: ServedRecord): void {
    const key = `${full ? 'f' : 's'}${id}`;
    this.map.delete(key);
    this.map.set(key, { rev, record });
    if (this.map.size > this.max) this.map.delete(this.map.keys().next().value as string);
  }
}

const PAGE_KEY_SEP = '\u0000';

/** The served record's writer: every key, its order and value from TrainingRecordSchema. */
export const writeTrainingRecord = compileJsonWriter(TrainingRecordSchema);
/** The page's writer; the records are spliced in as the JSON writeTrainingRecord produced. */
const writeTrainings = compileJsonWriter(TrainingsResponseSchema, ['trainings', 'athlete']);

/** A served record as JSON text (its length is what the budget counts) and as the bytes a page is assembled from. */
interface ServedRecord {
  json: string;
  bytes: Buffer;
}

/** A stored record's text as the served record. */
function servedRecord(id: string, text: string, full: boolean): ServedRecord {
  const stored = WorkoutRecordSchema.parse({ ...(JSON.parse(text) as object), id });
  const json = writeTrainingRecord(toTrainingRecord(stored, full));
  return { json, bytes: Buffer.from(json) };
}

/** Where the records go in the page the writer produced: a control character JSON never carries unescaped. */
const SPLICE = '\u0001';
const COMMA = Buffer.from(',');

/**
 * The page's bytes from the writer's text around the records and the records' own bytes, so a page
 * built again (another window, the first read after a change) encodes only its frame.
 */
function assemble(frame: string, records: readonly ServedRecord[]): Buffer {
  const at = frame.indexOf(SPLICE);
  const parts: Buffer[] = [Buffer.from(`${frame.slice(0, at)}[`)];
  records.forEach((r, i) => {
    if (i > 0) parts.push(COMMA);
    parts.push(r.bytes);
  });
  parts.push(Buffer.from(`]${frame.slice(at + 1)}`));
  return Buffer.concat(parts);
}

export interface TrainingsOptions {
  cache?: TrainingsCache;
  /** The answer stays under this many characters (default MAX_RESPONSE_CHARS, GPT Actions' limit). */
  budget?: number;
  now?: Date;
}

/** One page as an object (MCP), the same answer as the REST route's bytes. */
export async function getTrainings(db: Db, athleteId: string, query: TrainingsQuery, opts: TrainingsOptions = {}): Promise<TrainingsResponse> {
  return JSON.parse((await getTrainingsJson(db, athleteId, query, opts)).toString()) as TrainingsResponse;
}

/**
 * One page of the athlete's workouts, newest first, as the JSON bytes the REST route sends. A page
 * already built since the athlete's last change is served from memory (TrainingsCache.pages);
 * otherwise one small query for the page's (id, record_rev), the athlete's frame (time zone, sport
 * settings), then the stored text of only the records not yet cached at that revision. A page that
 * would pass the budget is trimmed to the newest whole workouts that fit, with hasMore, nextOffset
 * and a note; only a single workout too large on its own is refused (413).
 */
export async function getTrainingsJson(db: Db, athleteId: string, query: TrainingsQuery, opts: TrainingsOptions = {}): Promise<Buffer> {
  const cache = opts.cache ?? new TrainingsCache();
  const budget = opts.budget ?? MAX_RESPONSE_CHARS;
  const full = query.full === true;
  // Relative bounds need the athlete's "today" before the page can be known; otherwise the frame is read only to build one.
  const { oldest, newest } = hasRelativeBound(query) ? resolveBounds(query, (await cache.athletes.load(db, athleteId, opts.now)).today) : query;
  // An inverted window would silently answer "no workouts"; say what is wrong instead.
  if (oldest && newest && oldest > newest) throw new BadRequestError(`oldest (${oldest}) is after newest (${newest})`);
  const key = [athleteId, full ? 'f' : 's', oldest ?? '', newest ?? '', query.limit, query.offset, budget].join(PAGE_KEY_SEP);
  const trusted = cache.pages.trusted;
  const hit = trusted ? cache.pages.get(key) : undefined;
  if (hit) return hit;
  const mark = cache.pages.mark();
  const body = await buildTrainingsPage(db, athleteId, { ...query, oldest, newest }, cache, budget, opts.now);
  // Without a live feed nothing would ever serve it: not kept.
  if (trusted) cache.pages.set(key, body, mark);
  return body;
}

async function buildTrainingsPage(db: Db, athleteId: string, query: TrainingsQuery, cache: TrainingsCache, budget: number, now?: Date): Promise<Buffer> {
  const { oldest, newest } = query;
  const full = query.full === true;
  const [loaded, page] = await Promise.all([cache.athletes.load(db, athleteId, now), cache.revisions(db, athleteId, { oldest, newest, limit: query.limit, offset: query.offset })]);
  const { rows } = page;
  const records = rows.map((r) => cache.get(r.id, full, r.rev));
  const missing = rows.filter((_, i) => records[i] === undefined).map((r) => r.id);
  if (missing.length > 0) {
    const stored = new Map((await getWorkoutRecordTexts(db, athleteId, missing, full)).map((t) => [t.id, t]));
    rows.forEach((r, i) => {
      const t = records[i] === undefined ? stored.get(r.id) : undefined;
      if (!t) return; // cached, or deleted between the two reads: left out below
      const served = servedRecord(t.id, t.text, full);
      cache.set(t.id, full, t.rev, served);
      records[i] = served;
    });
  }
  const kept = rows.flatMap((row, i) => (records[i] ? [{ row, record: records[i] }] : []));
  const answer = {
    window: { oldest: oldest ?? null, newest: newest ?? null, timezone: loaded.timezone },
    athlete: loaded.contextJson(kept.map((k) => k.row.workoutType)),
  };
  // The page's text around its records (they are spliced in as the bytes kept per record).
  const frame = (n: number, note?: string) =>
    writeTrainings({
      ...answer,
      trainings: SPLICE,
      count: n,
      hasMore: page.hasMore || n < kept.length,
      nextOffset: page.hasMore || n < kept.length ? query.offset + (n < kept.length ? n : rows.length) : null,
      note,
    });
  const whole = frame(kept.length);
  // The answer's length in characters, as the budget counts them: the frame ("[" and "]" for the splice) and the records with their commas.
  const recordChars = kept.reduce((s, k) => s + k.record.json.length + 1, 0);
  if (whole.length + 1 + Math.max(0, recordChars - 1) < budget) return assemble(whole, kept.map((k) => k.record));

  // Trim: the newest whole workouts that fit, with room for the note.
  let size = whole.length + NOTE_ROOM;
  let n = 0;
  while (n < kept.length && size + kept[n]!.record.json.length + 1 < budget) size += kept[n++]!.record.json.length + 1;
  if (n === 0) {
    const one = kept[0]!.record;
    throw new TooLargeError(
      `training ${JSON.parse(one.json).id as string} alone is ${one.json.length} characters, over the ${budget} limit${full ? '; ask with full=0 for it without intervals' : ''}`,
    );
  }
  const left = kept.slice(n);
  const from = left.at(-1)!.row.localDate;
  const to = left[0]!.row.localDate;
  const note =
    `${n} of ${kept.length} workouts fit in ${budget} characters; left out ${left.length} older (${from === to ? from : `${from} to ${to}`}): ` +
    `ask again with offset=${query.offset + n}${full ? ', or full=0 for records without intervals' : ''}.`;
  return assemble(frame(n, note), kept.slice(0, n).map((k) => k.record));
}

/** One workout with its intervals and the athlete's context; another athlete's id is simply not found. */
export async function getTraining(db: Db, athleteId: string, id: string, budget = MAX_RESPONSE_CHARS): Promise<TrainingResponse> {
  const [record, frame] = await Promise.all([getWorkoutRecord(db, athleteId, id), loadAthleteFrame(db, athleteId)]);
  if (!record) throw new NotFoundError(`no training with id ${id}`);
  const training = toTrainingRecord(WorkoutRecordSchema.parse(record), true);
  const body = TrainingResponseSchema.parse({ athlete: athleteContext(frame, [record.workoutType]), training });
  const size = JSON.stringify(body).length;
  if (size >= budget) {
    throw new TooLargeError(`training ${id} is ${size} characters, over the ${budget} limit; use GET /trainings with full=0 for its summary`);
  }
  return body;
}
