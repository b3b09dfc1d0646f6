import express from 'express';
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { mcpAuthRouter } from '@modelcontextprotocol/sdk/server/auth/router.js';
import { isStorableText } from '@splits/contracts';
import { approveAuthorization, consumeLoginCode, getPendingAuthorization } from '@splits/db';
import { resourcesOf } from '../services/auth.service.js';
import { loginPage, messagePage } from './login-page.js';
import { CODE_TTL_MS, newAuthorizationCode, SCOPES, SplitsOAuthProvider, type OAuthDeps } from './provider.js';

/** Paths the express app below answers; fastify hands them over untouched (body unread). */
const OAUTH_PATHS = [
  '/authorize',
  '/token',
  '/register',
  '/revoke',
  '/oauth/login',
  '/.well-known/oauth-authorization-server',
  '/.well-known/oauth-protected-resource/mcp',
];

/**
 * The OAuth 2.1 authorization server (RFC 8414 metadata, RFC 9728 resource metadata, RFC 7591
 * dynamic registration, authorization code + PKCE S256, refresh tokens) from the MCP SDK's
 * handlers, which are express routers: they run on the raw request inside a hijacked fastify route.
 */
export async function oauthRoutes(app: FastifyInstance, deps: OAuthDeps & { log: Logger }): Promise<void> {
  const provider = new SplitsOAuthProvider(deps);
  const resources = resourcesOf(deps.publicBaseUrl);
  const ex = express();
  ex.disable('x-powered-by');
  // Behind a reverse proxy on a private network, the client's address is in X-Forwarded-For.
  ex.set('trust proxy', 'loopback, linklocal, uniquelocal');
  ex.use(
    mcpAuthRouter({
      provider,
      issuerUrl: new URL(resources.rest),
      resourceServerUrl: new URL(resources.mcp),
      scopesSupported: SCOPES,
      resourceName: 'Splits',
      serviceDocumentationUrl: new URL(`${resources.rest}/openapi.json`),
      clientRegistrationOptions: { clientSecretExpirySeconds: 0 },
    }),
  );
  ex.post('/oauth/login', express.urlencoded({ extended: false, limit: '4kb' }), (req, res, next) => {
    // No form body (another content type, or none): req.body stays undefined.
    signIn(deps, (req.body ?? {}) as Record<string, unknown>, res).catch(next);
  });
  ex.use((err: Error & { status?: number; expose?: boolean }, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
    if (res.headersSent) return;
    // The body parsers' refusals (malformed or non-object JSON, too large, bad charset) are the client's.
    if (err.expose && err.status !== undefined && err.status >= 400 && err.status < 500) {
      res.status(err.status).json({ error: 'invalid_request', error_description: err.message });
      return;
    }
    deps.log.error({ err }, 'oauth request failed');
    res.status(500).json({ error: 'server_error', error_description: 'internal error' });
  });

  await app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', (_req, _payload, done) => done(null));
    for (const url of OAUTH_PATHS) {
      scope.route({
        method: ['GET', 'POST', 'OPTIONS'],
        url,
        schema: { hide: true },
        handler: (req, reply) => {
          reply.hijack();
          ex(req.raw as express.Request, reply.raw as express.Response);
        },
      });
    }
  });

  // RFC 9728 metadata for the REST API at the root (the SDK serves the one for /mcp).
  app.get('/.well-known/oauth-protected-resource', { schema: { hide: true } }, async () => ({
    resource: resources.rest,
    authorization_servers: [resources.rest],
    scopes_supported: SCOPES,
    bearer_methods_supported: ['header'],
    resource_name: 'Splits',
  }));
}

/** The athlete typed their one-time code: bind the pending request to them and redirect with a code. */
async function signIn(deps: OAuthDeps, body: Record<string, unknown>, res: express.Response): Promise<void> {
  res.setHeader('cache-control', 'no-store');
  // Postgres refuses NUL in text: such an id is simply unknown.
  const requestId = typeof body.request_id === 'string' && isStorableText(body.request_id) ? body.request_id : '';
  const code = typeof body.code === 'string' ? body.code : '';
  const pending = requestId ? await getPendingAuthorization(deps.db, requestId) : undefined;
  if (!pending) {
    res.status(400).type('html').send(messagePage('Sign-in expired', 'This sign-in request is unknown or expired. Start again from your assistant.'));
    return;
  }
  const athleteId = code ? await consumeLoginCode(deps.db, code) : null;
  if (!athleteId) {
    const client = await new SplitsOAuthProvider(deps).clientsStore.getClient(pending.client_id);
    res.status(400).type('html');
    res.send(loginPage({ requestId, clientName: client?.client_name ?? null, error: 'That code is not valid or has expired. Ask for a new one.' }));
    return;
  }
  const authCode = newAuthorizationCode();
  if (!(await approveAuthorization(deps.db, requestId, athleteId, authCode, CODE_TTL_MS))) {
    res.status(400).type('html').send(messagePage('Sign-in expired', 'This sign-in request was already used. Start again from your assistant.'));
    return;
  }
  const target = new URL(pending.redirect_uri);
  target.searchParams.set('code', authCode);
  if (pending.state) target.searchParams.set('state', pending.state);
  res.redirect(302, target.href);
}
