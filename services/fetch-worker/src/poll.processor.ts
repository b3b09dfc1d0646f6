import type { PollAthleteJob } from '@splits/contracts';
import {
  getSourceRevisions,
  listActiveConnections,
  listActivityIdsBetween,
  markWorkoutDeleted,
  recordPoll,
} from '@splits/db';
import { enqueue, enqueueBulk, handOn, queueCatalog, stageJobs, summaryRebuildJob } from '@splits/queue';
import { activityRevision, unavailableReason } from '@splits/training';
import { addDays, localToday, openConnection, type FetchDeps } from './context.js';

export interface PollOptions {
  /** API-key athletes: how far back each poll looks at least (also catches edits to recent activities). */
  lookbackDays: number;
  /** OAuth athletes (webhooks do the work): the reconciliation window for missed webhooks. */
  reconcileDays: number;
}

/**
 * poll-athlete: lists the athlete's activities in a window and produces the same work a webhook
 * would — a fetch for each new or changed revision (the revision marker is the same one the fetcher
 * stores, so nothing is fetched twice for one revision) and a delete for stored activities that are
 * gone. API-key athletes get no webhooks at all, so their wellness and calendar are synced too.
 */
export async function processPollAthlete(payload: PollAthleteJob, deps: FetchDeps, opts: PollOptions, now = new Date()) {
  const { athleteId } = payload;
  const conn = await openConnection(deps, athleteId);
  const full = conn.authKind === 'api_key';
  const today = localToday(conn.timezone, now);
  let oldest = addDays(today, -(full ? opts.lookbackDays : opts.reconcileDays));
  if (full && conn.pollCursor) {
    const fromCursor = addDays(conn.pollCursor.toISOString().slice(0, 10), -1);
    if (fromCursor < oldest) oldest = fromCursor;
  }
  const listed = await conn.client.listActivities(conn.cred.intervalsAthleteId, { oldest });
  const known = await getSourceRevisions(deps.db, athleteId, listed.map((a) => a.id));
  const changed = listed.filter((a) => {
    const stored = known.get(a.id);
    if (unavailableReason(a)) return !stored?.startsWith('unavailable');
    return stored !== activityRevision(a);
  });
  // The first poll of a connection meets history, not news: it is imported without announcements.
  const reason = conn.lastPolledAt ? 'poll' : 'backfill';
  await enqueueBulk(
    deps.queues,
    'fetch-activity',
    changed.map((a) => ({ payload: { athleteId, intervalsActivityId: a.id, reason }, opts: { delay: 0 } })),
  );

  // Stored activities inside the listed window that Intervals.icu no longer has were deleted. The
  // window starts a day after `oldest` (a local date), so time zones cannot pull a day in or out.
  const present = new Set(listed.map((a) => a.id));
  const stored = await listActivityIdsBetween(deps.db, athleteId, new Date(`${addDays(oldest, 1)}T00:00:00Z`), now);
  const gone = stored.filter((id) => !present.has(id));
  if (gone.length > 0) {
    // The rebuild commits with the deletions (outbox): a retried poll no longer sees them as gone.
    const staged = await deps.db.transaction().execute(async (trx) => {
      for (const id of gone) await markWorkoutDeleted(trx, athleteId, id);
      return stageJobs(trx, athleteId, [summaryRebuildJob(athleteId, 'workout-deleted')]);
    });
    await handOn(deps, staged);
  }

  if (full) {
    for (const d of [addDays(today, -1), today]) await enqueue(deps.queues, 'sync-wellness', { athleteId, dates: [d] }, { delay: 0 });
    await enqueue(deps.queues, 'sync-calendar', { athleteId }, { delay: 0 });
  }
  const newest = listed.reduce<Date | null>((max, a) => {
    const t = a.start_date ? new Date(a.start_date) : null;
    return t && (!max || t > max) ? t : max;
  }, null);
  await recordPoll(deps.db, athleteId, newest);
  return { listed: listed.length, changed: changed.length, deleted: gone.length, oldest };
}

export interface ScheduleOptions {
  /** API-key athletes. */
  pollEveryMs: number;
  /** OAuth athletes (reconciliation). */
  reconcileEveryMs: number;
}

/**
 * One repeatable poll per active connection (BullMQ job schedulers, so any number of worker
 * replicas agree on one schedule); schedulers of athletes that are gone or disconnected are removed.
 */
export async function syncPollSchedules(deps: Pick<FetchDeps, 'db' | 'queues'>, opts: ScheduleOptions) {
  const queue = deps.queues['poll-athlete'];
  const active = await listActiveConnections(deps.db);
  const wanted = new Map(active.map((c) => [`poll-${c.athlete_id}`, c]));
  const existing = new Map((await queue.getJobSchedulers(0, -1)).map((s) => [s.key ?? s.id, Number(s.every)]));
  for (const [id, c] of wanted) {
    const every = c.auth_kind === 'api_key' ? opts.pollEveryMs : opts.reconcileEveryMs;
    // Upserting an unchanged scheduler would queue another immediate run: touch only what changed.
    if (existing.get(id) === every) continue;
    await queue.upsertJobScheduler(
      id,
      { every },
      { name: 'poll-athlete', data: { athleteId: c.athlete_id }, opts: queueCatalog['poll-athlete'].defaults },
    );
  }
  let removed = 0;
  for (const id of existing.keys()) {
    if (id && !wanted.has(id)) removed += (await queue.removeJobScheduler(id)) ? 1 : 0;
  }
  return { scheduled: wanted.size, removed };
}
