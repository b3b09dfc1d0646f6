import type { WorkoutListRow } from '@splits/db';
import { addDays, isoWeekStart } from '@splits/training';
import { DASH, duration, fixed, paceOrSpeed, whole } from '../format.js';
import { html, type Html } from '../html.js';
import type { Texts } from '../i18n.js';

export interface WeekVolume {
  week: string;
  /** km by session type */
  byType: Record<string, number>;
  total: number;
}

const COLORS: Record<string, string> = {
  Easy: '#7fb3e6', Recovery: '#b8d8f2', Long: '#2f6fb0', Threshold: '#e08a2e', Interval: '#c8442c', Repetition: '#8e2a6b', Race: '#1b1f24',
  Unclassified: '#9aa4ae', Ride: '#3a9a5b', Swim: '#31a3a3',
};
export const colorOf = (type: string) => COLORS[type] ?? '#c9b458';

/** Days → ISO weeks (Monday first), `weeks` of them from `firstWeek`, every week present even when empty. */
export function weeklyVolume(days: readonly { local_date: string | null; session_type: string; distance: number }[], firstWeek: string, weeks: number): WeekVolume[] {
  const out: WeekVolume[] = Array.from({ length: weeks }, (_, i) => ({ week: addDays(firstWeek, i * 7), byType: {}, total: 0 }));
  const index = new Map(out.map((w, i) => [w.week, i]));
  for (const d of days) {
    if (!d.local_date) continue;
    const i = index.get(isoWeekStart(d.local_date));
    if (i === undefined) continue;
    const w = out[i]!;
    w.byType[d.session_type] = (w.byType[d.session_type] ?? 0) + Number(d.distance);
    w.total += Number(d.distance);
  }
  return out;
}

function volumeBars(t: Texts, weeks: WeekVolume[]): Html {
  const max = Math.max(1, ...weeks.map((w) => w.total));
  const types = [...new Set(weeks.flatMap((w) => Object.keys(w.byType)))].sort();
  return html`<figure><figcaption>${t.history.weekly}</figcaption>
<ul class="bars">${weeks.map((w) => html`<li title="${w.week}: ${fixed(w.total)} ${t.units.km}" aria-label="${w.week}: ${fixed(w.total)} ${t.units.km}">${types
    .filter((ty) => w.byType[ty])
    .map((ty) => html`<span style="height:${((w.byType[ty]! / max) * 100).toFixed(1)}%;background:${colorOf(ty)}"></span>`)}</li>`)}</ul>
<ul class="legend">${types.map((ty) => html`<li><i style="background:${colorOf(ty)}"></i>${ty}</li>`)}</ul></figure>`;
}

export function historyRows(t: Texts, rows: WorkoutListRow[]): Html {
  return html`<div class="scroll"><table><thead><tr><th scope="col">${t.history.date}</th><th scope="col">${t.history.session}</th><th scope="col" class="num">${t.history.distance}</th><th scope="col" class="num">${t.history.time}</th><th scope="col" class="num">${t.history.pace}</th><th scope="col" class="num">${t.history.load}</th></tr></thead>
<tbody>${rows.map((w) => html`<tr><td>${w.localDate ?? DASH}</td><td><a href="/workouts/${w.id}">${w.name ?? w.workoutType}</a><br><span class="muted">${w.sessionType}</span></td>
<td class="num">${w.distance === null ? DASH : fixed(w.distance, 2)}</td><td class="num">${duration(w.movingTime)}</td><td class="num">${paceOrSpeed(w, t)}</td><td class="num">${whole(w.load)}</td></tr>`)}</tbody></table></div>`;
}

export function historyPage(
  t: Texts,
  d: { rows: WorkoutListRow[]; hasMore: boolean; types: string[]; weeks: WeekVolume[]; query: { type?: string; from?: string; to?: string; page: number } },
): Html {
  const q = d.query;
  const link = (page: number) => {
    const p = new URLSearchParams();
    if (q.type) p.set('type', q.type);
    if (q.from) p.set('from', q.from);
    if (q.to) p.set('to', q.to);
    if (page) p.set('page', String(page));
    const s = p.toString();
    return `/history${s ? `?${s}` : ''}`;
  };
  return html`${volumeBars(t, d.weeks)}
<form method="get" action="/history" class="row card" role="search">
<div><label for="f-type">${t.history.type}</label><select id="f-type" name="type"><option value="">${t.history.all}</option>${d.types.map(
    (ty) => html`<option value="${ty}"${q.type === ty ? html` selected` : ''}>${ty}</option>`,
  )}</select></div>
<div><label for="f-from">${t.history.from}</label><input type="date" id="f-from" name="from" value="${q.from ?? ''}"></div>
<div><label for="f-to">${t.history.to}</label><input type="date" id="f-to" name="to" value="${q.to ?? ''}"></div>
<button type="submit">${t.history.filter}</button></form>
${d.rows.length ? historyRows(t, d.rows) : html`<p>${t.history.none}</p>`}
<nav class="pager" aria-label="${t.history.title}">${q.page > 0 ? html`<a href="${link(q.page - 1)}" rel="prev">← ${t.history.newer}</a>` : html`<span></span>`}${d.hasMore ? html`<a href="${link(q.page + 1)}" rel="next">${t.history.older} →</a>` : ''}</nav>`;
}
