import { findAthleteIdByToken, findOAuthToken, hashToken, InvalidatedCache, type ChangeFeed, type Db } from '@splits/db';

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
export async function authenticateToken(db: Db, token: string, resources: Set<string>, cache?: AuthCache): Promise<Caller | null> {
  const tokenKey = hashToken(token);
  if (!cache) return lookupToken(db, token, tokenKey, resources);
  if (cache.trusted) {
    const hit = cache.get(tokenKey);
    if (hit && (hit.expiresAt === null || hit.expiresAt * 1000 > Date.now())) return hit;
  }
  const mark = cache.mark();
  const caller = await lookupToken(db, token, tokenKey, resources);
  // Only accepted tokens are kept: unknown ones cannot fill the cache.
  if (caller) cache.set(tokenKey, caller, mark);
  return caller;
}

export type AuthCache = InvalidatedCache<Caller>;

/**
 * Accepted tokens by hash, so a request needs no database read to know its caller. Trusted only while
 * the change feed is live: revoking or deleting a token row (any path, any process) notifies and
 * drops the entry, the feed's loss drops everything, and an OAuth token's expiry is checked on each
 * use. Entries are re-read after five minutes regardless, as a bound on any missed notification.
 */
export function createAuthCache(feed: ChangeFeed): AuthCache {
  return new InvalidatedCache<Caller>(feed, 'token', { max: 10_000, maxAgeMs: 5 * 60_000 });
}

async function lookupToken(db: Db, token: string, tokenKey: string, resources: Set<string>): Promise<Caller | null> {
  if (token.startsWith('spa_')) {
    const t = await findOAuthToken(db, token);
    if (!t || t.kind !== 'access' || t.revoked_at || t.expires_at.getTime() <= Date.now() || !resources.has(t.resource)) return null;
    return {
      athleteId: t.athlete_id,
      tokenKey,
      clientId: t.client_id,
      scopes: t.scopes.split(' ').filter(Boolean),
      expiresAt: Math.floor(t.expires_at.getTime() / 1000),
      resource: t.resource,
    };
  }
  const athleteId = await findAthleteIdByToken(db, token);
  return athleteId ? { athleteId, tokenKey, clientId: null, scopes: [], expiresAt: null, resource: null } : null;
}
