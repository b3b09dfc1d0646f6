import {
  TrainingsResponseSchema,
  WorkoutRecordSchema,
  type TrainingsQuery,
  type TrainingsResponse,
  type WorkoutRecord,
} from '@splits/contracts';
import { getWorkoutRecord, listWorkoutRecords, type Db } from '@splits/db';
import { BadRequestError, NotFoundError, TooLargeError } from '../errors.js';

/** GPT Actions reject responses of 100,000 characters or more (DESIGN §6); MCP clients get the same bound. */
export const MAX_RESPONSE_CHARS = 100_000;

/**
 * One page of the athlete's workout records, newest first. `intervals` only with `full`.
 * The result is already passed through the response schema (the allow-list), so its measured
 * size is the size of what leaves, for REST and MCP alike.
 */
export async function getTrainings(db: Db, athleteId: string, query: TrainingsQuery): Promise<TrainingsResponse> {
  return (await trainingsPage(db, athleteId, query)).body;
}

/**
 * The same page as JSON text, for the REST route: it was already checked against the response
 * schema and measured here, so the route sends this text as it is instead of validating and
 * serialising the page a second time.
 */
export async function getTrainingsJson(db: Db, athleteId: string, query: TrainingsQuery): Promise<string> {
  return (await trainingsPage(db, athleteId, query)).json;
}

async function trainingsPage(db: Db, athleteId: string, query: TrainingsQuery): Promise<{ body: TrainingsResponse; json: string }> {
  // An inverted window would silently answer "no workouts"; say what is wrong instead.
  if (query.oldest && query.newest && query.oldest > query.newest) {
    throw new BadRequestError(`oldest (${query.oldest}) is after newest (${query.newest})`);
  }
  const { records, hasMore } = await listWorkoutRecords(db, athleteId, {
    oldest: query.oldest,
    newest: query.newest,
    limit: query.limit,
    offset: query.offset,
  });
  const trainings = query.full ? records : records.map(withoutIntervals);
  const body = TrainingsResponseSchema.parse({
    trainings,
    count: trainings.length,
    hasMore,
    nextOffset: hasMore ? query.offset + trainings.length : null,
  });
  const json = JSON.stringify(body);
  if (json.length >= MAX_RESPONSE_CHARS) throw new TooLargeError(tooLargeMessage(json.length, body.count, query));
  return { body, json };
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

function withoutIntervals(record: WorkoutRecord): WorkoutRecord {
  const { intervals: _intervals, ...rest } = record;
  return rest;
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
