import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ErrorBodySchema, MeSchema } from '@splits/contracts';
import type { Db } from '@splits/db';
import { getMe } from '../services/me.service.js';

export const meRoutes: FastifyPluginAsyncZod<{ db: Db }> = async (app, { db }) => {
  app.get('/me', {
    schema: {
      operationId: 'getMe',
      summary: 'Who this token belongs to and the state of its Intervals.icu connection',
      tags: ['athlete'],
      response: { 200: MeSchema, 401: ErrorBodySchema, 404: ErrorBodySchema },
    },
    handler: (req) => getMe(db, req.athleteId),
  });
};
