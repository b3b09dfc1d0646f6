import {
  PlannedWriteResponseSchema,
  type DeletePlannedWorkoutsQuery,
  type IntervalsEvent,
  type IntervalsEventInput,
  type PlannedEvent,
  type PlannedWriteResponse,
  type UpsertPlannedWorkoutsBody,
} from '@splits/contracts';
import {
  deletePlannedEventsById,
  getIntervalsCredential,
  listPlannedEventsByExternalIds,
  upsertPlannedEvents,
  type Db,
  type EncryptionKeys,
} from '@splits/db';
import { createIntervalsClient, IntervalsHttpError, IntervalsParseError, type IntervalsClient, type RateLimiter } from '@splits/intervals';
import { checkWorkoutText, formatWorkoutTextIssues } from '@splits/training';
import type { Logger } from 'pino';
import { BadRequestError, HttpError, UpstreamError } from '../errors.js';
import { plannedFromIntervals } from './events.service.js';
import { addDays, assertFits, resolveWindow, todayUtc } from './window.js';

export interface CalendarDeps {
  db: Db;
  /** The keyring that opens the athlete's Intervals.icu credential (old keys too, while rotating); null = no calendar writes. */
  encryptionKey: EncryptionKeys | null;
  intervalsBaseUrl: string;
  /** Shared by every request of this process: Intervals.icu allows ~10 requests/s per IP. */
  limiter: RateLimiter;
  log: Logger;
}

/**
 * Writes planned workouts to the athlete's Intervals.icu calendar with `events/bulk?upsert=true`,
 * keyed by external_id, so repeating a write changes nothing. Every text is checked against the
 * native workout syntax first: Intervals.icu would silently turn unparseable text into a note.
 */
export async function upsertPlannedWorkouts(deps: CalendarDeps, athleteId: string, body: UpsertPlannedWorkoutsBody): Promise<PlannedWriteResponse> {
  const problems = body.workouts.flatMap((w, i) => {
    const issues = checkWorkoutText(w.description, w.type);
    return issues.length ? [`workouts[${i}] (${w.externalId}): ${formatWorkoutTextIssues(issues)}`] : [];
  });
  const dupes = body.workouts.map((w) => w.externalId).filter((id, i, all) => all.indexOf(id) !== i);
  if (dupes.length) problems.unshift(`externalId repeated in one request: ${[...new Set(dupes)].join(', ')}`);
  if (problems.length) throw new BadRequestError(`workout text would not parse on Intervals.icu: ${problems.join(' | ')}`);

  const inputs: IntervalsEventInput[] = body.workouts.map((w) => ({
    category: 'WORKOUT',
    type: w.type,
    start_date_local: `${w.date}T${w.time ?? '00:00'}:00`,
    name: w.name,
    description: w.description,
    external_id: w.externalId,
    ...(w.target ? { target: w.target } : {}),
  }));
  const existing = new Set(
    (await listPlannedEventsByExternalIds(deps.db, athleteId, body.workouts.map((w) => w.externalId))).map((r) => r.external_id),
  );
  const action = (externalId: string | null) => (externalId && existing.has(externalId) ? ('update' as const) : ('create' as const));

  if (body.dry_run) {
    const events = inputs.map((e) => ({ ...plannedFromIntervals({ ...e, id: 0 } as IntervalsEvent), id: null, action: action(e.external_id ?? null) }));
    return respond({ dryRun: true, count: events.length, events, notFound: [] });
  }
  const { client, intervalsAthleteId } = await clientFor(deps, athleteId);
  const saved = await upstream(() => client.upsertEvents(intervalsAthleteId, inputs));
  await upsertPlannedEvents(deps.db, athleteId, saved);
  deps.log.info({ athleteId, count: saved.length }, 'planned workouts written');
  const events = saved.map((e) => ({ ...plannedFromIntervals(e), action: action(e.external_id ?? null) }));
  return respond({ dryRun: false, count: events.length, events, notFound: [] });
}

/**
 * Deletes planned workouts by id, external id, external-id prefix and/or local-date window (all
 * given selectors must match). Candidates are read from Intervals.icu itself, so the preview and the
 * delete see the calendar as it is now; a date window alone only ever selects WORKOUT events.
 */
