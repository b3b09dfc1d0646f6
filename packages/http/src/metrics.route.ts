import type { FastifyPluginAsync } from 'fastify';
import { HttpError } from '@splits/contracts';
import { metrics, scrapeMetrics } from '@splits/telemetry';

/**
 * Request metrics for every route of the app it is registered on (by route pattern, never the raw
 * URL: `/trainings/:id`, not one series per workout) and `GET /metrics`, the Prometheus exposition
 * of the whole process (see @splits/telemetry metrics.ts). Not in the OpenAPI document, and never
 * answered through a proxy (see below), so the public edge does not publish it.
 */
export const metricsPlugin: FastifyPluginAsync = async (app) => {
  const m = metrics();
  app.addHook('onResponse', async (req, reply) => {
    const route = req.routeOptions.url ?? 'unmatched';
    if (route === '/metrics') return;
    m.httpRequests.inc({ route, method: req.method, status: String(reply.statusCode) });
    m.httpLatency.observe({ route, method: req.method }, reply.elapsedTime / 1000);
  });
  app.get('/metrics', { schema: { hide: true } }, async (req, reply) => {
    // Prometheus scrapes the pod (or container) directly; a request that came through a proxy (the
    // public ingress) carries X-Forwarded-For and is answered as if the route did not exist.
    if (req.headers['x-forwarded-for'] !== undefined) throw new HttpError(404, 'not_found', `no route GET /metrics`);
    const { contentType, body } = await scrapeMetrics();
    return reply.type(contentType).send(body);
  });
};
// Like fastify-plugin: the hook must see the routes of the app it is registered on, not only its own scope.
(metricsPlugin as unknown as Record<symbol, boolean>)[Symbol.for('skip-override')] = true;
