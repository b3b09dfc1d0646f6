import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { FastifyInstance } from 'fastify';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { UnauthorizedError, type OAuthClientProvider } from '@modelcontextprotocol/sdk/client/auth.js';
import type { OAuthClientInformationMixed, OAuthClientMetadata, OAuthTokens } from '@modelcontextprotocol/sdk/shared/auth.js';
import { createLoginCode } from '@splits/db';
import { createLogger } from '@splits/telemetry';
import { createTestDatabase, freePort, TEST_ENCRYPTION_KEY, type TestDatabase } from '@splits/testing';
import { buildApp } from '../app.js';
import { formField, PAGE_SECURITY_HEADERS, pageSecurityHeaders, seedAthlete, TestBrowser, type SeededAthlete } from '../test-harness.js';
import { openTestQueues } from '../test-harness.js';

const q = openTestQueues('gwoauth');

let tdb: TestDatabase;
let app: FastifyInstance;
let base: string;
let a: SeededAthlete;
const REDIRECT = 'http://127.0.0.1:9/callback';

beforeAll(async () => {
  tdb = await createTestDatabase('gwoauth');
  a = await seedAthlete(tdb.db, 'i7007', ['2026-05-01']);
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  app = await buildApp({
    db: tdb.db,
    queues: q.queues,
    log: createLogger('api-gateway', 'silent'),
    publicBaseUrl: base,
    encryptionKey: Buffer.from(TEST_ENCRYPTION_KEY, 'base64'),
    // Every sign-in here comes from 127.0.0.1; the per-IP limit has its own test (rate-limit.int.test.ts).
    rateLimit: { loginMax: 1000 },
  });
  await app.listen({ host: '127.0.0.1', port });
});

afterAll(async () => {
  await q.close();
  await app?.close();
  await tdb?.drop();
});

const loginCode = async () => (await createLoginCode(tdb.db, a.athleteId, 60_000)).code;
const pkce = () => {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
};

async function register(body: Record<string, unknown> = {}): Promise<{ client_id: string; client_secret?: string }> {
  const res = await fetch(`${base}/register`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ redirect_uris: [REDIRECT], client_name: 'Test <Client>', token_endpoint_auth_method: 'none', ...body }),
  });
  expect(res.status).toBe(201);
  return (await res.json()) as { client_id: string; client_secret?: string };
}

const authorizeQuery = (clientId: string, challenge: string, extra: Record<string, string> = {}) =>
  new URLSearchParams({ response_type: 'code', client_id: clientId, redirect_uri: REDIRECT, code_challenge: challenge, code_challenge_method: 'S256', state: 'st-1', ...extra });

/** Authorize page → sign in with a one-time code, in the same browser → the redirect's Location. */
async function authorize(clientId: string, challenge: string, extra: Record<string, string> = {}, code?: string): Promise<URL> {
  const browser = new TestBrowser();
  const page = await browser.fetch(`${base}/authorize?${authorizeQuery(clientId, challenge, extra)}`);
  if (page.status === 302) return new URL(page.headers.get('location')!);
  expect(page.status).toBe(200);
  expect(pageSecurityHeaders(page.headers)).toEqual(PAGE_SECURITY_HEADERS);
  const html = await page.text();
  // The client's self-chosen name, escaped, and the host its code goes to.
  expect(html).toContain('Test &lt;Client&gt;');
  expect(html).toContain('127.0.0.1:9');
  const res = await browser.post(`${base}/oauth/login`, { request_id: formField(html, 'request_id'), csrf: formField(html, 'csrf'), code: code ?? (await loginCode()) });
  expect(res.status).toBe(302);
  expect(pageSecurityHeaders(res.headers)).toEqual(PAGE_SECURITY_HEADERS);
  return new URL(res.headers.get('location')!);
}

