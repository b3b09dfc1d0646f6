import type { SyncCalendarJob, SyncPaceModelJob, SyncSettingsJob, SyncWellnessJob, UpdateConnectionJob } from '@splits/contracts';
import {
  getConnectionState,
  hasPaceModelOn,
  putPaceModel,
  latestScopeChange,
  replacePlannedEventsWindow,
  replaceSportSettings,
  revokeConnection,
  updateConnectionScopes,
  upsertWellnessDays,
} from '@splits/db';
import { enqueue, requestSummaryRebuild } from '@splits/queue';
import { addDays, localToday, openConnection, type FetchDeps } from './context.js';

/** The calendar window kept in sync: two weeks back (compliance), eight weeks ahead (plans). */
export const CALENDAR_DAYS_BACK = 14;
export const CALENDAR_DAYS_AHEAD = 56;

/**
 * sync-wellness: re-read the days Intervals.icu said changed and upsert them. Rows after the
 * athlete's today are projections (FITNESS_UPDATED), not facts, and are not stored.
 */
export async function processSyncWellness(payload: SyncWellnessJob, deps: FetchDeps, now = new Date()) {
  const conn = await openConnection(deps, payload.athleteId);
  const today = localToday(conn.timezone, now);
  const dates = payload.dates.filter((d) => d <= today).sort();
  if (dates.length === 0) return { stored: 0, skipped: payload.dates.length };
  const rows = await conn.client.listWellness(conn.cred.intervalsAthleteId, dates[0]!, dates[dates.length - 1]!);
  const wanted = new Set(dates);
  const days = rows.flatMap((row) => {
    const date = typeof row.id === 'string' ? row.id.slice(0, 10) : null;
    return date && wanted.has(date) ? [{ date, data: row }] : [];
  });
  await upsertWellnessDays(deps.db, payload.athleteId, days);
  const stored = days.length;
  if (stored > 0) await requestSummaryRebuild(deps.queues, payload.athleteId, 'wellness');
  return { stored, skipped: payload.dates.length - dates.length };
}

/** sync-calendar: the stored window becomes exactly what Intervals.icu holds (deleted events disappear). */
export async function processSyncCalendar(payload: SyncCalendarJob, deps: FetchDeps, now = new Date()) {
  const conn = await openConnection(deps, payload.athleteId);
  const today = localToday(conn.timezone, now);
  const oldest = addDays(today, -CALENDAR_DAYS_BACK);
  const newest = addDays(today, CALENDAR_DAYS_AHEAD);
  const events = await conn.client.listEvents(conn.cred.intervalsAthleteId, { oldest, newest });
  const r = await replacePlannedEventsWindow(deps.db, payload.athleteId, oldest, newest, events);
  await requestSummaryRebuild(deps.queues, payload.athleteId, 'plan');
  return { ...r, oldest, newest };
}

/** sync-settings: thresholds and zones (LTHR, threshold pace, FTP, max HR) as Intervals.icu holds them now. */
export async function processSyncSettings(payload: SyncSettingsJob, deps: FetchDeps) {
  const conn = await openConnection(deps, payload.athleteId);
  const settings = await conn.client.listSportSettings(conn.cred.intervalsAthleteId);
  const stored = await replaceSportSettings(deps.db, payload.athleteId, settings);
  // The settings are part of what every run was classified against (and whether they are stale).
  await enqueue(deps.queues, 'recalibrate', { athleteId: payload.athleteId });
  return { stored };
}

/**
 * sync-pace-model: Intervals.icu's 42-day pace curve for runs and the critical-speed model it fitted,
 * stored for the day (one request, paced by the shared Intervals.icu limiter like every other read).
 * A model that moved asks the recalibration to look at the runs again.
 */
export async function processSyncPaceModel(payload: SyncPaceModelJob, deps: FetchDeps, now = new Date()) {
  const today = now.toISOString().slice(0, 10);
  if (payload.reason === 'daily' && (await hasPaceModelOn(deps.db, payload.athleteId, 'Run', today))) return { skipped: 'already read today' };
  const conn = await openConnection(deps, payload.athleteId);
  const curves = await conn.client.getPaceCurves(conn.cred.intervalsAthleteId, { type: 'Run', curves: '42d' });
  const curve = curves.list[0];
  if (!curve) return { stored: false };
  const cs = curve.paceModels?.find((m) => m.type === 'CS');
  const changed = await putPaceModel(deps.db, payload.athleteId, 'Run', today, {
    criticalSpeed: cs?.criticalSpeed ?? null,
    dPrime: cs?.dPrime ?? null,
    r2: cs?.r2 ?? null,
    curve: { distance: curve.distance, values: curve.values, activity_id: curve.activity_id ?? null },
  });
  if (changed) await enqueue(deps.queues, 'recalibrate', { athleteId: payload.athleteId });
  return { stored: true, changed, criticalSpeed: cs?.criticalSpeed ?? null };
}

/**
 * update-connection (APP_SCOPE_CHANGED): applies the newest stored scope change, so two changes
 * handled out of order still end in the latest state. Deauthorised → the token is forgotten and no
 * more work is done for the athlete until they reconnect.
 */
export async function processUpdateConnection(payload: UpdateConnectionJob, deps: FetchDeps) {
  const latest = await latestScopeChange(deps.db, payload.athleteId);
  const state = await getConnectionState(deps.db, payload.athleteId);
  if (!latest || !state) return { applied: 'none' as const };
  const p = latest.payload as { scope?: unknown; deauthorized?: unknown };
  if (p.deauthorized === true) {
    await revokeConnection(deps.db, payload.athleteId, 'the athlete deauthorised Splits on Intervals.icu');
    deps.log.warn({ athleteId: payload.athleteId }, 'Intervals.icu access revoked by the athlete; token forgotten');
    return { applied: 'revoked' as const };
  }
  if (typeof p.scope === 'string' && state.status !== 'revoked') await updateConnectionScopes(deps.db, payload.athleteId, p.scope);
  return { applied: 'scopes' as const };
}
