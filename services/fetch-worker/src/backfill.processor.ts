import type { Job } from 'bullmq';
import type { BackfillAthleteJob, IntervalsActivity } from '@splits/contracts';
import {
  getSourceRevisions,
  recordUnavailableActivity,
  replacePlannedEventsWindow,
  upsertWellnessDays,
} from '@splits/db';
import { requestSummaryRebuild } from '@splits/queue';
import { activityRevision, unavailableReason } from '@splits/training';
import { addDays, localToday, openConnection, type FetchDeps } from './context.js';
import { CALENDAR_DAYS_AHEAD } from './sync.processors.js';
import { storeActivity } from './store-activity.js';

/** What the backfill job reports as its progress (dashboard, `pnpm splits backfill`). */
export interface BackfillProgress {
  phase: 'listing' | 'activities' | 'wellness' | 'calendar' | 'done';
  done: number;
  total: number;
  stored: number;
  skipped: number;
  unavailable: number;
  wellnessDays?: number;
  events?: number;
}

const WINDOW_DAYS = 28;
const CONCURRENCY = 3;

/**
 * backfill-athlete: imports history on connect — activities (oldest first, without Telegram
 * messages), wellness and the planned events — and reports progress on the job as it goes.
 * Activities already stored at the same revision are skipped, so a retried or repeated backfill
 * only does what is missing.
 */
export async function processBackfill(
  payload: BackfillAthleteJob,
  job: Pick<Job, 'id' | 'updateProgress'>,
  deps: FetchDeps,
  now = new Date(),
): Promise<BackfillProgress> {
  const { athleteId } = payload;
  const conn = await openConnection(deps, athleteId);
  const today = localToday(conn.timezone, now);
  const p: BackfillProgress = { phase: 'listing', done: 0, total: 0, stored: 0, skipped: 0, unavailable: 0 };
  await job.updateProgress({ ...p });

  const byId = new Map<string, IntervalsActivity>();
  for (let start = payload.oldest; start <= today; start = addDays(start, WINDOW_DAYS)) {
    const end = addDays(start, WINDOW_DAYS - 1) < today ? addDays(start, WINDOW_DAYS - 1) : today;
    for (const a of await conn.client.listActivities(conn.cred.intervalsAthleteId, { oldest: start, newest: end })) byId.set(a.id, a);
  }
  const list = [...byId.values()].sort((a, b) => String(a.start_date ?? a.start_date_local).localeCompare(String(b.start_date ?? b.start_date_local)));
  const known = await getSourceRevisions(deps.db, athleteId, list.map((a) => a.id));
  p.phase = 'activities';
  p.total = list.length;
  await job.updateProgress({ ...p });

  let lastReport = 0;
  const report = async (force = false) => {
    if (!force && Date.now() - lastReport < 250) return;
    lastReport = Date.now();
    await job.updateProgress({ ...p });
  };
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < list.length; i = next++) {
      const row = list[i]!;
      const reason = unavailableReason(row);
      if (reason) {
        await recordUnavailableActivity(deps.db, athleteId, row.id, reason, row);
        p.unavailable++;
      } else if (known.get(row.id) === activityRevision(row)) {
        p.skipped++;
      } else {
        // List rows carry no intervals: read the activity itself.
        const full = await conn.client.getActivity(row.id, { intervals: true });
        const r = unavailableReason(full);
        if (r) {
          await recordUnavailableActivity(deps.db, athleteId, row.id, r, full);
          p.unavailable++;
        } else {
          await storeActivity(deps, conn, athleteId, full, { notify: false });
          p.stored++;
        }
      }
      p.done++;
      await report();
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));

  p.phase = 'wellness';
  await report(true);
  const wellness = await conn.client.listWellness(conn.cred.intervalsAthleteId, payload.oldest, today);
  const days = wellness.flatMap((row) => {
    const date = typeof row.id === 'string' ? row.id.slice(0, 10) : null;
    return date && date <= today ? [{ date, data: row }] : [];
  });
  await upsertWellnessDays(deps.db, athleteId, days);
  p.wellnessDays = days.length;

  p.phase = 'calendar';
  await report(true);
  const newest = addDays(today, CALENDAR_DAYS_AHEAD);
  const events = await conn.client.listEvents(conn.cred.intervalsAthleteId, { oldest: payload.oldest, newest });
  await replacePlannedEventsWindow(deps.db, athleteId, payload.oldest, newest, events);
  p.events = events.length;

  await requestSummaryRebuild(deps.queues, athleteId, 'backfill');
  p.phase = 'done';
  await report(true);
  deps.log.info({ jobId: job.id, athleteId, ...p }, 'backfill complete');
  return p;
}
