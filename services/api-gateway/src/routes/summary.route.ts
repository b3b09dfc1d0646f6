import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ErrorBodySchema, SummaryQuerySchema, SummaryResponseSchema } from '@splits/contracts';
import type { Db } from '@splits/db';
import { getSummary } from '../services/summary.service.js';

export const summaryRoutes: FastifyPluginAsyncZod<{ db: Db }> = async (app, { db }) => {
  app.get('/summary', {
    schema: {
      operationId: 'getAthleteSummary',
      summary: "The athlete's training summary: recent weeks, totals, fitness and recent sessions",
      description: 'Start here for context. Pass the version you hold to get changed=false without the document when nothing changed.',
      tags: ['athlete'],
      querystring: SummaryQuerySchema,
      response: { 200: SummaryResponseSchema, 400: ErrorBodySchema, 401: ErrorBodySchema, 404: ErrorBodySchema, 413: ErrorBodySchema },
    },
    handler: (req) => getSummary(db, req.athleteId, req.query),
  });
};
