import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Db } from '@splits/db';
import type { Redis } from 'ioredis';
import { checkReadiness } from '../health.service.js';

const state = z.enum(['ok', 'down']);
const ReadinessSchema = z.object({
  status: z.enum(['ready', 'not_ready']),
  checks: z.object({ postgres: state, redis: state }),
});

export const healthRoutes =
  (deps: { db: Db; redis: Redis }): FastifyPluginAsyncZod =>
  async (app) => {
    app.get('/health', { schema: { operationId: 'health', response: { 200: z.object({ status: z.literal('ok') }) } } }, async () => ({
      status: 'ok' as const,
    }));
    app.get('/ready', { schema: { operationId: 'ready', response: { 200: ReadinessSchema, 503: ReadinessSchema } } }, async (_req, reply) => {
      const readiness = await checkReadiness(deps);
      return reply.code(readiness.status === 'ready' ? 200 : 503).send(readiness);
    });
  };
