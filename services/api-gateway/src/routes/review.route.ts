import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ErrorBodySchema, ReviewQuerySchema, ReviewResponseSchema } from '@splits/contracts';
import type { Db } from '@splits/db';
import { getReview } from '../services/review.service.js';

export const reviewRoutes: FastifyPluginAsyncZod<{ db: Db }> = async (app, { db }) => {
  app.get('/review', {
    schema: {
      operationId: 'getReview',
      summary: 'Plan vs actual per day: planned workouts beside what was done, compliance, missed, unplanned, week totals',
      description: 'Default this week. oldest/newest: YYYY-MM-DD, today, -7d, this-week, last-month, …; at most 92 days.',
      tags: ['review'],
      querystring: ReviewQuerySchema,
      response: { 200: ReviewResponseSchema, 400: ErrorBodySchema, 401: ErrorBodySchema, 413: ErrorBodySchema },
    },
    handler: (req) => getReview(db, req.athleteId, req.query),
  });
};
