import { sql } from 'kysely';
import type { Db } from '../connection.js';

export interface ReminderSetting {
  enabled: boolean;
  /** HH:MM in the athlete's own time zone. */
  localTime: string;
}

/** Turns the morning reminder on or off; the time stays as it was. */
export function setRemindersEnabled(db: Db, athleteId: string, enabled: boolean): Promise<ReminderSetting> {
  return saveReminderSetting(db, athleteId, { enabled });
}

/**
 * Sets the reminder's local time (HH:MM) and turns it on. A day's reminder already sent is not sent
 * again at the new time; a new time later today that has not been reached yet sends today.
 */
export function setReminderTime(db: Db, athleteId: string, localTime: string): Promise<ReminderSetting> {
  if (!/^([01]\d|2[0-3]):[0-5]\d$/.test(localTime)) throw new Error(`not a HH:MM time: ${localTime}`);
  return saveReminderSetting(db, athleteId, { enabled: true, local_time: localTime });
}

async function saveReminderSetting(db: Db, athleteId: string, change: { enabled: boolean; local_time?: string }): Promise<ReminderSetting> {
  const row = await db
    .insertInto('reminder_setting')
    .values({ athlete_id: athleteId, ...change, last_sent_date: null })
    .onConflict((oc) => oc.column('athlete_id').doUpdateSet({ ...change, updated_at: new Date() }))
    .returning(['enabled', 'local_time'])
    .executeTakeFirstOrThrow();
  return { enabled: row.enabled, localTime: row.local_time };
}

/** The athlete's reminder setting; no row means the default (on, 07:00). */
export async function getReminderSetting(db: Db, athleteId: string): Promise<ReminderSetting> {
  const row = await db.selectFrom('reminder_setting').select(['enabled', 'local_time']).where('athlete_id', '=', athleteId).executeTakeFirst();
  return { enabled: row?.enabled ?? true, localTime: row?.local_time ?? '07:00' };
}

export interface ReminderCandidate {
  athleteId: string;
  chatId: string;
  language: string | null;
  timezone: string;
  localTime: string;
  lastSentDate: string | null;
}

/** Linked athletes whose reminders are on (no row = on, the default). */
export async function listReminderCandidates(db: Db): Promise<ReminderCandidate[]> {
  const rows = await db
    .selectFrom('telegram_link as l')
    .innerJoin('athlete as a', 'a.id', 'l.athlete_id')
    .leftJoin('reminder_setting as r', 'r.athlete_id', 'l.athlete_id')
    .select(['l.athlete_id', 'l.chat_id', 'a.language', 'a.timezone', 'r.local_time', 'r.last_sent_date'])
    .where('l.disabled_at', 'is', null)
    .where((eb) => eb.or([eb('r.enabled', 'is', null), eb('r.enabled', '=', true)]))
    .execute();
  return rows.map((r) => ({
    athleteId: r.athlete_id,
    chatId: r.chat_id,
    language: r.language,
    timezone: r.timezone,
    localTime: r.local_time ?? '07:00',
    lastSentDate: r.last_sent_date,
  }));
}

/** Claims the reminder of one local day: true once per athlete and date, and only while reminders are on. */
export async function claimReminder(db: Db, athleteId: string, localDate: string): Promise<boolean> {
  const row = await db
    .insertInto('reminder_setting')
    .values({ athlete_id: athleteId, last_sent_date: localDate })
    .onConflict((oc) =>
      oc
        .column('athlete_id')
        .doUpdateSet({ last_sent_date: localDate })
        .where('reminder_setting.enabled', '=', true)
        .where((eb) => eb.or([eb('reminder_setting.last_sent_date', 'is', null), eb('reminder_setting.last_sent_date', '<', sql<string>`${localDate}::date`)])),
    )
    .returning('athlete_id')
    .executeTakeFirst();
  return row !== undefined;
}

/** Telegram refused the reminder (not delivered): let a later tick try again today. */
export async function releaseReminder(db: Db, athleteId: string, localDate: string): Promise<void> {
  await db.updateTable('reminder_setting').set({ last_sent_date: null }).where('athlete_id', '=', athleteId).where('last_sent_date', '=', localDate).execute();
}
