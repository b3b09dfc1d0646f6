import { DelayedError, type Job } from 'bullmq';
import { GrammyError, type Api } from 'grammy';
import type { Logger } from 'pino';
import type { SendReminderJob } from '@splits/contracts';
import { claimReminder, getActiveTelegramLink, listPlannedEvents, listReminderCandidates, releaseReminder, type Db } from '@splits/db';
import { enqueue, type Queues } from '@splits/queue';
import { formatPlannedDay, localeOf, texts, type PlannedItem } from '@splits/training';

/** The wall clock in a time zone: local date (YYYY-MM-DD) and time (HH:MM). */
export function localClock(now: Date, timeZone: string): { date: string; time: string } {
  let tz = timeZone;
  try {
    new Intl.DateTimeFormat('en-CA', { timeZone: tz });
  } catch {
    tz = 'UTC';
  }
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-CA', { timeZone: tz, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
      .formatToParts(now)
      .map((p) => [p.type, p.value]),
  );
  return { date: `${parts.year}-${parts.month}-${parts.day}`, time: `${parts.hour}:${parts.minute}` };
}

export async function plannedItems(db: Db, athleteId: string, localDate: string): Promise<PlannedItem[]> {
  const rows = await listPlannedEvents(db, athleteId, localDate, localDate);
  return rows.map((e) => ({
    name: e.name,
    type: e.type,
    category: e.category,
    movingTime: e.moving_time,
    distanceKm: e.distance !== null ? e.distance / 1000 : null,
    description: e.description,
  }));
}

export interface ReminderDeps {
  db: Db;
  queues: Queues;
  log: Logger;
  now?: () => Date;
}

/**
 * reminder-tick: athletes whose local reminder time has passed today and who were not reminded
 * today get a send-reminder job (deduped per athlete and local date). Days without a plan get none.
 */
export async function processReminderTick(deps: ReminderDeps): Promise<{ queued: number }> {
  const now = (deps.now ?? (() => new Date()))();
  let queued = 0;
  for (const c of await listReminderCandidates(deps.db)) {
    const local = localClock(now, c.timezone);
    if (local.time < c.localTime || (c.lastSentDate !== null && c.lastSentDate >= local.date)) continue;
    if ((await listPlannedEvents(deps.db, c.athleteId, local.date, local.date)).length === 0) continue;
    await enqueue(deps.queues, 'send-reminder', { athleteId: c.athleteId, localDate: local.date });
    queued++;
  }
  return { queued };
}

export interface SendReminderDeps {
  db: Db;
  api: Pick<Api, 'sendMessage'>;
  log: Logger;
}

/** send-reminder: the day's plan, once per athlete and local date (claimed before sending). */
export async function processSendReminder(payload: SendReminderJob, job: Pick<Job, 'moveToDelayed'>, token: string | undefined, deps: SendReminderDeps) {
  const link = await getActiveTelegramLink(deps.db, payload.athleteId);
  if (!link) return { skipped: 'no linked chat' };
  const t = texts(localeOf(link.language));
  const text = formatPlannedDay(await plannedItems(deps.db, payload.athleteId, payload.localDate), t.reminderHeader(payload.localDate), localeOf(link.language));
  if (!text) return { skipped: 'nothing planned' };
  if (!(await claimReminder(deps.db, payload.athleteId, payload.localDate))) return { skipped: 'already sent or reminders off' };
  try {
    const msg = await deps.api.sendMessage(link.chatId, text);
    deps.log.info({ athleteId: payload.athleteId, localDate: payload.localDate }, 'reminder sent');
    return { messageId: msg.message_id };
  } catch (err) {
    if (!(err instanceof GrammyError)) throw err; // in doubt: the claim stays (at most once)
    await releaseReminder(deps.db, payload.athleteId, payload.localDate);
    if (err.error_code === 403) return { skipped: 'bot blocked; link disabled' };
    if (err.error_code === 429) {
      await job.moveToDelayed(Date.now() + (err.parameters.retry_after ?? 1) * 1000, token);
      throw new DelayedError();
    }
    throw err;
  }
}
