import { z } from 'zod';
import type { FastifyPluginAsync } from 'fastify';
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { runReadiness, type ReadinessCheck } from '@splits/telemetry';

const ReadinessSchema = z.object({
  status: z.enum(['ready', 'not_ready']),
  checks: z.record(z.string(), z.enum(['ok', 'down'])),
});

/**
 * `/health` (the process is alive) and `/ready` (every check answers within `timeoutMs`; 503
 * naming the one that did not). No auth, not in the OpenAPI document. The zod compilers are set
 * inside this plugin's own scope, so a service without them (the dashboard) can register it too.
 */
export const healthRoutes =
  (opts: { checks: Record<string, ReadinessCheck>; timeoutMs?: number }): FastifyPluginAsync =>
  async (parent) => {
    const app = parent.withTypeProvider<ZodTypeProvider>();
    app.setValidatorCompiler(validatorCompiler);
    app.setSerializerCompiler(serializerCompiler);
    app.get('/health', {
      schema: { hide: true, operationId: 'health', response: { 200: z.object({ status: z.literal('ok') }) } },
      handler: async () => ({ status: 'ok' as const }),
    });
    app.get('/ready', {
      schema: { hide: true, operationId: 'ready', response: { 200: ReadinessSchema, 503: ReadinessSchema } },
      handler: async (req, reply) => {
        const readiness = await runReadiness(opts.checks, { timeoutMs: opts.timeoutMs, log: req.log });
        return reply.code(readiness.status === 'ready' ? 200 : 503).send(readiness);
      },
    });
  };
