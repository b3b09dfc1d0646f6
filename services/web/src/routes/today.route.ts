import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { HttpError } from '@splits/contracts';
import { getAthlete, getAthleteSummarySections, getReminderSetting, listPlannedEvents, listWorkoutRows, setReminderTime, setRemindersEnabled } from '@splits/db';
import { localDateIn } from '@splits/training';
import type { RouteDeps } from '../app.js';
import { athleteOf, checkCsrf, formOf, viewOf } from '../context.js';
import { todayPage, type SummaryView } from '../pages/today.page.js';

/** Today: the day's plan, the last workout, fitness/fatigue/form and the summary's flags, the morning reminder. */
export const todayRoutes: FastifyPluginAsyncZod<RouteDeps> = async (app, deps) => {
  app.get('/', { schema: { hide: true, querystring: z.object({}).passthrough() } }, async (req, reply) => {
    const athleteId = athleteOf(req);
    const athlete = await getAthlete(deps.db, athleteId);
    const today = localDateIn(new Date(), athlete?.timezone ?? 'UTC');
    const [planned, last, summary, reminder, view] = await Promise.all([
      listPlannedEvents(deps.db, athleteId, today, today),
      listWorkoutRows(deps.db, athleteId, { limit: 1, offset: 0 }),
      getAthleteSummarySections(deps.db, athleteId, ['condition', 'running']),
      getReminderSetting(deps.db, athleteId),
      viewOf(deps.web, req),
    ]);
    const doc = summary as SummaryView | null;
    return view.send(reply, { title: view.t.today.title, active: 'today' }, todayPage(view, req, { today, planned, last: last.rows[0] ?? null, summary: doc, reminder }));
  });

  app.post('/reminders', { schema: { hide: true } }, async (req, reply) => {
    checkCsrf(req);
    const athleteId = athleteOf(req);
    const form = formOf(req);
    const time = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(form.time ?? '');
    if (form.time && !time) throw new HttpError(400, 'bad_request', 'time must be HH:MM');
    if (time) await setReminderTime(deps.db, athleteId, time[0]);
    await setRemindersEnabled(deps.db, athleteId, form.enabled === 'on');
    return reply.redirect('/#reminder', 303);
  });
};