export async function deletePlannedWorkouts(deps: CalendarDeps, athleteId: string, q: DeletePlannedWorkoutsQuery): Promise<PlannedWriteResponse> {
  const ids = q.ids ?? [];
  const externalIds = q.external_ids ?? [];
  if (!ids.length && !externalIds.length && !q.prefix && !q.oldest && !q.newest) {
    throw new BadRequestError('say what to delete: ids, external_ids, prefix, or an oldest/newest window');
  }
  const byWindow = Boolean(q.oldest || q.newest);
  // Without a window, look from a week ago to a year ahead: where planned workouts live.
  const today = todayUtc();
  const window = byWindow
    ? resolveWindow(q, { defaultDays: 1, maxDays: 366, anchor: 'future' })
    : { oldest: addDays(today, -7), newest: addDays(today, 365) };

  const { client, intervalsAthleteId } = await clientFor(deps, athleteId);
  const calendar = await upstream(() => client.listEvents(intervalsAthleteId, window));
  const matches = calendar.filter(
    (e) =>
      (!ids.length || ids.includes(String(e.id))) &&
      (!externalIds.length || (e.external_id != null && externalIds.includes(e.external_id))) &&
      (!q.prefix || (e.external_id ?? '').startsWith(q.prefix)) &&
      (!byWindow || ids.length > 0 || externalIds.length > 0 || q.prefix !== undefined || e.category === 'WORKOUT'),
  );
  const notFound = [
    ...ids.filter((id) => !matches.some((e) => String(e.id) === id)),
    ...externalIds.filter((x) => !matches.some((e) => e.external_id === x)),
  ];
  const events = matches.map((e) => ({ ...plannedFromIntervals(e), action: 'delete' as const }));
  if (q.dry_run || matches.length === 0) return respond({ dryRun: q.dry_run, count: events.length, events, notFound });

  await upstream(() => client.deleteEvents(intervalsAthleteId, matches.map((e) => ({ id: e.id }))));
  await deletePlannedEventsById(deps.db, athleteId, matches.map((e) => String(e.id)));
  deps.log.info({ athleteId, count: matches.length }, 'planned workouts deleted');
  return respond({ dryRun: false, count: events.length, events, notFound });
}

function respond(body: { dryRun: boolean; count: number; events: Array<PlannedEvent & { action: 'create' | 'update' | 'delete' }>; notFound: string[] }) {
  return assertFits(PlannedWriteResponseSchema.parse(body), 'send fewer workouts per call');
}

async function clientFor(deps: CalendarDeps, athleteId: string): Promise<{ client: IntervalsClient; intervalsAthleteId: string }> {
  if (!deps.encryptionKey) throw new UpstreamError(503, 'not_configured', 'calendar writes need TOKEN_ENCRYPTION_KEY on the gateway');
  const cred = await getIntervalsCredential(deps.db, deps.encryptionKey, athleteId);
  if (!cred) throw new UpstreamError(409, 'not_connected', 'no Intervals.icu connection for this athlete');
  const client = createIntervalsClient({
    baseUrl: deps.intervalsBaseUrl,
    auth: { kind: cred.authKind, secret: cred.secret },
    limiter: deps.limiter,
    // An assistant waits on this answer (GPT Actions give up after 45 s): retry little, fail clearly.
    maxAttempts: 2,
    maxRetryAfterMs: 2_000,
    timeoutMs: 10_000,
    log: deps.log,
  });
  return { client, intervalsAthleteId: cred.intervalsAthleteId };
}

/** Intervals.icu failures as clear gateway errors; the credential never appears in them. */
async function upstream<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof HttpError) throw err;
    if (err instanceof IntervalsHttpError) {
      if (err.status === 401 || err.status === 403) {
        throw new UpstreamError(409, 'intervals_auth', 'Intervals.icu refused the athlete\'s credential: reconnect Intervals.icu');
      }
      if (err.permanent) throw new UpstreamError(422, 'intervals_rejected', `Intervals.icu rejected the request (HTTP ${err.status})`);
      throw new UpstreamError(503, 'intervals_unavailable', 'Intervals.icu is not answering right now; try again in a minute');
    }
    if (err instanceof IntervalsParseError) throw new UpstreamError(502, 'intervals_unexpected', 'Intervals.icu answered in an unexpected shape');
    throw err;
  }
}
