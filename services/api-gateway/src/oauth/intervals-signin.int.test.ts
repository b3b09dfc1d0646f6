import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import type { FastifyInstance } from 'fastify';
import { parseKeyring } from '@splits/db';
import { deriveStateKey } from '@splits/intervals';
import { createLogger } from '@splits/telemetry';
import { createTestDatabase, freePort, generateAthlete, startFakeIntervals, TEST_ENCRYPTION_KEY, type FakeIntervals, type TestDatabase } from '@splits/testing';
import { buildApp } from '../app.js';
import { formField, openTestQueues, PAGE_SECURITY_HEADERS, pageSecurityHeaders, TestBrowser } from '../test-harness.js';

/**
 * "Sign in with Intervals.icu" for an assistant (issue 6): the Splits authorize page links to the
 * Intervals.icu connect flow; its callback leads the athlete to Splits' consent page, and only an
 * Allow there completes the assistant's pending authorization. The assistant then gets Splits' own
 * tokens for the athlete who signed in; no Intervals.icu token passes through. Every step needs the
 * browser that opened the authorize page (security review, item 1: the sign-in link used to be a
 * bearer capability an attacker could send to a victim).
 */
const q = openTestQueues('gwsignin');
let tdb: TestDatabase;
let fake: FakeIntervals;
let app: FastifyInstance;
let base: string;
const REDIRECT = 'http://127.0.0.1:9/callback';
const athlete = generateAthlete({ seed: 61, weeks: 1 });
const victim = generateAthlete({ seed: 62, weeks: 1 });

beforeAll(async () => {
  tdb = await createTestDatabase('gwsignin');
  fake = await startFakeIntervals({ oauth: { clientId: '4242', clientSecret: 'signin-app-secret' } });
  fake.addAthlete(athlete, { apiKey: 'signin-key' });
  fake.addAthlete(victim, { apiKey: 'victim-key' });
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  app = await buildApp({
    db: tdb.db,
    queues: q.queues,
    log: createLogger('api-gateway', 'silent'),
    publicBaseUrl: base,
    encryptionKey: Buffer.from(TEST_ENCRYPTION_KEY, 'base64'),
    connect: {
      db: tdb.db,
      queues: q.queues,
      log: createLogger('api-gateway', 'silent'),
      keys: parseKeyring(TEST_ENCRYPTION_KEY),
      stateKey: deriveStateKey(Buffer.from(TEST_ENCRYPTION_KEY, 'base64')),
      intervalsBaseUrl: fake.url,
      clientId: '4242',
      clientSecret: 'signin-app-secret',
      redirectUri: `${base}/connect/intervals/callback`,
      backfillWeeks: 4,
    },
  });
  await app.listen({ host: '127.0.0.1', port });
});

afterAll(async () => {
  await q.close();
  await app?.close();
  await fake?.close();
  await tdb?.drop();
});

interface SignIn {
  browser: TestBrowser;
  clientId: string;
  verifier: string;
  /** The "Sign in with Intervals.icu" link of the authorize page. */
  link: string;
  requestId: string;
}

/** An assistant (a freshly registered client) sends `browser` to the authorize page. */
async function startSignIn(browser = new TestBrowser(), redirect = REDIRECT): Promise<SignIn> {
  const reg = await fetch(`${base}/register`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ redirect_uris: [redirect], client_name: 'Claude', token_endpoint_auth_method: 'none' }),
  });
  const { client_id: clientId } = (await reg.json()) as { client_id: string };
  const verifier = randomBytes(32).toString('base64url');
  const challenge = createHash('sha256').update(verifier).digest('base64url');
  const params = new URLSearchParams({ response_type: 'code', client_id: clientId, redirect_uri: redirect, code_challenge: challenge, code_challenge_method: 'S256', state: 'st-9' });
  const page = await browser.fetch(`${base}/authorize?${params}`);
  expect(page.status).toBe(200);
  const html = await page.text();
  const href = /<a class="button" href="([^"]+)">Sign in with Intervals\.icu<\/a>/.exec(html)?.[1];
  expect(href).toBeDefined();
  return { browser, clientId, verifier, link: href!.replace(/&amp;/g, '&'), requestId: formField(html, 'request_id') };
}

