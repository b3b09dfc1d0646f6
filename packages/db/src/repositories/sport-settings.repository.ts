import type { AthleteThresholds } from '@splits/contracts';
import type { Db } from '../connection.js';

type SettingsRow = Record<string, unknown> & { id?: unknown; types?: unknown };

const numOrNull = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) && v > 0 ? v : null);
const numsOrNull = (v: unknown): number[] | null =>
  Array.isArray(v) && v.length > 0 && v.every((x) => typeof x === 'number') ? (v as number[]) : null;

/** Replace all of an athlete's sport settings (SPORT_SETTINGS_UPDATED sends every sport, not a diff). */
export async function replaceSportSettings(db: Db, athleteId: string, settings: SettingsRow[]): Promise<number> {
  const rows = settings
    .filter((s) => s.id !== undefined && s.id !== null)
    .map((s) => ({
      athlete_id: athleteId,
      settings_id: String(s.id),
      types: Array.isArray(s.types) ? s.types.map(String) : [],
      data: JSON.stringify(s),
    }));
  await db.transaction().execute(async (trx) => {
    await trx.deleteFrom('sport_settings').where('athlete_id', '=', athleteId).execute();
    if (rows.length > 0) await trx.insertInto('sport_settings').values(rows).execute();
  });
  return rows.length;
}

/** Thresholds for a workout type (Run, TrailRun, Ride, …): the settings row listing that type. */
export async function getThresholds(db: Db, athleteId: string, workoutType: string): Promise<AthleteThresholds | null> {
  const rows = await db.selectFrom('sport_settings').select(['types', 'data']).where('athlete_id', '=', athleteId).execute();
  const row = rows.find((r) => r.types.includes(workoutType));
  if (!row) return null;
  return thresholdsFromSettings(workoutType, row.data as SettingsRow);
}

export function thresholdsFromSettings(sport: string, s: SettingsRow): AthleteThresholds {
  return {
    sport,
    lthr: numOrNull(s.lthr),
    maxHr: numOrNull(s.max_hr),
    thresholdPaceMps: numOrNull(s.threshold_pace),
    ftp: numOrNull(s.ftp),
    hrZones: numsOrNull(s.hr_zones),
    paceZones: numsOrNull(s.pace_zones),
    powerZones: numsOrNull(s.power_zones),
  };
}

/**
 * What a gateway answer says about the athlete once (time zone, thresholds and zones of each sport),
 * in one round trip: the athlete's time zone and every sport-settings row as thresholds, or null
 * when the athlete does not exist.
 */
export async function getAthleteContextSource(
  db: Db,
  athleteId: string,
): Promise<{ timezone: string; sports: { types: string[]; thresholds: AthleteThresholds }[] } | null> {
  const rows = await db
    .selectFrom('athlete')
    .leftJoin('sport_settings', 'sport_settings.athlete_id', 'athlete.id')
    .select(['athlete.timezone', 'sport_settings.types', 'sport_settings.data', 'sport_settings.settings_id'])
    .where('athlete.id', '=', athleteId)
    .orderBy('sport_settings.settings_id')
    .execute();
  if (rows.length === 0) return null;
  return {
    timezone: rows[0]!.timezone,
    sports: rows
      .filter((r) => r.types !== null && r.data !== null)
      .map((r) => ({ types: r.types!, thresholds: thresholdsFromSettings(r.types![0] ?? '', r.data as SettingsRow) })),
  };
}
