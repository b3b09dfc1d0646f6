import type { FastifyPluginAsync } from 'fastify';
import { metrics, scrapeMetrics } from '@splits/telemetry';

/**
 * Request metrics for every route of the app it is registered on (by route pattern, never the raw
 * URL: `/trainings/:id`, not one series per workout) and `GET /metrics`, the Prometheus exposition
 * of the whole process (see @splits/telemetry metrics.ts). Not in the OpenAPI document; at the
 * edge, operators keep /metrics off the public ingress (infra/k8s routes only the API paths).
 */
export const metricsPlugin: FastifyPluginAsync = async (app) => {
  const m = metrics();
  app.addHook('onResponse', async (req, reply) => {
    const route = req.routeOptions.url ?? 'unmatched';
    if (route === '/metrics') return;
    m.httpRequests.inc({ route, method: req.method, status: String(reply.statusCode) });
    m.httpLatency.observe({ route, method: req.method }, reply.elapsedTime / 1000);
  });
  app.get('/metrics', { schema: { hide: true } }, async (_req, reply) => {
    const { contentType, body } = await scrapeMetrics();
    return reply.type(contentType).send(body);
  });
};
// Like fastify-plugin: the hook must see the routes of the app it is registered on, not only its own scope.
(metricsPlugin as unknown as Record<symbol, boolean>)[Symbol.for('skip-override')] = true;