/** Splits' connect start → the Intervals.icu authorize URL (in `browser`). */
async function toIntervals(browser: TestBrowser, link: string): Promise<Response> {
  return browser.fetch(`${base}${link}`);
}

/** Intervals.icu (the fake approves at once, as whoever `setConsent` names) → the callback URL it sends the browser to. */
async function intervalsApproves(authorizeUrl: string): Promise<string> {
  const consent = await fetch(authorizeUrl, { redirect: 'manual' });
  expect(consent.status).toBe(302);
  return consent.headers.get('location')!;
}

/** The whole trip in one browser, up to Splits' consent page: its HTML. */
async function toConsentPage(s: SignIn): Promise<string> {
  const start = await toIntervals(s.browser, s.link);
  expect(start.status).toBe(302);
  const back = await s.browser.fetch(await intervalsApproves(start.headers.get('location')!));
  expect(back.status).toBe(303);
  const consentUrl = new URL(back.headers.get('location')!, base);
  expect(consentUrl.pathname).toBe('/oauth/consent');
  const page = await s.browser.fetch(consentUrl);
  expect(page.status).toBe(200);
  expect(pageSecurityHeaders(page.headers)).toEqual(PAGE_SECURITY_HEADERS);
  return page.text();
}

const decide = (browser: TestBrowser, html: string, decision: 'allow' | 'deny', overrides: Record<string, string> = {}) =>
  browser.post(`${base}/oauth/consent`, { request_id: formField(html, 'request_id'), csrf: formField(html, 'csrf'), decision, ...overrides });

