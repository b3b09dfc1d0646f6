import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { CalendarDateSchema } from '@splits/contracts';
import { getAthlete, listDailyVolume, listWorkoutRows, listWorkoutTypes } from '@splits/db';
import { addDays, isoWeekStart, localDateIn } from '@splits/training';
import type { RouteDeps } from '../app.js';
import { athleteOf, viewOf } from '../context.js';
import { historyPage, weeklyVolume } from '../pages/history.page.js';

export const HISTORY_PAGE_SIZE = 50;

const HistoryQuerySchema = z.object({
  type: z.string().max(40).optional(),
  from: z.union([CalendarDateSchema, z.literal('')]).optional(),
  to: z.union([CalendarDateSchema, z.literal('')]).optional(),
  page: z.coerce.number().int().min(0).max(10_000).default(0),
});

/** History: newest first, filtered by type and dates, paged (offset over the athlete's index); weekly volume over 26 weeks. */
export const historyRoutes: FastifyPluginAsyncZod<RouteDeps> = async (app, deps) => {
  app.get('/history', { schema: { hide: true, querystring: HistoryQuerySchema } }, async (req, reply) => {
    const athleteId = athleteOf(req);
    const q = req.query;
    const athlete = await getAthlete(deps.db, athleteId);
    const today = localDateIn(new Date(), athlete?.timezone ?? 'UTC');
    const firstWeek = addDays(isoWeekStart(today), -25 * 7);
    const [list, types, daily, view] = await Promise.all([
      listWorkoutRows(deps.db, athleteId, { type: q.type || undefined, oldest: q.from || undefined, newest: q.to || undefined, limit: HISTORY_PAGE_SIZE, offset: q.page * HISTORY_PAGE_SIZE }),
      listWorkoutTypes(deps.db, athleteId),
      listDailyVolume(deps.db, athleteId, firstWeek),
      viewOf(deps.web, req),
    ]);
    const weeks = weeklyVolume(daily, firstWeek, 26);
    return view.send(reply, { title: view.t.history.title, active: 'history' }, historyPage(view.t, { ...list, types, weeks, query: q }));
  });
};
