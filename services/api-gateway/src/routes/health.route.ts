import { z } from 'zod';
import { sql } from 'kysely';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Db } from '@splits/db';

const ReadySchema = z.object({ status: z.enum(['ready', 'not_ready']), checks: z.object({ postgres: z.enum(['ok', 'down']) }) });
const READY_TIMEOUT_MS = 2_000;

/** Liveness and readiness; no auth, not part of the OpenAPI document. */
export const healthRoutes: FastifyPluginAsyncZod<{ db: Db }> = async (app, { db }) => {
  app.get('/health', {
    schema: { hide: true, operationId: 'health', response: { 200: z.object({ status: z.literal('ok') }) } },
    handler: async () => ({ status: 'ok' as const }),
  });

  app.get('/ready', {
    schema: { hide: true, operationId: 'ready', response: { 200: ReadySchema, 503: ReadySchema } },
    handler: async (req, reply) => {
      const postgres = await pingPostgres(db).then(
        () => 'ok' as const,
        (err: unknown) => (req.log.warn({ err: (err as Error).message }, 'postgres not ready'), 'down' as const),
      );
      const ready = postgres === 'ok';
      return reply.code(ready ? 200 : 503).send({ status: ready ? 'ready' : 'not_ready', checks: { postgres } });
    },
  });
};

async function pingPostgres(db: Db): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('timeout')), READY_TIMEOUT_MS);
  });
  try {
    await Promise.race([sql`select 1`.execute(db), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
