import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  ErrorBodySchema,
  TrainingParamsSchema,
  TrainingsQuerySchema,
  TrainingsResponseSchema,
  WorkoutRecordSchema,
  type TrainingsResponse,
} from '@splits/contracts';
import type { Db } from '@splits/db';
import { getTraining, getTrainingsJson, type RecordJsonCache } from '../services/trainings.service.js';

export const trainingsRoutes: FastifyPluginAsyncZod<{ db: Db; records?: RecordJsonCache }> = async (app, { db, records }) => {
  app.get('/trainings', {
    schema: {
      operationId: 'getTrainings',
      summary: 'List completed workouts, newest first',
      description:
        'Prepared workout records in a local-date window (oldest/newest, YYYY-MM-DD). limit 1-50 (default 30), offset pages (see hasMore/nextOffset). full=1 adds intervals. Too large (413): narrow the window or lower the limit.',
      tags: ['trainings'],
      querystring: TrainingsQuerySchema,
      response: { 200: TrainingsResponseSchema, 400: ErrorBodySchema, 401: ErrorBodySchema, 413: ErrorBodySchema },
    },
    // The page comes already serialised from records each checked against the record schema once per
    // change (up to 30 records with intervals: validating and stringifying them was most of the cost).
    handler: async (req, reply) =>
      reply.type('application/json; charset=utf-8').send((await getTrainingsJson(db, req.athleteId, req.query, records)) as unknown as TrainingsResponse),
  });

  app.get('/trainings/:id', {
    schema: {
      operationId: 'getTraining',
      summary: 'One completed workout with its intervals',
      tags: ['trainings'],
      params: TrainingParamsSchema,
      response: { 200: WorkoutRecordSchema, 400: ErrorBodySchema, 401: ErrorBodySchema, 404: ErrorBodySchema, 413: ErrorBodySchema },
    },
    handler: (req) => getTraining(db, req.athleteId, req.params.id),
  });
};