async function token(params: Record<string, string>): Promise<{ status: number; body: OAuthTokens & { error?: string } }> {
  const res = await fetch(`${base}/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(params) });
  return { status: res.status, body: (await res.json()) as OAuthTokens & { error?: string } };
}

const me = (accessToken: string) => fetch(`${base}/me`, { headers: { authorization: `Bearer ${accessToken}` } });

describe('OAuth metadata and challenges', () => {
  it('publishes RFC 8414 authorization-server and RFC 9728 protected-resource metadata', async () => {
    const as = (await (await fetch(`${base}/.well-known/oauth-authorization-server`)).json()) as Record<string, unknown>;
    expect(as).toMatchObject({
      issuer: `${base}/`,
      authorization_endpoint: `${base}/authorize`,
      token_endpoint: `${base}/token`,
      registration_endpoint: `${base}/register`,
      code_challenge_methods_supported: ['S256'],
      grant_types_supported: ['authorization_code', 'refresh_token'],
    });
    const prm = (await (await fetch(`${base}/.well-known/oauth-protected-resource/mcp`)).json()) as Record<string, unknown>;
    expect(prm).toMatchObject({ resource: `${base}/mcp`, authorization_servers: [`${base}/`] });
    const rest = (await (await fetch(`${base}/.well-known/oauth-protected-resource`)).json()) as Record<string, unknown>;
    expect(rest).toMatchObject({ resource: base });
  });

  it('answers 401 with WWW-Authenticate naming the resource metadata', async () => {
    const res = await fetch(`${base}/mcp`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe(`Bearer resource_metadata="${base}/.well-known/oauth-protected-resource/mcp"`);
    const bad = await me('spa_forged');
    expect(bad.headers.get('www-authenticate')).toBe(`Bearer resource_metadata="${base}/.well-known/oauth-protected-resource", error="invalid_token"`);
  });

  it('rejects a registration with a non-https redirect', async () => {
    const res = await fetch(`${base}/register`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ redirect_uris: ['http://evil.example/cb'] }) });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: 'invalid_client_metadata' });
  });
});

describe('the official SDK client signs in with dynamic registration and PKCE', () => {
  it('discovers, registers, authorizes, exchanges and then calls a tool', async () => {
    const store: { client?: OAuthClientInformationMixed; tokens?: OAuthTokens; verifier?: string; redirect?: URL } = {};
    const provider: OAuthClientProvider = {
      redirectUrl: REDIRECT,
      clientMetadata: { redirect_uris: [REDIRECT], client_name: 'Test <Client>', token_endpoint_auth_method: 'none' } as OAuthClientMetadata,
      clientInformation: () => store.client,
      saveClientInformation: (c) => void (store.client = c),
      tokens: () => store.tokens,
      saveTokens: (t) => void (store.tokens = t),
      redirectToAuthorization: (url) => void (store.redirect = url),
      saveCodeVerifier: (v) => void (store.verifier = v),
      codeVerifier: () => store.verifier!,
    };
    const url = new URL('/mcp', base);
    const first = new StreamableHTTPClientTransport(url, { authProvider: provider });
    await expect(new Client({ name: 't', version: '1' }).connect(first)).rejects.toThrow(UnauthorizedError);
    expect(store.client?.client_id).toBeTruthy();
    const authUrl = store.redirect!;
    expect(authUrl.searchParams.get('code_challenge_method')).toBe('S256');
    expect(authUrl.searchParams.get('resource')).toBe(`${base}/mcp`);

    const browser = new TestBrowser();
    const page = await (await browser.fetch(authUrl)).text();
    const signed = await browser.post(`${base}/oauth/login`, {
      request_id: formField(page, 'request_id'),
      csrf: formField(page, 'csrf'),
      code: (await loginCode()).toLowerCase(),
    });
    const back = new URL(signed.headers.get('location')!);
    expect(back.searchParams.get('state')).toBe(authUrl.searchParams.get('state'));
    await first.finishAuth(back.searchParams.get('code')!);
    expect(store.tokens?.access_token).toMatch(/^spa_/);
    expect(store.tokens?.refresh_token).toMatch(/^spr_/);

    const client = new Client({ name: 't', version: '1' });
    await client.connect(new StreamableHTTPClientTransport(url, { authProvider: provider }));
    const who = await client.callTool({ name: 'whoami', arguments: {} });
    expect(who.structuredContent).toMatchObject({ athleteId: a.athleteId });
    await client.close();
    // The same token reads REST too (one resource server).
    expect((await me(store.tokens!.access_token)).status).toBe(200);
  });
});

describe('authorization code, PKCE and refresh tokens', () => {
  it('rejects a wrong verifier, then a replayed code, and revokes what the code gave', async () => {
    const c = await register();
    const { verifier, challenge } = pkce();
    const back = await authorize(c.client_id, challenge);
    const code = back.searchParams.get('code')!;
    const wrong = await token({ grant_type: 'authorization_code', client_id: c.client_id, code, code_verifier: pkce().verifier, redirect_uri: REDIRECT });
    expect(wrong).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
    const ok = await token({ grant_type: 'authorization_code', client_id: c.client_id, code, code_verifier: verifier, redirect_uri: REDIRECT });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ token_type: 'Bearer', expires_in: 3600, scope: 'training' });
    expect((await me(ok.body.access_token)).status).toBe(200);
    const replay = await token({ grant_type: 'authorization_code', client_id: c.client_id, code, code_verifier: verifier, redirect_uri: REDIRECT });
    expect(replay).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
    expect((await me(ok.body.access_token)).status).toBe(401);
  });

  it('rotates refresh tokens and ends the grant when a used one comes back', async () => {
    const c = await register();
    const { verifier, challenge } = pkce();
    const code = (await authorize(c.client_id, challenge)).searchParams.get('code')!;
    const t1 = (await token({ grant_type: 'authorization_code', client_id: c.client_id, code, code_verifier: verifier })).body;
    const t2 = await token({ grant_type: 'refresh_token', client_id: c.client_id, refresh_token: t1.refresh_token! });
    expect(t2.status).toBe(200);
    expect(t2.body.refresh_token).not.toBe(t1.refresh_token);
    expect((await me(t2.body.access_token)).status).toBe(200);
    const reuse = await token({ grant_type: 'refresh_token', client_id: c.client_id, refresh_token: t1.refresh_token! });
    expect(reuse).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
    expect((await me(t2.body.access_token)).status).toBe(401);
    const after = await token({ grant_type: 'refresh_token', client_id: c.client_id, refresh_token: t2.body.refresh_token! });
    expect(after.status).toBe(400);
  });

  it('binds tokens to this resource: another resource is refused, another deployment rejects the token', async () => {
    const c = await register();
    const { challenge, verifier } = pkce();
    const refused = await authorize(c.client_id, challenge, { resource: 'https://other.example/mcp' });
    expect(refused.searchParams.get('error')).toBe('invalid_target');
    expect(refused.searchParams.get('state')).toBe('st-1');

    const code = (await authorize(c.client_id, challenge, { resource: `${base}/mcp` })).searchParams.get('code')!;
    const t = (await token({ grant_type: 'authorization_code', client_id: c.client_id, code, code_verifier: verifier, resource: `${base}/mcp` })).body;
    expect((await me(t.access_token)).status).toBe(200);
    const elsewhere = await buildApp({ db: tdb.db, queues: q.queues, log: createLogger('api-gateway', 'silent'), publicBaseUrl: 'https://splits.other.example' });
    try {
      const res = await elsewhere.inject({ method: 'GET', url: '/me', headers: { authorization: `Bearer ${t.access_token}` } });
      expect(res.statusCode).toBe(401);
    } finally {
      await elsewhere.close();
    }
  });

  it('refuses a wrong or reused sign-in code on the authorize page', async () => {
    const c = await register();
    const browser = new TestBrowser();
    const formOf = async () => {
      const html = await (await browser.fetch(`${base}/authorize?${authorizeQuery(c.client_id, pkce().challenge)}`)).text();
      return { request_id: formField(html, 'request_id'), csrf: formField(html, 'csrf') };
    };
    let form = await formOf();
    const post = (code: string) => browser.post(`${base}/oauth/login`, { ...form, code });
    const wrong = await post('AAAAA-BBBBB');
    expect(wrong.status).toBe(400);
    expect(pageSecurityHeaders(wrong.headers)).toEqual(PAGE_SECURITY_HEADERS);
    const again = await wrong.text();
    expect(again).toContain('not valid or has expired');
    // The page comes back with a form that still works in this browser.
    expect(formField(again, 'csrf')).toBe(form.csrf);
    const used = await loginCode();
    expect((await post(used)).status).toBe(302);
    // The request is spent, and so is the code.
    expect((await post(await loginCode())).status).toBe(400);
    form = await formOf();
    expect((await post(used)).status).toBe(400);
  });

  it('takes the sign-in code only from the browser that opened the authorize page, with its CSRF token', async () => {
    const c = await register();
    const browser = new TestBrowser();
    const page = await browser.fetch(`${base}/authorize?${authorizeQuery(c.client_id, pkce().challenge)}`);
    const cookie = page.headers.getSetCookie()[0]!;
    expect(cookie).toMatch(/^splits-authorize=[\w-]{43}\.[\w-]{43}; Path=\/; Max-Age=900; HttpOnly; SameSite=Lax$/);
    const html = await page.text();
    const form = { request_id: formField(html, 'request_id'), csrf: formField(html, 'csrf'), code: await loginCode() };

    // The same form posted from any other browser (a link or a page sent to the athlete): refused.
    const elsewhere = await new TestBrowser().post(`${base}/oauth/login`, form);
    expect(elsewhere.status).toBe(403);
    expect(await elsewhere.text()).toContain('started in another browser');
    // Another browser with a cookie of its own from another authorize page: refused as well.
    const other = new TestBrowser();
    await other.fetch(`${base}/authorize?${authorizeQuery(c.client_id, pkce().challenge)}`);
    expect((await other.post(`${base}/oauth/login`, form)).status).toBe(403);
    // The right browser without the page's CSRF token: refused.
    expect((await browser.post(`${base}/oauth/login`, { ...form, csrf: 'A'.repeat(43) })).status).toBe(403);

    // None of them spent the athlete's code: the browser that started the sign-in still finishes it.
    const ok = await browser.post(`${base}/oauth/login`, form);
    expect(ok.status).toBe(302);
    expect(new URL(ok.headers.get('location')!).searchParams.get('code')).toMatch(/^spc_/);
  });

  it('answers an oversized sign-in form or token request with 413, not 500', async () => {
    const login = await new TestBrowser().post(`${base}/oauth/login`, { request_id: 'az_x', code: 'x'.repeat(5000) });
    expect(login.status).toBe(413);
    expect(await login.text()).toContain('too large');
    const t = await token({ grant_type: 'authorization_code', client_id: 'c', code: 'x'.repeat(200_000) });
    expect(t).toMatchObject({ status: 413, body: { error: 'invalid_request' } });
  });

  it('refuses a wrong client secret of any length, at the token and the revocation endpoint', async () => {
    const c = await register({ token_endpoint_auth_method: 'client_secret_post' });
    const secret = c.client_secret!;
    const { verifier, challenge } = pkce();
    const code = (await authorize(c.client_id, challenge)).searchParams.get('code')!;
    const flip = (ch: string) => (ch === 'a' ? 'b' : 'a');
    // Shorter, longer, one character off at the start and at the end, empty, and far too long: lengths
    // that a plain timingSafeEqual over the raw strings would throw on.
    const wrong = ['', 'x', secret.slice(0, -1), `${secret}x`, flip(secret[0]!) + secret.slice(1), secret.slice(0, -1) + flip(secret.at(-1)!), 'y'.repeat(5000)];
    for (const client_secret of wrong) {
      const t = await token({ grant_type: 'authorization_code', client_id: c.client_id, client_secret, code, code_verifier: verifier });
      expect(t).toMatchObject({ status: 400, body: { error: 'invalid_client' } });
      const rev = await fetch(`${base}/revoke`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ client_id: c.client_id, client_secret, token: 'spr_whatever' }),
      });
      expect(rev.status).toBe(400);
      expect(await rev.json()).toMatchObject({ error: 'invalid_client' });
    }
    // None of that spent the code: the right secret still redeems it.
    const ok = await token({ grant_type: 'authorization_code', client_id: c.client_id, client_secret: secret, code, code_verifier: verifier });
    expect(ok.status).toBe(200);
  });

  it('keeps confidential clients working with their secret and revokes tokens', async () => {
    const c = await register({ token_endpoint_auth_method: 'client_secret_post' });
    expect(c.client_secret).toBeTruthy();
    const { verifier, challenge } = pkce();
    const code = (await authorize(c.client_id, challenge)).searchParams.get('code')!;
    const noSecret = await token({ grant_type: 'authorization_code', client_id: c.client_id, code, code_verifier: verifier });
    expect(noSecret).toMatchObject({ status: 400, body: { error: 'invalid_client' } });
    const t = (await token({ grant_type: 'authorization_code', client_id: c.client_id, client_secret: c.client_secret!, code, code_verifier: verifier })).body;
    expect((await me(t.access_token)).status).toBe(200);
    const rev = await fetch(`${base}/revoke`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ client_id: c.client_id, client_secret: c.client_secret!, token: t.refresh_token! }),
    });
    expect(rev.status).toBe(200);
    expect((await me(t.access_token)).status).toBe(401);
  });
});
