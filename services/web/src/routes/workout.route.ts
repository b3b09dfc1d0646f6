import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { HttpError, type WorkoutRecord } from '@splits/contracts';
import { getActivitySource, getAthleteSummarySections, getWorkoutRecord, listWorkoutReports } from '@splits/db';
import { saveReport } from '@splits/queue';
import type { RouteDeps } from '../app.js';
import { athleteOf, checkCsrf, formOf, viewOf } from '../context.js';
import type { Texts } from '../i18n.js';
import type { EvidenceLine } from '@splits/training';
import { reportStateLabel, workoutPage } from '../pages/workout.page.js';
import { seriesFromStreams, sourceIntervalsOf } from '../workout-series.js';

/** The same bound as a Telegram report. */
export const REPORT_MAX_CHARS = 4000;

const Params = z.object({ id: z.string().min(1).max(64) });
const notFound = () => new HttpError(404, 'not_found', 'no such workout');

/** The workout page, its chart data, and the report editor (each save a new revision, written back like Telegram's). */
export const workoutRoutes: FastifyPluginAsyncZod<RouteDeps> = async (app, deps) => {
  const load = async (athleteId: string, id: string): Promise<WorkoutRecord> => (await getWorkoutRecord(deps.db, athleteId, id)) ?? Promise.reject(notFound());

  app.get('/workouts/:id', { schema: { hide: true, params: Params, querystring: z.object({ saved: z.enum(['1', 'later']).optional(), error: z.enum(['empty', 'long']).optional() }) } }, async (req, reply) => {
    const athleteId = athleteOf(req);
    const record = await load(athleteId, req.params.id);
    const [reports, summary, view] = await Promise.all([listWorkoutReports(deps.db, athleteId, record.id), getAthleteSummarySections(deps.db, athleteId, ['running']), viewOf(deps.web, req)]);
    const evidence = ((summary as { running?: { evidence?: EvidenceLine[] } } | null)?.running?.evidence ?? []).filter((e) => e.workoutId === record.id);
    const title = record.activityName ?? record.workoutType;
    return view.send(reply, { title, charts: true }, workoutPage(view.t, req, { record, reports, evidence, flash: req.query }));
  });

  app.get('/workouts/:id/series.json', { schema: { hide: true, params: Params } }, async (req, reply) => {
    const athleteId = athleteOf(req);
    const record = await load(athleteId, req.params.id);
    const source = await getActivitySource(deps.db, athleteId, record.intervalsActivityId);
    const series = seriesFromStreams(source?.streams ?? null, record, sourceIntervalsOf(source?.activity, source?.intervals));
    return reply.header('cache-control', 'private, no-store').send(series);
  });

  app.get('/workouts/:id/report/state', { schema: { hide: true, params: Params } }, async (req) => {
    const athleteId = athleteOf(req);
    const [latest] = await listWorkoutReports(deps.db, athleteId, (await load(athleteId, req.params.id)).id);
    if (!latest) throw new HttpError(404, 'not_found', 'no report yet');
    const t: Texts = (await viewOf(deps.web, req)).t;
    return { revision: latest.revision, status: latest.writeback_status, label: reportStateLabel(t, latest.writeback_status) };
  });

  /** Save, restore and retry are all one thing: the text as the workout's next report revision. */
  const save = async (athleteId: string, workoutId: string, text: string): Promise<string> => {
    if (!text.trim()) return `/workouts/${workoutId}?error=empty#report`;
    if (text.length > REPORT_MAX_CHARS) return `/workouts/${workoutId}?error=long#report`;
    const saved = await saveReport(deps, { athleteId, workoutId, text: text.trim(), source: 'web', sourceRef: null });
    if (!saved) throw notFound();
    return `/workouts/${workoutId}?saved=${saved.queued ? '1' : 'later'}#report`;
  };

  app.post('/workouts/:id/report', { schema: { hide: true, params: Params } }, async (req, reply) => {
    checkCsrf(req);
    return reply.redirect(await save(athleteOf(req), req.params.id, formOf(req).text ?? ''), 303);
  });

  app.post('/workouts/:id/report/restore', { schema: { hide: true, params: Params } }, async (req, reply) => {
    checkCsrf(req);
    const athleteId = athleteOf(req);
    const revision = Number(formOf(req).revision);
    const old = (await listWorkoutReports(deps.db, athleteId, req.params.id)).find((r) => r.revision === revision);
    if (!old) throw new HttpError(404, 'not_found', 'no such report revision');
    return reply.redirect(await save(athleteId, req.params.id, old.text), 303);
  });
};
