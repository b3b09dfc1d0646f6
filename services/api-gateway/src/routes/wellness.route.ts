import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { DateWindowQuerySchema, ErrorBodySchema, WellnessResponseSchema } from '@splits/contracts';
import type { Db } from '@splits/db';
import { getWellness } from '../services/wellness.service.js';

export const wellnessRoutes: FastifyPluginAsyncZod<{ db: Db }> = async (app, { db }) => {
  app.get('/wellness', {
    schema: {
      operationId: 'getWellness',
      summary: 'Daily wellness: fitness, fatigue, form, resting HR, HRV, sleep, weight, feel',
      description: 'Oldest first. Default: the last 14 days; at most 180 days per call.',
      tags: ['athlete'],
      querystring: DateWindowQuerySchema,
      response: { 200: WellnessResponseSchema, 400: ErrorBodySchema, 401: ErrorBodySchema, 413: ErrorBodySchema },
    },
    handler: (req) => getWellness(db, req.athleteId, req.query),
  });
};
