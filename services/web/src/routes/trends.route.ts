import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { getAthlete, getAthleteSummarySections, listDailyVolume, listWellnessDays } from '@splits/db';
import { addDays, isoWeekStart, localDateIn } from '@splits/training';
import type { RouteDeps } from '../app.js';
import { athleteOf, viewOf } from '../context.js';
import { weeklyVolume } from '../pages/history.page.js';
import { fitnessSeries, trendsPage, type RunningView } from '../pages/trends.page.js';

/** Trends: fitness/fatigue/form over a year, weekly volume by type, VDOT, Daniels paces and the threshold against the setting. */
export const trendsRoutes: FastifyPluginAsyncZod<RouteDeps> = async (app, deps) => {
  app.get('/trends', { schema: { hide: true } }, async (req, reply) => {
    const athleteId = athleteOf(req);
    const athlete = await getAthlete(deps.db, athleteId);
    const today = localDateIn(new Date(), athlete?.timezone ?? 'UTC');
    const firstWeek = addDays(isoWeekStart(today), -51 * 7);
    const [wellness, daily, summary, view] = await Promise.all([
      listWellnessDays(deps.db, athleteId, addDays(today, -365), today),
      listDailyVolume(deps.db, athleteId, firstWeek),
      getAthleteSummarySections(deps.db, athleteId, ['running']),
      viewOf(deps.web, req),
    ]);
    const running = ((summary as { running?: RunningView } | null)?.running ?? null);
    return view.send(reply, { title: view.t.nav.trends, active: 'trends', charts: true }, trendsPage(view.t, { fitness: fitnessSeries(view.t, wellness), weeks: weeklyVolume(daily, firstWeek, 52), running }));
  });
};
