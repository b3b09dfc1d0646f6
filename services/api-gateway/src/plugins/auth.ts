import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Db } from '@splits/db';
import { UnauthorizedError } from '../errors.js';
import { authenticateToken, resourcesOf, type AuthCache } from '../services/auth.service.js';
import type { IpLimiter } from './rate-limit.js';

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
 * metadata (RFC 9728), where OAuth clients discover how to get a token. With `failures`, an address
 * that presented too many bad tokens gets 429 before its next token is even looked at.
 */
export function useBearerAuth(
  scope: FastifyInstance,
  db: Db,
  publicBaseUrl: string,
  opts: { cache?: AuthCache; failures?: IpLimiter } = {},
): void {
  const resources = resourcesOf(publicBaseUrl);
  const metadata = (path: string) =>
    `${resources.rest}/.well-known/oauth-protected-resource${path.startsWith('/mcp') ? '/mcp' : ''}`;
  scope.decorateRequest('athleteId', '');
  scope.decorateRequest('tokenKey', '');
  scope.addHook('onRequest', async (req: FastifyRequest, reply: FastifyReply) => {
    const header = req.headers.authorization;
    // Only presented tokens count: a client's first call without one is how OAuth discovery starts.
    if (header) await opts.failures?.check(req, reply);
    const match = BEARER.exec(header ?? '');
    const caller = match ? await authenticateToken(db, match[1]!, resources.all, opts.cache) : null;
    if (!caller) {
      if (header) await opts.failures?.hit(req, reply);
      const error = header ? ', error="invalid_token"' : '';
      throw new UnauthorizedError(undefined, `Bearer resource_metadata="${metadata(req.url)}"${error}`);
    }
    req.athleteId = caller.athleteId;
    req.tokenKey = caller.tokenKey;
  });
}
