import type { FastifyInstance } from 'fastify';
import { makeNewActivity, RUN_KINDS, OTHER_KINDS, type FakeSessionKind } from './generator.js';
import type { FakeIntervalsState, AnalysisDelay } from './state.js';
import { sendWebhook, uploadedWebhook } from './webhook.js';

export interface ControlDeps {
  state: FakeIntervalsState;
  addActivity(athleteId: string, fa: ReturnType<typeof makeNewActivity>, delay: AnalysisDelay): void;
  requests: unknown[];
  writes: unknown[];
}

/**
 * Test-control endpoints under /__fake (not part of Intervals.icu), so a fake running as its own
 * process can be driven by e2e tests and the demo: announce a new workout, read what was recorded.
 */
export function registerControlRoutes(app: FastifyInstance, deps: ControlDeps): void {
  app.post('/__fake/new-activity', async (req, reply) => {
    const b = (req.body ?? {}) as {
      athleteId?: string;
      kind?: string;
      at?: string;
      analysedAfterFetches?: number;
      analysedAfterMs?: number;
      webhookUrl?: string;
      secret?: string;
    };
    const entry = b.athleteId ? deps.state.athletes.get(b.athleteId) : deps.state.athletes.values().next().value;
    if (!entry) return reply.code(404).send({ status: 404, error: 'unknown athlete' });
    const kind = (b.kind ?? 'threshold') as FakeSessionKind;
    if (![...RUN_KINDS, ...OTHER_KINDS].includes(kind)) return reply.code(400).send({ status: 400, error: `unknown kind ${kind}` });
    const fa = makeNewActivity(entry.athlete, { kind, at: b.at ? new Date(b.at) : new Date(Date.now() - 2 * 3600_000) });
    deps.addActivity(entry.athlete.athleteId, fa, { analysedAfterFetches: b.analysedAfterFetches, analysedAfterMs: b.analysedAfterMs });
    const webhook = b.webhookUrl ? await sendWebhook(b.webhookUrl, uploadedWebhook(b.secret ?? '', entry.athlete.athleteId, fa)) : null;
    return { athleteId: entry.athlete.athleteId, activityId: fa.id, webhook };
  });
  app.get('/__fake/athletes', async () => [...deps.state.athletes.values()].map((e) => ({ athleteId: e.athlete.athleteId, name: e.athlete.profile.name, activities: e.activities.length })));
  app.get('/__fake/requests', async () => deps.requests);
  app.get('/__fake/writes', async () => deps.writes);
}
