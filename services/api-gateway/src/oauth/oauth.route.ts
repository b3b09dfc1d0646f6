import express from 'express';
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { mcpAuthRouter } from '@modelcontextprotocol/sdk/server/auth/router.js';
import type { OAuthRegisteredClientsStore } from '@modelcontextprotocol/sdk/server/auth/clients.js';
import { InvalidClientError } from '@modelcontextprotocol/sdk/server/auth/errors.js';
import { safeEqual } from '@splits/db';
import { HttpError } from '../errors.js';
import { TRUSTED_PROXIES, type IpLimiter } from '../plugins/rate-limit.js';
import { resourcesOf } from '../services/auth.service.js';
import { CONSENT_PATH, InvalidLoginCodeError, type AssistantSignIn } from './consent.js';
import { consentPage, loginPage, messagePage } from './login-page.js';
import { SCOPES, SplitsOAuthProvider, type OAuthDeps } from './provider.js';

/** Paths the express app below answers; fastify hands them over untouched (body unread). */
const OAUTH_PATHS = [
  '/authorize',
  '/token',
  '/register',
  '/revoke',
  '/oauth/login',
  CONSENT_PATH,
  '/.well-known/oauth-authorization-server',
  '/.well-known/oauth-protected-resource/mcp',
];

export interface OAuthRouteDeps extends OAuthDeps {
  log: Logger;
  /** The athlete-facing steps after /authorize (shared with the Intervals.icu connect callback). */
  signIn: AssistantSignIn;
  /** Sign-in code attempts per IP (every POST /oauth/login counts). */
  loginLimit: IpLimiter;
}

/**
 * The OAuth 2.1 authorization server (RFC 8414 metadata, RFC 9728 resource metadata, RFC 7591
 * dynamic registration, authorization code + PKCE S256, refresh tokens) from the MCP SDK's
 * handlers, which are express routers: they run on the raw request inside a hijacked fastify route.
 * The athlete-facing steps (sign-in code, consent) are Splits' own, in ./consent.ts.
 */
export async function oauthRoutes(app: FastifyInstance, deps: OAuthRouteDeps): Promise<void> {
  const provider = new SplitsOAuthProvider(deps);
  const { signIn } = deps;
  const resources = resourcesOf(deps.publicBaseUrl);
  const form = express.urlencoded({ extended: false, limit: '4kb' });
  const ex = express();
  ex.disable('x-powered-by');
  // Behind a reverse proxy on a private network, the client's address is in X-Forwarded-For.
  ex.set('trust proxy', TRUSTED_PROXIES);
  // Before the SDK's handlers: they compare client secrets with `!==`; a wrong one never reaches them.
  ex.post(['/token', '/revoke'], express.urlencoded({ extended: false }), clientSecretCheck(provider.clientsStore));
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
  ex.post('/oauth/login', form, (req, res, next) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    signIn
      .signInWithCode(body, req.headers.cookie)
      .then((to) => noStore(res).redirect(302, to))
      .catch(async (e: unknown) => {
        if (!(e instanceof InvalidLoginCodeError)) throw e;
        // Same page again, same CSRF token (it is this browser's): the athlete can retry.
        const requestId = String(body.request_id);
        const { pending } = await signIn.bound(requestId, req.headers.cookie);
        const view = await signIn.clientView(pending);
        noStore(res).status(400).type('html').send(loginPage({ ...view, requestId, csrf: String(body.csrf), error: e.message }));
      })
      .catch(next);
  });
  ex.get(CONSENT_PATH, (req, res, next) => {
    signIn
      .consent(typeof req.query.request_id === 'string' ? req.query.request_id : '', req.headers.cookie)
      .then((view) => noStore(res).status(200).type('html').send(consentPage(view)))
      .catch(next);
  });
  ex.post(CONSENT_PATH, form, (req, res, next) => {
    signIn
      .decide((req.body ?? {}) as Record<string, unknown>, req.headers.cookie)
      .then((to) => noStore(res).redirect(302, to))
      .catch(next);
  });
  ex.use((err: Error & { status?: number }, req: express.Request, res: express.Response, _next: express.NextFunction) => {
    if (res.headersSent) return;
    if (err instanceof HttpError) {
      noStore(res).status(err.statusCode).type('html').send(messagePage('Sign-in not completed', err.message));
      return;
    }
    // A body the parser refused (too large, bad charset): the client's fault, said in the endpoint's own terms.
    if (err.status && err.status >= 400 && err.status < 500) {
      const message = err.status === 413 ? 'The request body is too large.' : 'The request body could not be read.';
      if (req.path.startsWith('/oauth/')) noStore(res).status(err.status).type('html').send(messagePage('Sign-in not completed', message));
      else res.status(err.status).json({ error: 'invalid_request', error_description: message });
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
        // Sign-in codes are guessable only as fast as an address may try them.
        onRequest: url === '/oauth/login' ? async (req, reply) => (req.method === 'POST' ? deps.loginLimit.hit(req, reply) : undefined) : undefined,
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

function noStore(res: express.Response): express.Response {
  return res.setHeader('cache-control', 'no-store');
}

/**
 * Confidential clients' secrets, compared in constant time: both sides are hashed to 32 bytes and
 * compared with timingSafeEqual, so neither the position of a difference nor the stored secret's
 * length shows in the answer's timing. A wrong secret is answered here, as the SDK would answer it.
 */
function clientSecretCheck(clients: OAuthRegisteredClientsStore): express.RequestHandler {
  return (req, res, next) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const { client_id: clientId, client_secret: given } = body;
    // Anything else (no secret, a malformed body) the SDK refuses without comparing.
    if (typeof clientId !== 'string' || typeof given !== 'string') return next();
    Promise.resolve(clients.getClient(clientId)).then((client) => {
      if (client?.client_secret && !safeEqual(given, client.client_secret)) {
        res.status(400).json(new InvalidClientError('Invalid client_secret').toResponseObject());
        return;
      }
      next();
    }, next);
  };
}
