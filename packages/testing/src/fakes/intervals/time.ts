/** Wall-clock helpers: Intervals.icu mixes UTC instants, local wall-clock strings and dates. */

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(tz: string): Intl.DateTimeFormat {
  let f = formatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', {
      timeZone: tz,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(tz, f);
  }
  return f;
}

/** `2026-04-16T09:02:09` in `tz` for the instant. */
export function localIso(at: Date, tz: string): string {
  const parts: Record<string, string> = {};
  for (const p of formatter(tz).formatToParts(at)) parts[p.type] = p.value;
  return `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}:${parts.second}`;
}

export function localDate(at: Date, tz: string): string {
  return localIso(at, tz).slice(0, 10);
}

/** The UTC instant at which the wall clock in `tz` shows `local` (`YYYY-MM-DDTHH:mm:ss`). */
export function zonedToUtc(local: string, tz: string): Date {
  const asUtc = Date.parse(`${local}Z`);
  let guess = asUtc;
  for (let i = 0; i < 2; i++) {
    const offset = Date.parse(`${localIso(new Date(guess), tz)}Z`) - guess;
    guess = asUtc - offset;
  }
  return new Date(guess);
}

/** `2026-04-16T07:02:09Z` (start_date style, whole seconds). */
export function utcIso(at: Date): string {
  return `${at.toISOString().slice(0, 19)}Z`;
}

/** `2026-04-16T06:37:40.111+00:00` (analyzed/created/timestamp style). */
export function offsetIso(at: Date): string {
  return at.toISOString().replace('Z', '+00:00');
}

export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/** `8m2s`, `48s`, `1h2m` as in Intervals.icu's interval_summary. */
export function shortDuration(secs: number): string {
  const s = Math.round(secs);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const r = s % 60;
  if (h) return `${h}h${m ? `${m}m` : ''}${r ? `${r}s` : ''}`;
  if (m) return `${m}m${r ? `${r}s` : ''}`;
  return `${r}s`;
}
