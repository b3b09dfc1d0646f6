import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ErrorBodySchema, SummaryQuerySchema, SummaryResponseSchema, type SummaryResponse } from '@splits/contracts';
import { getSummaryBody, type SummaryDeps } from '../services/summary.service.js';

export const summaryRoutes: FastifyPluginAsyncZod<SummaryDeps> = async (app, deps) => {
  app.get('/summary', {
    schema: {
      operationId: 'getAthleteSummary',
      summary: 'The athlete summary: read it first',
      description:
        'Profile (goals, rules, strategy), current condition with risk flags, last 30 trainings, 26 weekly and monthly history, VDOT and paces, pace journal, wellness trends, next 7 days. If parts > 1, fetch part=2..parts. Pass version to skip an unchanged summary.',
      tags: ['athlete'],
      querystring: SummaryQuerySchema,
      response: { 200: SummaryResponseSchema, 400: ErrorBodySchema, 401: ErrorBodySchema, 404: ErrorBodySchema, 503: ErrorBodySchema },
    },
    // Pre-serialised text (the stored document as built); fastify sends strings as they are.
    handler: async (req, reply) => reply.type('application/json; charset=utf-8').send((await getSummaryBody(deps, req.athleteId, req.query)) as unknown as SummaryResponse),
  });
};
