import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  ErrorBodySchema,
  TrainingParamsSchema,
  TrainingsQuerySchema,
  TrainingResponseSchema,
  TrainingsResponseSchema,
  type TrainingsResponse,
} from '@splits/contracts';
import type { Db } from '@splits/db';
import { getTraining, getTrainingsJson, type TrainingsCache } from '../services/trainings.service.js';

export const trainingsRoutes: FastifyPluginAsyncZod<{ db: Db; records?: TrainingsCache }> = async (app, { db, records }) => {
  app.get('/trainings', {
    schema: {
      operationId: 'getTrainings',
      summary: 'List completed workouts, newest first',
      description:
        'Prepared workout records in a local-date window (oldest/newest: YYYY-MM-DD, today, -7d, this-week, last-month). limit 1-50 (default 30); full=1 adds intervals as a table. A page too large for one answer is trimmed to whole workouts: see note, hasMore, nextOffset.',
      tags: ['trainings'],
      querystring: TrainingsQuerySchema,
      response: { 200: TrainingsResponseSchema, 400: ErrorBodySchema, 401: ErrorBodySchema, 413: ErrorBodySchema },
    },
    // The page comes already written by the writers compiled from the response schema, from records
    // each checked and made compact once per change (validating and stringifying them was most of the cost).
    handler: async (req, reply) =>
      reply.type('application/json; charset=utf-8').send((await getTrainingsJson(db, req.athleteId, req.query, { cache: records })) as unknown as TrainingsResponse),
  });

  app.get('/trainings/:id', {
    schema: {
      operationId: 'getTraining',
      summary: "One completed workout with its intervals, and the athlete's thresholds and zones",
      tags: ['trainings'],
      params: TrainingParamsSchema,
      response: { 200: TrainingResponseSchema, 400: ErrorBodySchema, 401: ErrorBodySchema, 404: ErrorBodySchema, 413: ErrorBodySchema },
    },
    handler: (req) => getTraining(db, req.athleteId, req.params.id),
  });
};
