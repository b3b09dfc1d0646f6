import { sessionReasonOf, type StoredClassification, type WorkoutRecord } from '@splits/contracts';
import { eventCategoryName, intensityWord, sessionTypeName, sportName } from './card-words.js';
import { renderReason } from './reason-text.js';
import { formatSetRecovery, formatSetWork, parseIntervalSummary } from './set-text.js';
import { texts, type Locale, type PlannedItem } from './telegram-catalog.js';
import { formatDuration, formatPace, sportFamily } from './units.js';

/** One decimal always ("74.0", not "74"), in the locale's separator. */
const fixed1 = (v: number, locale: Locale) => v.toFixed(1).replace('.', texts(locale).decimal);
/** Signed with a true minus: "+3.2", "−14.0". */
const signed1 = (v: number, locale: Locale) => `${v > 0 ? '+' : v < 0 ? '−' : ''}${fixed1(Math.abs(v), locale)}`;
/** A number as the record gives it (km to 2 decimals), in the locale's separator. */
const plain = (v: number, locale: Locale) => String(v).replace('.', texts(locale).decimal);

/** The reason on the card: one short line. */
export const CARD_REASON_MAX = 80;

export interface CardOptions {
  locale?: Locale;
}

/**
 * Why the classifier chose the session type, in the athlete's language, in one short line; null
 * for a plain sport type or when there is nothing to say in that language (a classification
 * stored before reasons had codes carries English words only). The language model's own words are
 * English: an English card shows them, another language says the model decided.
 */
export function cardReason(record: Pick<WorkoutRecord, 'sessionType' | 'workoutType' | 'classification'>, locale: Locale): string | null {
  const c = record.classification as StoredClassification | null | undefined;
  if (!c || record.sessionType === record.workoutType) return null;
  const why = sessionReasonOf(c);
  const text = why && !(why.code === 'llm' && locale === 'en') ? renderReason(why, locale, { brief: true }) : locale === 'en' ? c.reason : null;
  return text ? oneLine(text.charAt(0).toUpperCase() + text.slice(1), CARD_REASON_MAX) : null;
}

/** At most `max` characters, cut at a word with an ellipsis. */
function oneLine(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (flat.length <= max) return flat;
  const cut = flat.slice(0, max - 1);
  const space = cut.lastIndexOf(' ');
  return `${(space > max / 2 ? cut.slice(0, space) : cut).replace(/[\s,;:(–-]+$/, '')}…`;
}

/** The main set in the athlete's language ("4 x 8 min, recovery 3 min jog" / "4 × 8 мин, между повторами 3 мин трусцой"). */
function mainSetLine(summary: NonNullable<WorkoutRecord['intervalSummary']>, locale: Locale): string {
  const t = texts(locale);
  const set = parseIntervalSummary(summary);
  const work = set ? formatSetWork(set, locale) : summary.work;
  const recovery = set ? formatSetRecovery(set, locale) : summary.recovery;
  return recovery ? `${t.mainSet}: ${work}, ${t.recovery} ${recovery}` : `${t.mainSet}: ${work}`;
}

/**
 * The Telegram card of a workout: plain text, one fact per line, only lines with values (a value
 * the source did not give is left out, never invented), every word in the athlete's language. The
 * Intervals.icu link is the card's button, not a line. Fits a photo caption (≤ 1024 characters).
 */
export function formatWorkoutCard(record: WorkoutRecord, opts: CardOptions = {}): string {
  const locale = opts.locale ?? 'en';
  const t = texts(locale);
  const family = sportFamily(record.workoutType);
  const lines: string[] = [];
  const date = record.localDate ?? record.date.slice(0, 10);
  const sport = sportName(record.workoutType, locale);
  lines.push(`${date} · ${record.activityName ?? sport}`);
  lines.push(record.sessionType && record.sessionType !== record.workoutType ? `${sport} · ${sessionTypeName(record.sessionType, locale)}` : sport);
  const reason = cardReason(record, locale);
  if (reason) lines.push(reason);

  const basics: string[] = [];
  if (record.distance !== null) basics.push(`${plain(record.distance, locale)} ${t.km}`);
  if (record.movingTime !== null) basics.push(formatDuration(record.movingTime));
  if (record.pace !== null && family === 'swim') basics.push(`${formatPace(record.pace)}${t.per100m}`);
  else if (record.pace !== null) basics.push(`${formatPace(record.pace)}${t.perKm}`);
  else if (record.speed !== null) basics.push(`${fixed1(record.speed, locale)} ${t.kmh}`);
  if (basics.length) lines.push(basics.join(' · '));

  if (record.avgHr !== null || record.maxHr !== null) {
    const parts = [record.avgHr !== null ? `${record.avgHr} ${t.avg}` : null, record.maxHr !== null ? `${record.maxHr} ${t.max}` : null];
    lines.push(`${t.hr} ${parts.filter(Boolean).join(' / ')}`);
  }
  const effort = [record.load !== null ? `${t.load} ${record.load}` : null, record.intensity ? `${t.intensity} ${intensityWord(record.intensity, locale)}` : null].filter(Boolean);
  if (effort.length) lines.push(effort.join(' · '));

  if (record.intervalSummary) lines.push(mainSetLine(record.intervalSummary, locale));
  const c = record.classification;
  // Settings that have been off the athlete's own running for two weeks: say so, with both paces.
  if (c?.staleSettings && c.settingsThresholdPace && c.thresholdPace) lines.push(t.staleThreshold(c.settingsThresholdPace, c.thresholdPace));
  if (record.provisional) lines.push(t.fitnessPending);
  else if (record.fitness !== null && record.fatigue !== null) {
    const form = record.form ?? record.fitness - record.fatigue;
    lines.push(`${t.fitness} ${fixed1(record.fitness, locale)} · ${t.fatigue} ${fixed1(record.fatigue, locale)} · ${t.form} ${signed1(form, locale)}`);
  }
  return lines.join('\n');
}

/** The announcement in English (kept for callers that have no locale). */
export function formatWorkoutMessage(record: WorkoutRecord): string {
  return formatWorkoutCard(record);
}

/** Short name of a workout for bot sentences: "Morning Run (2026-04-06)". */
export function workoutLabel(record: Pick<WorkoutRecord, 'activityName' | 'workoutType' | 'localDate' | 'date'>, locale: Locale = 'en'): string {
  const name = record.activityName ?? sportName(record.workoutType, locale);
  return locale === 'ru' ? `«${name}» (${record.localDate ?? record.date.slice(0, 10)})` : `"${name}" (${record.localDate ?? record.date.slice(0, 10)})`;
}

/** The day's plan for /today and the morning reminder; null when nothing is planned. */
export function formatPlannedDay(items: PlannedItem[], header: string, locale: Locale = 'en'): string | null {
  if (items.length === 0) return null;
  const lines = [header];
  for (const e of items) {
    const facts = [
      e.type ? sportName(e.type, locale) : null,
      e.movingTime ? formatDuration(e.movingTime) : null,
      e.distanceKm ? `${plain(Math.round(e.distanceKm * 10) / 10, locale)} ${texts(locale).km}` : null,
    ].filter(Boolean);
    lines.push(`• ${e.name ?? eventCategoryName(e.category, locale)}${facts.length ? ` — ${facts.join(' · ')}` : ''}`);
    if (e.description) lines.push(...e.description.split('\n').slice(0, 8).map((l) => `   ${l}`));
  }
  return lines.join('\n').slice(0, 4000);
}
