import type { WorkoutRecord } from '@splits/contracts';
import { texts, type Locale, type PlannedItem } from './telegram-catalog.js';
import { formatDuration, formatPace, sportFamily } from './units.js';

const fmt1 = (v: number) => (Number.isInteger(v) ? String(v) : v.toFixed(1));
const signed = (v: number) => `${v > 0 ? '+' : ''}${fmt1(v)}`;

export interface CardOptions {
  locale?: Locale;
  /** Why the classifier chose the session type, when known. */
  sessionReason?: string | null;
}

/**
 * The Telegram card of a workout: plain text, one fact per line, only lines with values (a value
 * the source did not give is left out, never invented). Fits a photo caption (≤ 1024 characters).
 */
export function formatWorkoutCard(record: WorkoutRecord, opts: CardOptions = {}): string {
  const t = texts(opts.locale ?? 'en');
  const family = sportFamily(record.workoutType);
  const lines: string[] = [];
  const date = record.localDate ?? record.date.slice(0, 10);
  lines.push(`${date} · ${record.activityName ?? record.workoutType}`);
  const kind = record.sessionType && record.sessionType !== record.workoutType ? `${record.workoutType} · ${record.sessionType}` : record.workoutType;
  lines.push(opts.sessionReason ? `${kind} (${opts.sessionReason})` : kind);

  const basics: string[] = [];
  if (record.distance !== null) basics.push(`${record.distance} km`);
  if (record.movingTime !== null) basics.push(formatDuration(record.movingTime));
  if (record.pace !== null && family === 'swim') basics.push(`${formatPace(record.pace)}/100m`);
  else if (record.pace !== null) basics.push(`${formatPace(record.pace)}/km`);
  else if (record.speed !== null) basics.push(`${fmt1(record.speed)} km/h`);
  if (basics.length) lines.push(basics.join(' · '));

  if (record.avgHr !== null || record.maxHr !== null) {
    const parts = [record.avgHr !== null ? `${record.avgHr} ${t.avg}` : null, record.maxHr !== null ? `${record.maxHr} ${t.max}` : null];
    lines.push(`${t.hr} ${parts.filter(Boolean).join(' / ')}`);
  }
  const effort = [record.load !== null ? `${t.load} ${record.load}` : null, record.intensity ? `${t.intensity} ${record.intensity}` : null].filter(Boolean);
  if (effort.length) lines.push(effort.join(' · '));

  if (record.intervalSummary) {
    const s = record.intervalSummary;
    lines.push(s.recovery ? `${t.mainSet}: ${s.work}, ${t.recovery} ${s.recovery}` : `${t.mainSet}: ${s.work}`);
  }
  const c = record.classification;
  // Settings that have been off the athlete's own running for two weeks: say so, with both paces.
  if (c?.staleSettings && c.settingsThresholdPace && c.thresholdPace) lines.push(t.staleThreshold(c.settingsThresholdPace, c.thresholdPace));
  if (record.provisional) lines.push(t.fitnessPending);
  else if (record.fitness !== null && record.fatigue !== null) {
    const form = record.form ?? record.fitness - record.fatigue;
    lines.push(`${t.fitness} ${fmt1(record.fitness)} · ${t.fatigue} ${fmt1(record.fatigue)} · ${t.form} ${signed(form)}`);
  }
  lines.push(record.intervalsUrl);
  return lines.join('\n');
}

/** The announcement in English (kept for callers that have no locale). */
export function formatWorkoutMessage(record: WorkoutRecord): string {
  return formatWorkoutCard(record);
}

/** Short name of a workout for bot sentences: "Morning Run (2026-04-06)". */
export function workoutLabel(record: Pick<WorkoutRecord, 'activityName' | 'workoutType' | 'localDate' | 'date'>): string {
  return `"${record.activityName ?? record.workoutType}" (${record.localDate ?? record.date.slice(0, 10)})`;
}

/** The day's plan for /today and the morning reminder; null when nothing is planned. */
export function formatPlannedDay(items: PlannedItem[], header: string): string | null {
  if (items.length === 0) return null;
  const lines = [header];
  for (const e of items) {
    const facts = [
      e.type,
      e.movingTime ? formatDuration(e.movingTime) : null,
      e.distanceKm ? `${fmt1(Math.round(e.distanceKm * 10) / 10)} km` : null,
    ].filter(Boolean);
    lines.push(`• ${e.name ?? e.category}${facts.length ? ` — ${facts.join(' · ')}` : ''}`);
    if (e.description) lines.push(...e.description.split('\n').slice(0, 8).map((l) => `   ${l}`));
  }
  return lines.join('\n').slice(0, 4000);
}
