import type { Request, Response } from 'express';
import type { AuthorizationParams, OAuthServerProvider } from '@modelcontextprotocol/sdk/server/auth/provider.js';
import type { OAuthRegisteredClientsStore } from '@modelcontextprotocol/sdk/server/auth/clients.js';
import type { AuthInfo } from '@modelcontextprotocol/sdk/server/auth/types.js';
import {
  InvalidClientMetadataError,
  InvalidGrantError,
  InvalidRequestError,
  InvalidScopeError,
  InvalidTargetError,
  InvalidTokenError,
} from '@modelcontextprotocol/sdk/server/auth/errors.js';
import type { OAuthClientInformationFull, OAuthTokenRevocationRequest, OAuthTokens } from '@modelcontextprotocol/sdk/shared/auth.js';
import { isStorableJson, isStorableText } from '@splits/contracts';
import {
  consumeAuthorizationCode,
  createAuthorization,
  decryptSecret,
  encryptSecret,
  findAuthorizationCode,
  findOAuthToken,
  getOAuthClient,
  insertOAuthTokens,
  newOAuthToken,
  revokeOAuthFamily,
  revokeOAuthToken,
  saveOAuthClient,
  type Db,
  type EncryptionKeys,
} from '@splits/db';
import { authenticateToken, resourcesOf } from '../services/auth.service.js';
import type { BrowserBinding } from './browser-binding.js';
import { loginPage } from './login-page.js';

export const SCOPES = ['training'];
export const ACCESS_TTL_S = 3600;
export const REFRESH_TTL_S = 60 * 86_400;
/** How long the athlete has to sign in on the authorize page, and the client to redeem the code. */
export const AUTHORIZE_TTL_MS = 15 * 60_000;

export interface OAuthDeps {
  db: Db;
  /** Seals registered clients' secrets at rest (current key) and opens them (old keys too, while rotating). */
  encryptionKey: EncryptionKeys;
  publicBaseUrl: string;
  /** Ties each pending authorization to the browser that opened the authorize page. */
  browser: BrowserBinding;
  /**
   * Where the deployment has an Intervals.icu OAuth app: the link that signs the athlete in through
   * Intervals.icu for this pending authorization (the connect flow completes it). Absent = codes only.
   */
  intervalsSignInUrl?: (requestId: string) => string;
}

/** Redirect URIs per OAuth 2.1: https, or http only to a loopback host (native clients). */
function redirectAllowed(uri: string): boolean {
  try {
    const u = new URL(uri);
    if (u.hash) return false;
    if (u.protocol === 'https:') return true;
    return u.protocol === 'http:' && ['localhost', '127.0.0.1', '[::1]'].includes(u.hostname);
  } catch {
    return false;
  }
}

/**
 * Splits' own OAuth 2.1 authorization server behind the MCP SDK's handlers (which do the protocol:
 * metadata, dynamic registration, PKCE S256 checks, grant parsing). This class decides and stores:
 * who signs in (a one-time code on the authorize page), which resource a token is bound to, and
 * refresh-token rotation with reuse detection. Tokens are Splits' own; nothing from Intervals.icu.
 */
export class SplitsOAuthProvider implements OAuthServerProvider {
  private readonly resources: ReturnType<typeof resourcesOf>;

  constructor(private readonly deps: OAuthDeps) {
    this.resources = resourcesOf(deps.publicBaseUrl);
  }

  get clientsStore(): OAuthRegisteredClientsStore {
    const { db, encryptionKey } = this.deps;
    return {
      getClient: async (clientId: string) => {
        // Postgres refuses NUL in text: such an id names no client.
        if (!isStorableText(clientId)) return undefined;
        const c = await getOAuthClient(db, clientId);
        if (!c) return undefined;
        return {
          ...(c.info as OAuthClientInformationFull),
          client_id: c.clientId,
          ...(c.secretEnc ? { client_secret: decryptSecret(encryptionKey, c.secretEnc) } : {}),
        };
      },
      registerClient: async (client: Omit<OAuthClientInformationFull, 'client_id' | 'client_id_issued_at'>) => {
        const full = client as OAuthClientInformationFull;
        if (!isStorableJson(full)) throw new InvalidClientMetadataError('client metadata must not contain NUL (\\u0000) characters or unpaired surrogates');
        const bad = full.redirect_uris.filter((u) => !redirectAllowed(u));
        if (bad.length) throw new InvalidClientMetadataError(`redirect_uris must be https (or http to localhost): ${bad.join(', ')}`);
        const { client_secret, ...info } = full;
        await saveOAuthClient(db, { clientId: full.client_id, secretEnc: client_secret ? encryptSecret(encryptionKey, client_secret) : null, info });
        return full;
      },
    };
  }

  /**
   * Checks the resource (RFC 8707) and scopes, stores the request bound to this browser (its signed
   * cookie), and shows the sign-in page naming the client and the host its code goes to.
   */
  async authorize(client: OAuthClientInformationFull, params: AuthorizationParams, res: Response): Promise<void> {
    const resource = this.resourceOf(params.resource);
    const scopes = this.scopesOf(params.scopes);
    if (!isStorableJson([params.state, params.codeChallenge])) throw new InvalidRequestError('state and code_challenge must not contain NUL (\\u0000) characters or unpaired surrogates');
    const { nonce, setCookie } = this.deps.browser.issue((res.req as Request).headers.cookie);
    const id = await createAuthorization(this.deps.db, {
      clientId: client.client_id,
      redirectUri: params.redirectUri,
      codeChallenge: params.codeChallenge,
      scopes: scopes.join(' '),
      state: params.state ?? null,
      resource,
      browserHash: this.deps.browser.hash(nonce),
      ttlMs: AUTHORIZE_TTL_MS,
    });
    res.status(200).type('html').setHeader('cache-control', 'no-store');
    res.append('set-cookie', setCookie);
    res.send(
      loginPage({
        requestId: id,
        csrf: this.deps.browser.csrfToken(id, nonce),
        clientName: client.client_name ?? null,
        redirectHost: new URL(params.redirectUri).host,
        intervalsSignInUrl: this.deps.intervalsSignInUrl?.(id),
      }),
    );
  }

