import type { FastifyInstance } from 'fastify';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { buildMcpServer, type McpDeps } from './server.js';

/**
 * POST /mcp: Streamable HTTP, stateless. A fresh server and transport per request, so any replica
 * can answer any request. Register inside the bearer-auth scope: auth runs before the hijack.
 */
export async function mcpRoutes(app: FastifyInstance, deps: McpDeps): Promise<void> {
  app.post('/mcp', { schema: { hide: true } }, async (req, reply) => {
    const server = buildMcpServer(deps, req.athleteId);
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
    reply.raw.on('close', () => {
      void transport.close();
      void server.close();
    });
    await server.connect(transport);
    reply.hijack();
    try {
      await transport.handleRequest(req.raw, reply.raw, req.body);
    } catch (err) {
      req.log.error({ err }, 'mcp request failed');
      if (!reply.raw.headersSent) {
        reply.raw.writeHead(500, { 'content-type': 'application/json' });
        reply.raw.end(JSON.stringify({ error: { code: 'internal', message: 'internal error' } }));
      }
    }
  });
}

/** Stateless: there is no session stream to GET and no session to DELETE. Needs no auth. */
export async function mcpMethodNotAllowed(app: FastifyInstance): Promise<void> {
  for (const method of ['GET', 'DELETE'] as const) {
    app.route({
      method,
      url: '/mcp',
      schema: { hide: true },
      handler: (_req, reply) =>
        reply
          .code(405)
          .header('allow', 'POST')
          .send({ error: { code: 'method_not_allowed', message: 'use POST /mcp (stateless Streamable HTTP)' } }),
    });
  }
}
