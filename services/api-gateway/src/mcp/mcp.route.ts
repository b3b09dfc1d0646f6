import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { createMcpHandler, isLegacyRequest, WebStandardStreamableHTTPServerTransport } from '@modelcontextprotocol/server';
import { buildMcpServer, type McpDeps } from './server.js';

/**
 * POST /mcp: Streamable HTTP, stateless. The SDK's handler answers the stateless 2026-07-28
 * revision (no initialize; protocol version and capabilities in each request's _meta,
 * server/discover). 2025-era requests (clients that still send initialize) go to a per-request
 * stateless transport that answers plain JSON (simplest for any client). A fresh server per
 * request either way, so any replica can answer any request. Register inside the bearer-auth
 * scope: auth runs first and binds the athlete.
 */
export async function mcpRoutes(app: FastifyInstance, deps: McpDeps): Promise<void> {
  const modern = createMcpHandler((ctx) => buildMcpServer(deps, String(ctx.authInfo?.extra?.athleteId ?? '')), {
    legacy: 'reject',
    onerror: (err) => deps.log.debug({ err: err.message }, 'mcp request rejected'),
  });
  app.addHook('onClose', () => modern.close());
  app.post('/mcp', { schema: { hide: true } }, async (req, reply) => {
    const request = toRequest(req);
    const response = (await isLegacyRequest(request, req.body))
      ? await legacy(deps, req.athleteId, request, req.body)
      : await modern.fetch(request, {
          parsedBody: req.body,
          authInfo: { token: '', clientId: 'splits', scopes: [], extra: { athleteId: req.athleteId } },
        });
    return send(reply, response);
  });
}

async function legacy(deps: McpDeps, athleteId: string, request: Request, parsedBody: unknown): Promise<Response> {
  const server = buildMcpServer(deps, athleteId);
  const transport = new WebStandardStreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
  await server.connect(transport);
  try {
    return await transport.handleRequest(request, { parsedBody });
  } finally {
    void transport.close();
    void server.close();
  }
}

function toRequest(req: FastifyRequest): Request {
  const headers = new Headers();
  for (const [k, v] of Object.entries(req.headers)) {
    if (v === undefined) continue;
    for (const value of Array.isArray(v) ? v : [v]) headers.append(k, value);
  }
  const url = `http://${req.headers.host ?? 'localhost'}${req.url}`;
  // The body was parsed by fastify (JSON); the handler takes it as parsedBody.
  return new Request(url, { method: req.method, headers });
}

async function send(reply: FastifyReply, response: Response): Promise<FastifyReply> {
  reply.code(response.status);
  response.headers.forEach((value, key) => void reply.header(key, value));
  if (!response.body) return reply.send();
  const type = response.headers.get('content-type') ?? '';
  if (type.includes('text/event-stream')) return reply.send(response.body);
  return reply.send(Buffer.from(await response.arrayBuffer()));
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
