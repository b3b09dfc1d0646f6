import type { FastifyRequest } from 'fastify';
import type { Profile, ProfileHistory, RaceGoal } from '@splits/contracts';
import { csrfField } from '../context.js';
import { html, type Html } from '../html.js';
import type { Texts } from '../i18n.js';

/** The profile holds at most 20 goals (ProfileContentSchema). */
export const MAX_GOAL_ROWS = 20;

function goalRow(t: Texts, g: Partial<RaceGoal>, i: number): Html {
  const f = (name: string, label: string, value: string | null | undefined, type = 'text') =>
    html`<div><label for="g${i}-${name}">${label}</label><input id="g${i}-${name}" name="goal_${name}_${i}" type="${type}" value="${value ?? ''}"></div>`;
  return html`<fieldset class="card"><legend>${t.goals.goals} ${i + 1}</legend><div class="row">${f('name', t.goals.name, g.name)}${f('date', t.goals.date, g.date, 'date')}${f('distance', t.goals.distance, g.distance)}${f('target', t.goals.target, g.target)}
<div><label for="g${i}-priority">${t.goals.priority}</label><select id="g${i}-priority" name="goal_priority_${i}"><option value="">–</option>${['A', 'B', 'C'].map(
    (p) => html`<option${g.priority === p ? html` selected` : ''}>${p}</option>`,
  )}</select></div></div>${f('notes', t.goals.notes, g.notes)}</fieldset>`;
}

export function goalsPage(t: Texts, req: FastifyRequest, d: { profile: Profile; history: ProfileHistory; message?: string; error?: string }): Html {
  const p = d.profile;
  const rows = [...p.goals, {}].slice(0, MAX_GOAL_ROWS);
  return html`<p>${t.goals.intro}</p>
${d.message ? html`<p class="notice" role="status">${d.message}</p>` : ''}${d.error ? html`<p class="error" role="alert">${d.error}</p>` : ''}
<form method="post" action="/goals">${csrfField(req)}<input type="hidden" name="revision" value="${p.revision}">
<label for="about">${t.goals.about}</label><textarea id="about" name="about" maxlength="4000">${p.about ?? ''}</textarea>
<h2>${t.goals.goals}</h2>${rows.map((g, i) => goalRow(t, g, i))}
<label for="rules">${t.goals.rules}</label><textarea id="rules" name="rules">${p.rules.join('\n')}</textarea>
<label for="strategy">${t.goals.strategy}</label><textarea id="strategy" name="strategy" maxlength="8000">${p.strategy ?? ''}</textarea>
<button type="submit">${t.goals.save}</button></form>
${d.history.revisions.length ? html`<section aria-labelledby="ph"><h2 id="ph">${t.goals.history}</h2>${d.history.revisions.map(
    (r) => html`<div class="card"><p class="muted">#${r.revision} · ${r.changedAt.slice(0, 16).replace('T', ' ')} · ${t.goals.source[r.source] ?? r.source}${r.restoredFrom ? ` ← #${r.restoredFrom}` : ''}</p>
<p>${r.profile.goals.map((g) => g.name).join(', ') || '–'}</p>${r.revision !== p.revision ? html`<form method="post" action="/goals/restore">${csrfField(req)}<input type="hidden" name="revision" value="${r.revision}"><button type="submit" class="secondary">${t.goals.restore} #${r.revision}</button></form>` : ''}</div>`,
  )}</section>` : ''}`;
}
