import type { FastifyInstance, FastifyRequest } from 'fastify';
import { findAthleteIdByToken, type Db } from '@splits/db';
import { UnauthorizedError } from '../errors.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the bearer-auth hook; every data query is scoped by it. */
    athleteId: string;
  }
}

const BEARER = /^Bearer ([A-Za-z0-9._~+/=-]+)$/;

/**
 * Bearer auth for every route registered in `scope` (and its children). Runs on onRequest, so an
 * unauthenticated request learns nothing, not even whether its query would validate. Tokens are
 * Splits' own and stored hashed; the plaintext is never logged.
 */
export function useBearerAuth(scope: FastifyInstance, db: Db): void {
  scope.decorateRequest('athleteId', '');
  scope.addHook('onRequest', async (req: FastifyRequest) => {
    const match = BEARER.exec(req.headers.authorization ?? '');
    const athleteId = match ? await findAthleteIdByToken(db, match[1]!) : null;
    if (!athleteId) throw new UnauthorizedError();
    req.athleteId = athleteId;
  });
}
