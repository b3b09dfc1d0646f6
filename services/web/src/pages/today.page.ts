import type { FastifyRequest } from 'fastify';
import type { ReminderSetting, WorkoutListRow } from '@splits/db';
import { csrfField, type View } from '../context.js';
import { DASH, duration, fixed, paceOrSpeed, whole } from '../format.js';
import { html, type Html } from '../html.js';
import type { Texts } from '../i18n.js';

/** The parts of the stored summary document Today reads (the document is built by the summary-worker). */
export interface SummaryView {
  condition?: { fitness: number | null; fatigue: number | null; form: number | null; flags: { code: string; message: string }[] };
  running?: { threshold?: { pace: string | null; settingsPace: string | null; staleSettings: boolean } };
}

interface PlannedRow {
  name: string | null;
  type: string | null;
  category: string;
  moving_time: number | null;
  distance: number | null;
  description: string | null;
}

export function workoutCard(t: Texts, w: WorkoutListRow): Html {
  return html`<div class="card"><p><a href="/workouts/${w.id}"><strong>${w.name ?? w.workoutType}</strong></a> · ${w.sessionType} · ${w.localDate ?? ''}</p>
<dl class="stats"><div><dt>${t.history.distance}</dt><dd>${w.distance === null ? DASH : `${fixed(w.distance, 2)} ${t.units.km}`}</dd></div>
<div><dt>${t.history.time}</dt><dd>${duration(w.movingTime)}</dd></div><div><dt>${t.history.pace}</dt><dd>${paceOrSpeed(w, t)}</dd></div>
<div><dt>${t.workout.avgHr}</dt><dd>${whole(w.avgHr)}</dd></div><div><dt>${t.history.load}</dt><dd>${whole(w.load)}</dd></div></dl></div>`;
}

export function todayPage(view: View, req: FastifyRequest, d: { today: string; planned: PlannedRow[]; last: WorkoutListRow | null; summary: SummaryView | null; reminder: ReminderSetting }): Html {
  const t = view.t;
  const cond = d.summary?.condition;
  const threshold = d.summary?.running?.threshold;
  // The stale-threshold warning reads the summary's threshold section (issue 12), in the page's language.
  const flags = (cond?.flags ?? []).filter((f) => f.code !== 'threshold_settings_stale');
  const stale = threshold?.staleSettings && threshold.settingsPace && threshold.pace ? t.today.staleThreshold(threshold.settingsPace, threshold.pace) : null;
  return html`<section aria-labelledby="planned"><h2 id="planned">${t.today.planned} · ${d.today}</h2>
${d.planned.length === 0 ? html`<p>${t.today.nothingPlanned}</p>` : d.planned.map((p) => html`<div class="card"><strong>${p.name ?? p.category}</strong> ${p.type ?? ''}
${p.moving_time ? html` · ${duration(p.moving_time)}` : ''}${p.distance ? html` · ${fixed(p.distance / 1000, 1)} ${t.units.km}` : ''}
${p.description ? html`<pre class="muted">${p.description}</pre>` : ''}</div>`)}</section>
<section aria-labelledby="condition"><h2 id="condition">${t.today.condition}</h2>
${cond ? html`<dl class="stats"><div><dt>${t.today.fitness}</dt><dd>${fixed(cond.fitness)}</dd></div><div><dt>${t.today.fatigue}</dt><dd>${fixed(cond.fatigue)}</dd></div><div><dt>${t.today.form}</dt><dd>${fixed(cond.form)}</dd></div></dl>` : html`<p>${t.today.noSummary}</p>`}
${stale || flags.length ? html`<h3>${t.today.flags}</h3>${stale ? html`<p class="flag" data-flag="threshold_settings_stale">${stale}</p>` : ''}${flags.map((f) => html`<p class="flag" data-flag="${f.code}">${f.message}</p>`)}` : ''}</section>
<section aria-labelledby="last"><h2 id="last">${t.today.last}</h2>${d.last ? workoutCard(t, d.last) : html`<p>${t.today.noWorkouts}</p>`}</section>
<section aria-labelledby="reminder"><h2 id="reminder">${t.today.reminder}</h2><p>${d.reminder.enabled ? t.today.reminderOn(d.reminder.localTime) : t.today.reminderOff}</p>
<form method="post" action="/reminders" class="row">${csrfField(req)}
<div><input type="checkbox" id="rem-on" name="enabled" ${d.reminder.enabled ? 'checked' : ''} style="width:auto"> <label for="rem-on" class="inline">${t.today.reminderEnabled}</label></div>
<div><label for="rem-time">${t.today.reminderTime}</label><input type="time" id="rem-time" name="time" value="${d.reminder.localTime}"></div>
<button type="submit">${t.today.reminderSave}</button></form></section>`;
}
