import type { Lang, Texts } from './i18n.js';

/** Numbers and dates as the athlete reads them; null (unknown) is a dash, never a made-up value. */
export const DASH = '–';

export function duration(s: number | null | undefined): string {
  if (s === null || s === undefined || !Number.isFinite(s)) return DASH;
  const t = Math.round(s);
  const h = Math.floor(t / 3600);
  const m = Math.floor((t % 3600) / 60);
  const sec = t % 60;
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${String(sec).padStart(2, '0')}` : `${m}:${String(sec).padStart(2, '0')}`;
}

/** min per unit as a decimal (4.92) → "4:55". */
export function paceText(min: number | null | undefined): string {
  if (min === null || min === undefined || !Number.isFinite(min) || min <= 0) return DASH;
  let m = Math.floor(min);
  let s = Math.round((min - m) * 60);
  if (s === 60) {
    m += 1;
    s = 0;
  }
  return `${m}:${String(s).padStart(2, '0')}`;
}

export const fixed = (v: number | null | undefined, digits = 1) => (v === null || v === undefined || !Number.isFinite(v) ? DASH : v.toFixed(digits));
export const whole = (v: number | null | undefined) => fixed(v, 0);

/** The workout's pace or speed in its sport's unit. */
export function paceOrSpeed(w: { workoutType: string; pace: number | null; speed: number | null }, t: Texts): string {
  if (w.pace !== null && /Swim/.test(w.workoutType)) return `${paceText(w.pace)}${t.units.per100m}`;
  if (w.pace !== null) return `${paceText(w.pace)}${t.units.perKm}`;
  if (w.speed !== null) return `${fixed(w.speed)} ${t.units.kmh}`;
  return DASH;
}

export function dayText(date: string | Date | null, lang: Lang, tz = 'UTC'): string {
  if (!date) return DASH;
  const d = typeof date === 'string' ? new Date(date.length === 10 ? `${date}T12:00:00Z` : date) : date;
  if (Number.isNaN(d.getTime())) return DASH;
  return new Intl.DateTimeFormat(lang === 'ru' ? 'ru-RU' : 'en-GB', { weekday: 'short', day: 'numeric', month: 'short', year: 'numeric', timeZone: typeof date === 'string' && date.length === 10 ? 'UTC' : tz }).format(d);
}
