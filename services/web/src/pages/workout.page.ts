import type { FastifyRequest } from 'fastify';
import type { WorkoutRecord } from '@splits/contracts';
import type { EvidenceLine } from '@splits/training';
import { csrfField } from '../context.js';
import { DASH, duration, fixed, paceOrSpeed, whole } from '../format.js';
import { html, type Html } from '../html.js';
import type { Texts } from '../i18n.js';

export interface ReportRevisionView {
  revision: number;
  text: string;
  source: string;
  writeback_status: string;
  writeback_error: string | null;
  created_at: Date;
}

export function reportStateLabel(t: Texts, status: string): string {
  return status === 'written' ? t.report.saved : status === 'failed' ? t.report.failed : status === 'superseded' ? t.report.superseded : t.report.saving;
}

const stat = (label: string, value: string | Html) => html`<div><dt>${label}</dt><dd>${value}</dd></div>`;

function zoneBars(title: string, times: number[] | null | undefined, labels?: (i: number) => string): Html {
  if (!times?.length || times.every((s) => !s)) return html``;
  const max = Math.max(...times);
  return html`<section aria-label="${title}"><h2>${title}</h2>${times.map(
    (s, i) => html`<div class="zone"><span>${labels ? labels(i) : `Z${i + 1}`}</span><span class="bar" style="width:${((s / max) * 100).toFixed(1)}%" role="img" aria-label="Z${i + 1}: ${duration(s)}"></span><span class="num">${duration(s)}</span></div>`,
  )}</section>`;
}

function intervalsTable(t: Texts, r: WorkoutRecord): Html {
  const list = r.intervals ?? [];
  if (!list.length) return html``;
  return html`<section aria-labelledby="laps"><h2 id="laps">${t.workout.intervals}</h2><div class="scroll"><table>
<thead><tr><th scope="col">${t.workout.lap}</th><th scope="col">${t.workout.roleHeader}</th><th scope="col" class="num">${t.history.time}</th><th scope="col" class="num">${t.history.distance}</th><th scope="col" class="num">${t.history.pace}</th><th scope="col" class="num">${t.workout.hr}</th></tr></thead>
<tbody>${list.map(
    (i) => html`<tr class="${i.role ?? ''}"><td>${i.name}</td><td>${i.role ? (t.workout.role[i.role] ?? i.role) : (i.type ?? '')}</td><td class="num">${duration(i.moving_time)}</td>
<td class="num">${i.distance === null ? DASH : `${fixed(i.distance / 1000, 2)}`}</td><td class="num">${i.pace ?? (i.avg_watts !== null ? `${i.avg_watts} W` : DASH)}</td><td class="num">${whole(i.avg_hr)}</td></tr>`,
  )}</tbody></table></div></section>`;
}

function reportEditor(t: Texts, req: FastifyRequest, r: WorkoutRecord, reports: ReportRevisionView[], flash: { saved?: string; error?: string }): Html {
  const latest = reports[0];
  const status = latest?.writeback_status ?? null;
  return html`<section id="report" aria-labelledby="report-h"><h2 id="report-h">${t.report.title}</h2>
${flash.saved ? html`<p class="notice" role="status">${flash.saved === 'later' ? t.report.savedLater : t.report.savedFlash}</p>` : ''}
${flash.error ? html`<p class="error" role="alert">${flash.error === 'long' ? t.report.tooLong(4000) : t.report.empty}</p>` : ''}
${latest ? html`<p>${t.report.revision(latest.revision)}: <span class="state ${status ?? ''}" data-status="${status ?? ''}" data-report-state="/workouts/${r.id}/report/state" role="status">${reportStateLabel(t, status ?? 'pending')}</span></p>
<form method="post" action="/workouts/${r.id}/report/restore" data-retry ${status === 'failed' ? '' : 'hidden'}>${csrfField(req)}<input type="hidden" name="revision" value="${latest.revision}"><button type="submit" class="secondary">${t.report.retry}</button></form>` : ''}
<form method="post" action="/workouts/${r.id}/report">${csrfField(req)}
<label for="report-text">${t.report.title}</label><textarea id="report-text" name="text" maxlength="4000" placeholder="${t.report.placeholder}">${latest?.text ?? ''}</textarea>
<button type="submit">${t.report.save}</button></form>
${reports.length > 1 ? html`<details><summary>${t.report.history} (${reports.length})</summary>${reports.map(
    (rev) => html`<div class="card"><p class="muted">${t.report.revision(rev.revision)} · ${rev.source} · ${rev.created_at.toISOString().slice(0, 16).replace('T', ' ')} · ${reportStateLabel(t, rev.writeback_status)}</p>
<p>${rev.text}</p>${rev.revision !== latest?.revision ? html`<form method="post" action="/workouts/${r.id}/report/restore">${csrfField(req)}<input type="hidden" name="revision" value="${rev.revision}"><button type="submit" class="secondary">${t.report.restore}</button></form>` : ''}</div>`,
  )}</details>` : ''}</section>`;
}

