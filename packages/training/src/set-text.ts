import type { ReasonSet } from '@splits/contracts';
import type { IntervalSummary } from './interval-summary.js';
import { formatRepDistance, formatRepTime } from './interval-summary.js';
import type { Locale } from './telegram-catalog.js';

/** Russian plural: 1 повтор, 2 повтора, 5 повторов (one, few, many). */
export function ruPlural(n: number, one: string, few: string, many: string): string {
  const m10 = n % 10;
  const m100 = n % 100;
  if (m10 === 1 && m100 !== 11) return one;
  if (m10 >= 2 && m10 <= 4 && (m100 < 12 || m100 > 14)) return few;
  return many;
}

/**
 * A set's work in words: "4 x 8 min", "6 x 400 m", "5 x 2–4 min", "30 min continuous",
 * "3 x 20 s strides", "5 reps" (ru: "4 × 8 мин", "6 × 400 м", "30 мин непрерывно", "3 ускорения по 20 с", "5 повторов").
 * The English text is the interval summary's (classify/structure.ts builds it with this function).
 */
export function formatSetWork(set: ReasonSet, locale: Locale): string {
  const rt = (s: number) => formatRepTime(s, locale);
  const x = locale === 'ru' ? '×' : 'x';
  const n = set.reps;
  switch (set.kind) {
    case 'count':
      return locale === 'ru' ? `${n} ${ruPlural(n, 'повтор', 'повтора', 'повторов')}` : `${n} reps`;
    case 'continuous':
      return locale === 'ru' ? `${rt(set.secs ?? 0)} непрерывно` : `${rt(set.secs ?? 0)} continuous`;
    case 'strides':
      return locale === 'ru' ? `${n} ${ruPlural(n, 'ускорение', 'ускорения', 'ускорений')} по ${rt(set.secs ?? 0)}` : `${n} x ${rt(set.secs ?? 0)} strides`;
    case 'reps':
      if (set.meters !== null) return `${n} ${x} ${formatRepDistance(set.meters, locale)}`;
      if (set.secsMax !== null) return `${n} ${x} ${rt(set.secs ?? 0)}–${rt(set.secsMax)}`;
      return `${n} ${x} ${rt(set.secs ?? 0)}`;
  }
}

const RU_HOW: Record<NonNullable<ReasonSet['recHow']>, string> = { jog: 'трусцой', walk: 'шагом', rest: 'отдыха', easy: 'легко', recovery: 'восстановления' };

/** The recovery between reps: "3 min jog", "90 s walk" (ru: "3 мин трусцой"); null when none. */
export function formatSetRecovery(set: ReasonSet, locale: Locale): string | null {
  if (set.recSecs === null || set.recHow === null) return null;
  return `${formatRepTime(set.recSecs, locale)} ${locale === 'ru' ? RU_HOW[set.recHow] : set.recHow}`;
}

const TIME = String.raw`(\d+) s|(\d+) min|(\d+):(\d\d) min`;
const timeOf = (m: RegExpExecArray, at: number): number =>
  m[at] !== undefined ? Number(m[at]) : m[at + 1] !== undefined ? Number(m[at + 1]) * 60 : Number(m[at + 2]) * 60 + Number(m[at + 3]);

/**
 * The set an interval summary states, read back from its English text (formatSetWork /
 * summariseStructure wrote it), so a stored summary can be shown in another language; null when the
 * text is not in that form.
 */
export function parseIntervalSummary(summary: IntervalSummary): ReasonSet | null {
  const set: ReasonSet = { kind: 'reps', reps: 0, secs: null, secsMax: null, meters: null, recSecs: null, recHow: null };
  const w = summary.work;
  let m: RegExpExecArray | null;
  if ((m = new RegExp(`^(\\d+) x (?:${TIME}) strides$`).exec(w))) Object.assign(set, { kind: 'strides', reps: Number(m[1]), secs: timeOf(m, 2) });
  else if ((m = new RegExp(`^(?:${TIME}) continuous$`).exec(w))) Object.assign(set, { kind: 'continuous', reps: 1, secs: timeOf(m, 1) });
  else if ((m = new RegExp(`^(\\d+) x (?:${TIME})–(?:${TIME})$`).exec(w))) Object.assign(set, { reps: Number(m[1]), secs: timeOf(m, 2), secsMax: timeOf(m, 6) });
  else if ((m = /^(\d+) x (\d+) m$/.exec(w))) Object.assign(set, { reps: Number(m[1]), meters: Number(m[2]) });
  else if ((m = new RegExp(`^(\\d+) x (?:${TIME})$`).exec(w))) Object.assign(set, { reps: Number(m[1]), secs: timeOf(m, 2) });
  else if ((m = /^(\d+) reps$/.exec(w))) Object.assign(set, { kind: 'count', reps: Number(m[1]) });
  else return null;
  if (summary.recovery) {
    const r = new RegExp(`^(?:${TIME}) (jog|walk|rest|easy|recovery)$`).exec(summary.recovery);
    if (!r) return null;
    set.recSecs = timeOf(r, 1);
    set.recHow = r[5] as ReasonSet['recHow'];
  }
  return set;
}
