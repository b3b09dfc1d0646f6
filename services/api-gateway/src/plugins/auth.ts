import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Db } from '@splits/db';
import { UnauthorizedError } from '../errors.js';
import { authenticateToken, resourcesOf, type AuthCache } from '../services/auth.service.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the bearer-auth hook; every data query is scoped by it. */
    athleteId: string;
    /** Hash of the caller's token: the per-token rate-limit key. */
    tokenKey: string;
  }
}

const BEARER = /^Bearer ([A-Za-z0-9._~+/=-]+)$/;

/**
 * Bearer auth for every route registered in `scope` (and its children). Runs on onRequest, so an
 * unauthenticated request learns nothing, not even whether its query would validate. Tokens are
 * Splits' own and stored hashed; the plaintext is never logged. A 401 names the protected-resource
 * metadata (RFC 9728), where OAuth clients discover how to get a token.
 */
export function useBearerAuth(scope: FastifyInstance, db: Db, publicBaseUrl: string, cache?: AuthCache): void {
  const resources = resourcesOf(publicBaseUrl);
  const metadata = (path: string) =>
    `${resources.rest}/.well-known/oauth-protected-resource${path.startsWith('/mcp') ? '/mcp' : ''}`;
  scope.decorateRequest('athleteId', '');
  scope.decorateRequest('tokenKey', '');
  scope.addHook('onRequest', async (req: FastifyRequest) => {
    const header = req.headers.authorization;
    const match = BEARER.exec(header ?? '');
    const caller = match ? await authenticateToken(db, match[1]!, resources.all, cache) : null;
    if (!caller) {
      const error = header ? ', error="invalid_token"' : '';
      throw new UnauthorizedError(undefined, `Bearer resource_metadata="${metadata(req.url)}"${error}`);
    }
    req.athleteId = caller.athleteId;
    req.tokenKey = caller.tokenKey;
  });
}