  async challengeForAuthorizationCode(client: OAuthClientInformationFull, code: string): Promise<string> {
    const row = await findAuthorizationCode(this.deps.db, client.client_id, code);
    // A replayed code: revoke whatever was issued from it (OAuth 2.1 §4.1.3).
    if (row?.used_at) await revokeOAuthFamily(this.deps.db, row.id);
    if (!row || row.used_at) throw new InvalidGrantError('authorization code is invalid, expired or already used');
    return row.code_challenge;
  }

  async exchangeAuthorizationCode(
    client: OAuthClientInformationFull,
    code: string,
    _codeVerifier?: string,
    redirectUri?: string,
    resource?: URL,
  ): Promise<OAuthTokens> {
    const row = await consumeAuthorizationCode(this.deps.db, client.client_id, code);
    if (!row || !row.athlete_id) {
      // A replayed code: revoke whatever was issued from it (OAuth 2.1 §4.1.3).
      const used = await findAuthorizationCode(this.deps.db, client.client_id, code);
      if (used?.used_at) await revokeOAuthFamily(this.deps.db, used.id);
      throw new InvalidGrantError('authorization code is invalid, expired or already used');
    }
    if (redirectUri !== undefined && redirectUri !== row.redirect_uri) throw new InvalidGrantError('redirect_uri does not match the authorization request');
    if (resource && this.resourceOf(resource) !== row.resource) throw new InvalidTargetError('resource does not match the authorization request');
    return this.issue({ family: row.id, athleteId: row.athlete_id, clientId: client.client_id, resource: row.resource, scopes: row.scopes });
  }

  async exchangeRefreshToken(client: OAuthClientInformationFull, refreshToken: string, scopes?: string[], resource?: URL): Promise<OAuthTokens> {
    const t = await findOAuthToken(this.deps.db, refreshToken);
    if (!t || t.kind !== 'refresh' || t.client_id !== client.client_id) throw new InvalidGrantError('refresh token is invalid');
    if (t.revoked_at) {
      // A rotated refresh token came back: someone holds a copy. End the whole grant.
      await revokeOAuthFamily(this.deps.db, t.family);
      throw new InvalidGrantError('refresh token was already used; sign in again');
    }
    if (t.expires_at.getTime() <= Date.now()) throw new InvalidGrantError('refresh token expired; sign in again');
    if (resource && this.resourceOf(resource) !== t.resource) throw new InvalidTargetError('resource does not match the grant');
    const granted = t.scopes.split(' ').filter(Boolean);
    if (scopes?.some((s) => !granted.includes(s))) throw new InvalidScopeError('a refresh cannot widen the granted scopes');
    if (!(await revokeOAuthToken(this.deps.db, t.id))) throw new InvalidGrantError('refresh token was already used');
    const scope = scopes?.length ? scopes.join(' ') : t.scopes;
    return this.issue({ family: t.family, athleteId: t.athlete_id, clientId: t.client_id, resource: t.resource, scopes: scope });
  }

  async verifyAccessToken(token: string): Promise<AuthInfo> {
    const caller = await authenticateToken(this.deps.db, token, this.resources.all);
    if (!caller || !caller.clientId) throw new InvalidTokenError('invalid or expired access token');
    return {
      token,
      clientId: caller.clientId,
      scopes: caller.scopes,
      expiresAt: caller.expiresAt ?? undefined,
      resource: caller.resource ? new URL(caller.resource) : undefined,
      extra: { athleteId: caller.athleteId },
    };
  }

  async revokeToken(client: OAuthClientInformationFull, request: OAuthTokenRevocationRequest): Promise<void> {
    const t = await findOAuthToken(this.deps.db, request.token);
    if (!t || t.client_id !== client.client_id) return;
    if (t.kind === 'refresh') await revokeOAuthFamily(this.deps.db, t.family);
    else await revokeOAuthToken(this.deps.db, t.id);
  }

  /** The resource a token will be bound to: one of this gateway's, or the REST root when none was named. */
  private resourceOf(resource: URL | undefined): string {
    if (!resource) return this.resources.rest;
    const href = resource.href.replace(/\/$/, '');
    if (!this.resources.all.has(href)) throw new InvalidTargetError(`unknown resource ${resource.href}; this server is ${this.resources.rest}`);
    return href;
  }

  private scopesOf(requested: string[] | undefined): string[] {
    const asked = (requested ?? []).filter(Boolean);
    const unknown = asked.filter((s) => !SCOPES.includes(s));
    if (unknown.length) throw new InvalidScopeError(`unknown scope: ${unknown.join(' ')}; supported: ${SCOPES.join(' ')}`);
    return asked.length ? asked : SCOPES;
  }

  private async issue(g: { family: string; athleteId: string; clientId: string; resource: string; scopes: string }): Promise<OAuthTokens> {
    const access = newOAuthToken('access');
    const refresh = newOAuthToken('refresh');
    const now = Date.now();
    await insertOAuthTokens(this.deps.db, [
      { kind: 'access', token: access, ...g, expiresAt: new Date(now + ACCESS_TTL_S * 1000) },
      { kind: 'refresh', token: refresh, ...g, expiresAt: new Date(now + REFRESH_TTL_S * 1000) },
    ]);
    return { access_token: access, token_type: 'Bearer', expires_in: ACCESS_TTL_S, refresh_token: refresh, scope: g.scopes };
  }
}
