import { DASH, fixed } from '../format.js';
import { html, jsonScript, type Html } from '../html.js';
import type { Texts } from '../i18n.js';
import { colorOf, type WeekVolume } from './history.page.js';

export interface RunningView {
  vdot: number | null;
  paces: Record<string, string> | null;
  threshold?: { pace: string | null; source: string | null; settingsPace: string | null; settingsGapPct: number | null; staleSettings: boolean };
}

interface LineChart {
  x: number[];
  series: { label: string; color: string; values: (number | null)[] }[];
}

const numOf = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? Math.round(v * 10) / 10 : null);

/** Intervals.icu's daily fitness (ctl), fatigue (atl) and form from the wellness rows, for a uPlot line chart. */
export function fitnessSeries(t: Texts, days: readonly { date: string; data: unknown }[]): LineChart {
  const x: number[] = [];
  const ctl: (number | null)[] = [];
  const atl: (number | null)[] = [];
  const form: (number | null)[] = [];
  for (const d of days) {
    const w = (d.data ?? {}) as { ctl?: unknown; atl?: unknown };
    const c = numOf(w.ctl);
    const a = numOf(w.atl);
    if (c === null && a === null) continue;
    x.push(Date.parse(`${d.date}T12:00:00Z`) / 1000);
    ctl.push(c);
    atl.push(a);
    form.push(c !== null && a !== null ? Math.round((c - a) * 10) / 10 : null);
  }
  return {
    x,
    series: [
      { label: t.today.fitness, color: '#0b5cad', values: ctl },
      { label: t.today.fatigue, color: '#b3261e', values: atl },
      { label: t.today.form, color: '#116329', values: form },
    ],
  };
}

export function trendsPage(t: Texts, d: { fitness: LineChart; weeks: WeekVolume[]; running: RunningView | null }): Html {
  const max = Math.max(1, ...d.weeks.map((w) => w.total));
  const types = [...new Set(d.weeks.flatMap((w) => Object.keys(w.byType)))].sort();
  const th = d.running?.threshold;
  return html`<section aria-labelledby="fit"><h2 id="fit">${t.today.condition}</h2>${jsonScript('fitness-data', d.fitness)}
<div class="chart" data-line-chart data-json="fitness-data" role="img" aria-label="${t.today.condition}"></div></section>
<section aria-labelledby="vol"><h2 id="vol">${t.history.weekly.replace('26', '52')}</h2><ul class="bars">${d.weeks.map(
    (w) => html`<li title="${w.week}: ${fixed(w.total)}" aria-label="${w.week}: ${fixed(w.total)} ${t.units.km}">${types.filter((ty) => w.byType[ty]).map((ty) => html`<span style="height:${((w.byType[ty]! / max) * 100).toFixed(1)}%;background:${colorOf(ty)}"></span>`)}</li>`,
  )}</ul><ul class="legend">${types.map((ty) => html`<li><i style="background:${colorOf(ty)}"></i>${ty}</li>`)}</ul></section>
<section aria-labelledby="run"><h2 id="run">VDOT</h2>
<dl class="stats"><div><dt>VDOT</dt><dd>${fixed(d.running?.vdot ?? null)}</dd></div>
<div><dt>Threshold</dt><dd>${th?.pace ?? DASH}</dd></div><div><dt>Intervals.icu</dt><dd>${th?.settingsPace ?? DASH}</dd></div>
<div><dt>Δ %</dt><dd>${fixed(th?.settingsGapPct ?? null)}</dd></div></dl>
${d.running?.paces ? html`<table><thead><tr><th scope="col">Daniels</th><th scope="col">${t.history.pace}</th></tr></thead><tbody>${Object.entries(d.running.paces).map(([k, v]) => html`<tr><td>${k}</td><td>${v}</td></tr>`)}</tbody></table>` : ''}</section>`;
}