const redeem = (s: SignIn, code: string) =>
  fetch(`${base}/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'authorization_code', code, code_verifier: s.verifier, client_id: s.clientId, redirect_uri: REDIRECT }),
  });

const authorizationRow = (id: string) =>
  tdb.db.selectFrom('oauth_authorization').select(['athlete_id', 'code_hash', 'signed_in_athlete_id', 'used_at']).where('id', '=', id).executeTakeFirstOrThrow();
const tokenExchanges = () => fake.requests.filter((r) => r.path === '/api/oauth/token').length;

beforeEach(() => fake.oauth.setConsent({ athleteId: athlete.athleteId }));

describe('Sign in with Intervals.icu', () => {
  it('connects the athlete, asks on Splits\' consent page, and after Allow returns the assistant a Splits code for that athlete', async () => {
    const s = await startSignIn();
    const html = await toConsentPage(s);
    // The page names who signed in, the client, and the host its access goes to.
    expect(html).toContain(athlete.athleteId);
    expect(html).toContain('Claude');
    expect(html).toContain('127.0.0.1:9');
    // Until Allow, the assistant has nothing.
    expect(await authorizationRow(s.requestId)).toMatchObject({ athlete_id: null, code_hash: null });

    const back = await decide(s.browser, html, 'allow');
    expect(back.status).toBe(302);
    expect(pageSecurityHeaders(back.headers)).toEqual(PAGE_SECURITY_HEADERS);
    const target = new URL(back.headers.get('location')!);
    expect(target.origin + target.pathname).toBe(REDIRECT);
    expect(target.searchParams.get('state')).toBe('st-9');
    const code = target.searchParams.get('code')!;

    const tok = await redeem(s, code);
    expect(tok.status).toBe(200);
    const tokens = (await tok.json()) as { access_token: string; refresh_token: string };
    expect(tokens.access_token).toMatch(/^spa_/);

    const me = (await (await fetch(`${base}/me`, { headers: { authorization: `Bearer ${tokens.access_token}` } })).json()) as Record<string, unknown>;
    const conn = await tdb.db.selectFrom('intervals_connection').select(['athlete_id', 'auth_kind', 'credential_enc']).where('intervals_athlete_id', '=', athlete.athleteId).executeTakeFirstOrThrow();
    expect(JSON.stringify(me)).toContain(conn.athlete_id);
    expect(conn.auth_kind).toBe('oauth');
    // Splits issued its own token: the Intervals.icu bearer is sealed in the database, never handed out.
    expect(tokens.access_token).not.toBe(conn.credential_enc);
    expect(JSON.stringify(tokens)).not.toMatch(/ACTIVITY:|intervals/i);
  });

  it('Deny sends the assistant access_denied and ends the request for good', async () => {
    const s = await startSignIn();
    const html = await toConsentPage(s);
    const back = await decide(s.browser, html, 'deny');
    expect(back.status).toBe(302);
    const target = new URL(back.headers.get('location')!);
    expect(target.origin + target.pathname).toBe(REDIRECT);
    expect(target.searchParams.get('error')).toBe('access_denied');
    expect(target.searchParams.get('state')).toBe('st-9');
    expect(target.searchParams.get('code')).toBeNull();
    // A later Allow (a second tab, a replayed form) finds nothing to approve.
    const late = await decide(s.browser, html, 'allow');
    expect(late.status).toBe(400);
    expect(await late.text()).toContain('expired or already used');
    expect(await authorizationRow(s.requestId)).toMatchObject({ athlete_id: null, code_hash: null });
  });

  it('the consent form needs its CSRF token and the same browser', async () => {
    const s = await startSignIn();
    const html = await toConsentPage(s);
    expect((await decide(s.browser, html, 'allow', { csrf: 'A'.repeat(43) })).status).toBe(403);
    const elsewhere = await decide(new TestBrowser(), html, 'allow');
    expect(elsewhere.status).toBe(403);
    expect(await elsewhere.text()).toContain('started in another browser');
    // Another browser cannot read the consent page either.
    const peek = await new TestBrowser().fetch(`${base}/oauth/consent?request_id=${encodeURIComponent(s.requestId)}`);
    expect(peek.status).toBe(403);
    expect(await authorizationRow(s.requestId)).toMatchObject({ athlete_id: null, code_hash: null });
    // The right browser still can.
    expect((await decide(s.browser, html, 'allow')).status).toBe(302);
  });

  it('after Allow the sign-in link is spent; a forged context is refused', async () => {
    const s = await startSignIn();
    expect((await decide(s.browser, await toConsentPage(s), 'allow')).status).toBe(302);
    const again = await toIntervals(s.browser, s.link);
    expect(again.status).toBe(400);
    expect(((await again.json()) as { error: { code: string } }).error.code).toBe('authorization_expired');

    const forged = await fetch(`${base}/connect/intervals?ctx=${encodeURIComponent('eyJwIjoiY29ubmVjdC1jb250ZXh0In0.AAAA')}`, { redirect: 'manual' });
    expect(forged.status).toBe(400);
  });
});

/**
 * The attack: the attacker registers a client with their own redirect URI (open registration),
 * opens /authorize in their own browser, and gets the victim to finish the Intervals.icu part. Before
 * the fix the callback bound the request to the victim and sent the victim's code to the attacker.
 */
describe('a sign-in started in the attacker\'s browser cannot be finished by the victim', () => {
  const EVIL = 'https://evil.example/cb';

  /** The victim's browser follows redirects as a browser does; stops where the attacker would receive a code. */
  async function victimFollows(browser: TestBrowser, url: string): Promise<{ visited: string[]; last: Response }> {
    const visited: string[] = [];
    let next = url;
    let last!: Response;
    for (let hop = 0; hop < 8; hop++) {
      visited.push(next);
      if (next.startsWith(EVIL)) break;
      last = await browser.fetch(next, { headers: { accept: 'text/html' } });
      const location = last.headers.get('location');
      if (!location) break;
      next = new URL(location, next).href;
    }
    return { visited, last };
  }

  /** Whatever reached the attacker's redirect URI, redeemed with the attacker's own PKCE verifier. */
  async function attackerRedeems(attack: SignIn, visited: string[]): Promise<number | null> {
    const landed = visited.find((u) => u.startsWith(EVIL));
    const code = landed ? new URL(landed).searchParams.get('code') : null;
    if (!code) return null;
    const res = await fetch(`${base}/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'authorization_code', code, code_verifier: attack.verifier, client_id: attack.clientId, redirect_uri: EVIL }),
    });
    return res.status;
  }

  it('the "Sign in with Intervals.icu" link, opened in the victim\'s browser, stops before Intervals.icu', async () => {
    fake.oauth.setConsent({ athleteId: victim.athleteId });
    const attack = await startSignIn(new TestBrowser(), EVIL);
    // The victim's browser: no cookie at all, or its own from a sign-in of its own.
    for (const victimBrowser of [new TestBrowser(), (await startSignIn()).browser]) {
      const { visited, last } = await victimFollows(victimBrowser, `${base}${attack.link}`);
      expect(visited).toHaveLength(1);
      expect(last.status).toBe(403);
      expect(pageSecurityHeaders(last.headers)).toEqual(PAGE_SECURITY_HEADERS);
      expect(await last.text()).toContain('started in another browser');
      expect(await attackerRedeems(attack, visited)).toBeNull();
    }
    expect(await authorizationRow(attack.requestId)).toMatchObject({ athlete_id: null, code_hash: null, signed_in_athlete_id: null });
    expect(await tdb.db.selectFrom('intervals_connection').select('athlete_id').where('intervals_athlete_id', '=', victim.athleteId).executeTakeFirst()).toBeUndefined();
  });

  it('the Intervals.icu authorize URL, approved by the victim, is refused at the callback: nothing connected, no code', async () => {
    const attack = await startSignIn(new TestBrowser(), EVIL);
    // The attacker's own browser passes the start and forwards Intervals.icu's authorize URL.
    const start = await toIntervals(attack.browser, attack.link);
    expect(start.status).toBe(302);
    fake.oauth.setConsent({ athleteId: victim.athleteId });
    const before = tokenExchanges();

    const { visited, last } = await victimFollows(new TestBrowser(), start.headers.get('location')!);
    expect(visited.map((u) => new URL(u).pathname)).toEqual(['/oauth/authorize', '/connect/intervals/callback']);
    expect(last.status).toBe(403);
    expect(pageSecurityHeaders(last.headers)).toEqual(PAGE_SECURITY_HEADERS);
    expect(await last.text()).toContain('started in another browser');
    expect(await attackerRedeems(attack, visited)).toBeNull();
    // The victim's Intervals.icu code was never spent, no connection was made, the request is untouched.
    expect(tokenExchanges()).toBe(before);
    expect(await tdb.db.selectFrom('intervals_connection').select('athlete_id').where('intervals_athlete_id', '=', victim.athleteId).executeTakeFirst()).toBeUndefined();
    expect(await authorizationRow(attack.requestId)).toMatchObject({ athlete_id: null, code_hash: null, signed_in_athlete_id: null });
  });

  it('a victim who opens the attacker\'s authorize URL itself stops on the consent page naming the attacker\'s host', async () => {
    fake.oauth.setConsent({ athleteId: victim.athleteId });
    const attack = await startSignIn(new TestBrowser(), EVIL);
    // The attacker's authorize request, opened in the victim's browser: a request of its own, bound to that browser.
    const victimSignIn = await startSignIn(new TestBrowser(), EVIL);
    const { visited, last } = await victimFollows(victimSignIn.browser, `${base}${victimSignIn.link}`);
    expect(new URL(visited.at(-1)!).pathname).toBe('/oauth/consent');
    expect(last.status).toBe(200);
    const html = await last.text();
    expect(html).toContain('evil.example');
    expect(html).toMatch(/name="decision" value="deny"/);
    // No Allow, no code: neither request has one.
    expect(await attackerRedeems(attack, visited)).toBeNull();
    expect(await authorizationRow(victimSignIn.requestId)).toMatchObject({ athlete_id: null, code_hash: null });
  });
});