export function workoutPage(t: Texts, req: FastifyRequest, d: { record: WorkoutRecord; reports: ReportRevisionView[]; evidence: EvidenceLine[]; flash: { saved?: string; error?: string } }): Html {
  const r = d.record;
  const c = r.classification;
  const paceZones = (r.sportMetrics as { paceZoneTimes?: number[] } | null)?.paceZoneTimes;
  return html`<p class="muted">${r.localDate ?? ''} · ${r.workoutType} · <strong>${r.sessionType}</strong>${r.intensity ? ` · ${r.intensity}` : ''}</p>
${r.provisional ? html`<p class="notice">${t.workout.provisional}</p>` : ''}
<dl class="stats">${stat(t.history.distance, r.distance === null ? DASH : `${fixed(r.distance, 2)} ${t.units.km}`)}${stat(t.history.time, duration(r.movingTime))}
${stat(t.history.pace, paceOrSpeed(r, t))}${stat(t.workout.avgHr, whole(r.avgHr))}${stat(t.workout.maxHr, whole(r.maxHr))}${stat(t.history.load, whole(r.load))}
${stat(t.workout.elevation, r.elevationGain === null ? DASH : `${whole(r.elevationGain)} ${t.units.m}`)}${stat(t.today.fitness, fixed(r.fitness))}${stat(t.today.fatigue, fixed(r.fatigue))}${stat(t.today.form, fixed(r.form))}
${r.vdot !== null ? stat('VDOT', fixed(r.vdot)) : ''}</dl>
${c ? html`<section aria-labelledby="why"><h2 id="why">${t.workout.reason}</h2><p>${c.reason}</p>${c.thresholdPace ? html`<p class="muted">${c.thresholdPace}${c.thresholdSource ? ` (${c.thresholdSource})` : ''}${c.settingsThresholdPace ? ` · Intervals.icu: ${c.settingsThresholdPace}` : ''}</p>` : ''}</section>` : ''}
<section aria-labelledby="chart-h"><h2 id="chart-h">${t.workout.chart}</h2><p class="muted">${t.workout.chartNote}</p>
<div class="chart" data-series="/workouts/${r.id}/series.json" data-pace-label="${t.history.pace}" data-speed-label="${t.units.kmh}" data-hr-label="${t.workout.hr}" data-alt-label="${t.workout.elevation}"></div></section>
${intervalsTable(t, r)}
${zoneBars(t.workout.zones, r.hrZoneTimes, r.hrZones ? (i) => `≤${r.hrZones![i] ?? ''}` : undefined)}
${zoneBars(t.workout.paceZones, paceZones)}
${r.splitsKm?.length ? html`<section aria-labelledby="splits"><h2 id="splits">${t.workout.splits}</h2><div class="scroll"><table><thead><tr><th scope="col">km</th><th scope="col" class="num">${t.history.pace}</th><th scope="col" class="num">${t.workout.hr}</th></tr></thead>
<tbody>${r.splitsKm.map((s) => html`<tr><td>${s.km}</td><td class="num">${s.pace}</td><td class="num">${whole(s.avgHr ?? null)}</td></tr>`)}</tbody></table></div></section>` : ''}
${r.wellness ? html`<section aria-labelledby="wellness"><h2 id="wellness">${t.workout.wellness}</h2><dl class="stats">${stat(t.workout.hrv, whole(r.wellness.hrv))}${stat(t.workout.restingHr, whole(r.wellness.restingHr))}${stat(t.workout.sleep, r.wellness.sleepHours === null ? DASH : `${fixed(r.wellness.sleepHours)} ${t.units.h}`)}</dl></section>` : ''}
${r.planned ? html`<section aria-labelledby="planned"><h2 id="planned">${t.workout.planned}</h2><dl class="stats">${stat(t.goals.name, r.planned.name ?? DASH)}${stat(t.workout.compliance, r.planned.compliance === null ? DASH : `${whole(r.planned.compliance)} %`)}
${stat(t.history.time, `${duration(r.planned.movingTime)} / ${duration(r.movingTime)}`)}${stat(t.history.distance, `${fixed(r.planned.distance)} / ${fixed(r.distance)} ${t.units.km}`)}${stat(t.history.load, `${whole(r.planned.load)} / ${whole(r.load)}`)}</dl></section>` : ''}
${d.evidence.length ? html`<section aria-labelledby="vdot"><h2 id="vdot">${t.workout.vdot}</h2>${d.evidence.map((e) => html`<p>VDOT ${fixed(e.vdot)} · ${e.kind} · ${fixed(e.distance, 2)} ${t.units.km} · ${e.time} · ${e.pace}${e.block ? ` · ${e.block}` : ''}</p>`)}</section>` : ''}
<p><a href="${r.intervalsUrl}" rel="noopener noreferrer">${t.workout.openIntervals}</a></p>
${reportEditor(t, req, r, d.reports, d.flash)}`;
}
