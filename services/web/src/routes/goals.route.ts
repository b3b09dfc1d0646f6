import { z } from 'zod';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { HttpError, ProfileContentSchema, type ProfileContent } from '@splits/contracts';
import { editProfile, getProfile, profileHistory, restoreProfile } from '@splits/queue';
import type { RouteDeps } from '../app.js';
import { athleteOf, checkCsrf, formOf, viewOf, type Form } from '../context.js';
import { goalsPage, MAX_GOAL_ROWS } from '../pages/goals.page.js';

const opt = (v: string | undefined) => (v && v.trim() ? v.trim() : null);

/** The form's fields as profile content (the gateway's contract validates it, as for GPT and Claude). */
export function profileFromForm(f: Form): z.ZodSafeParseResult<ProfileContent> {
  const goals = [];
  for (let i = 0; i < MAX_GOAL_ROWS; i++) {
    const name = opt(f[`goal_name_${i}`]);
    if (!name) continue;
    goals.push({
      name,
      date: opt(f[`goal_date_${i}`]),
      distance: opt(f[`goal_distance_${i}`]),
      target: opt(f[`goal_target_${i}`]),
      priority: opt(f[`goal_priority_${i}`]),
      notes: opt(f[`goal_notes_${i}`]),
    });
  }
  const rules = (f.rules ?? '').split(/\r?\n/).map((r) => r.trim()).filter(Boolean);
  return ProfileContentSchema.safeParse({ about: opt(f.about), goals, rules, strategy: opt(f.strategy) });
}

/** Goals and rules: the athlete profile the gateway serves (one store), with its history and restore. */
export const goalsRoutes: FastifyPluginAsyncZod<RouteDeps> = async (app, deps) => {
  const render = async (req: FastifyRequest, reply: FastifyReply, o: { status?: number; message?: string; error?: string}) => {
    const athleteId = athleteOf(req);
    const [profile, history, view] = await Promise.all([getProfile(deps.db, athleteId), profileHistory(deps.db, athleteId, { limit: 20 }), viewOf(deps.web, req)]);
    return view.send(reply, { title: view.t.goals.title, active: 'goals', status: o.status }, goalsPage(view.t, req, { profile, history, ...o }));
  };

  app.get('/goals', { schema: { hide: true, querystring: z.object({ saved: z.literal('1').optional() }) } }, async (req, reply) => {
    const view = await viewOf(deps.web, req);
    return render(req, reply, { message: req.query.saved ? view.t.goals.saved : undefined });
  });

  app.post('/goals', { schema: { hide: true } }, async (req, reply) => {
    checkCsrf(req);
    const form = formOf(req);
    const parsed = profileFromForm(form);
    const t = (await viewOf(deps.web, req)).t;
    if (!parsed.success) {
      const detail = parsed.error.issues.slice(0, 3).map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
      return render(req, reply, { status: 400, error: `${t.goals.invalid}: ${detail}` });
    }
    const revision = Number(form.revision);
    try {
      await editProfile(deps, athleteOf(req), { ...parsed.data, revision: Number.isInteger(revision) && revision >= 0 ? revision : undefined });
    } catch (e) {
      if (e instanceof HttpError && e.statusCode === 409) return render(req, reply, { status: 409, error: t.goals.conflict });
      throw e;
    }
    return reply.redirect('/goals?saved=1', 303);
  });

  app.post('/goals/restore', { schema: { hide: true } }, async (req, reply) => {
    checkCsrf(req);
    const revision = Number(formOf(req).revision);
    if (!Number.isInteger(revision) || revision < 1) throw new HttpError(400, 'bad_request', 'revision must be a positive whole number');
    await restoreProfile(deps, athleteOf(req), revision);
    return reply.redirect('/goals?saved=1', 303);
  });
};
