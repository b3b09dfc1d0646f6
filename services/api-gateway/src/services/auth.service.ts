import { findAthleteIdByToken, findOAuthToken, hashToken, type Db } from '@splits/db';

export interface Caller {
  athleteId: string;
  /** Rate-limit key: the token's hash (never the token). */
  tokenKey: string;
  clientId: string | null;
  scopes: string[];
  expiresAt: number | null;
  resource: string | null;
}

/** The URLs this gateway answers as an OAuth protected resource: the REST root and /mcp. */
export function resourcesOf(publicBaseUrl: string): { rest: string; mcp: string; all: Set<string> } {
  const rest = new URL('/', publicBaseUrl).href.replace(/\/$/, '');
  const mcp = `${rest}/mcp`;
  return { rest, mcp, all: new Set([rest, `${rest}/`, mcp]) };
}

/**
 * Who a bearer token belongs to: a Splits API token (`spl_…`, from the CLI or Telegram) or an OAuth
 * access token (`spa_…`) that is unexpired, unrevoked and bound to this gateway's resource (RFC 8707).
 * Never accepts an Intervals.icu token: only hashes of Splits' own tokens are looked up.
 */
export async function authenticateToken(db: Db, token: string, resources: Set<string>): Promise<Caller | null> {
  if (token.startsWith('spa_')) {
    const t = await findOAuthToken(db, token);
    if (!t || t.kind !== 'access' || t.revoked_at || t.expires_at.getTime() <= Date.now() || !resources.has(t.resource)) return null;
    return {
      athleteId: t.athlete_id,
      tokenKey: hashToken(token),
      clientId: t.client_id,
      scopes: t.scopes.split(' ').filter(Boolean),
      expiresAt: Math.floor(t.expires_at.getTime() / 1000),
      resource: t.resource,
    };
  }
  const athleteId = await findAthleteIdByToken(db, token);
  return athleteId ? { athleteId, tokenKey: hashToken(token), clientId: null, scopes: [], expiresAt: null, resource: null } : null;
}
