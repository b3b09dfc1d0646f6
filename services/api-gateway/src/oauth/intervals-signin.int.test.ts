import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { FastifyInstance } from 'fastify';
import { parseKeyring } from '@splits/db';
import { deriveStateKey } from '@splits/intervals';
import { createLogger } from '@splits/telemetry';
import { createTestDatabase, freePort, generateAthlete, startFakeIntervals, TEST_ENCRYPTION_KEY, type FakeIntervals, type TestDatabase } from '@splits/testing';
import { buildApp } from '../app.js';
import { openTestQueues } from '../test-support.js';

/**
 * "Sign in with Intervals.icu" for an assistant (issue 6): the Splits authorize page links to the
 * Intervals.icu connect flow, whose callback completes the assistant's pending authorization. The
 * assistant then gets Splits' own tokens for the athlete who signed in; no Intervals.icu token
 * passes through.
 */
const q = openTestQueues('gwsignin');
let tdb: TestDatabase;
let fake: FakeIntervals;
let app: FastifyInstance;
let base: string;
const REDIRECT = 'http://127.0.0.1:9/callback';
const athlete = generateAthlete({ seed: 61, weeks: 1 });

beforeAll(async () => {
  tdb = await createTestDatabase('gwsignin');
  fake = await startFakeIntervals({ oauth: { clientId: '4242', clientSecret: 'signin-app-secret' } });
  fake.addAthlete(athlete, { apiKey: 'signin-key' });
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

async function startSignIn(): Promise<{ clientId: string; verifier: string; link: string }> {
  const reg = await fetch(`${base}/register`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ redirect_uris: [REDIRECT], client_name: 'Claude', token_endpoint_auth_method: 'none' }),
  });
  const { client_id: clientId } = (await reg.json()) as { client_id: string };
  const verifier = randomBytes(32).toString('base64url');
  const challenge = createHash('sha256').update(verifier).digest('base64url');
  const params = new URLSearchParams({ response_type: 'code', client_id: clientId, redirect_uri: REDIRECT, code_challenge: challenge, code_challenge_method: 'S256', state: 'st-9' });
  const page = await fetch(`${base}/authorize?${params}`);
  expect(page.status).toBe(200);
  const html = await page.text();
  const href = /<a class="button" href="([^"]+)">Sign in with Intervals\.icu<\/a>/.exec(html)?.[1];
  expect(href).toBeDefined();
  return { clientId, verifier, link: href!.replace(/&amp;/g, '&') };
}

/** The browser: Splits connect → Intervals.icu consent (auto-approved by the fake) → Splits callback → where the callback sends it. */
async function browse(link: string): Promise<Response> {
  const toIntervals = await fetch(`${base}${link}`, { redirect: 'manual' });
  expect(toIntervals.status).toBe(302);
  const consent = await fetch(toIntervals.headers.get('location')!, { redirect: 'manual' });
  expect(consent.status).toBe(302);
  return fetch(consent.headers.get('location')!, { redirect: 'manual' });
}

describe('Sign in with Intervals.icu', () => {
  it('connects the athlete and returns the assistant a Splits code that yields Splits tokens for that athlete', async () => {
    const { clientId, verifier, link } = await startSignIn();
    const back = await browse(link);
    expect(back.status).toBe(302);
    const target = new URL(back.headers.get('location')!);
    expect(target.origin + target.pathname).toBe(REDIRECT);
    expect(target.searchParams.get('state')).toBe('st-9');
    const code = target.searchParams.get('code')!;

    const tok = await fetch(`${base}/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'authorization_code', code, code_verifier: verifier, client_id: clientId, redirect_uri: REDIRECT }),
    });
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

  it('a sign-in link works once; a forged context is refused', async () => {
    const { link } = await startSignIn();
    expect((await browse(link)).status).toBe(302);
    const again = await browse(link);
    expect(again.status).toBe(400);
    expect(((await again.json()) as { error: { code: string } }).error.code).toBe('authorization_expired');

    const forged = await fetch(`${base}/connect/intervals?ctx=${encodeURIComponent('eyJwIjoiY29ubmVjdC1jb250ZXh0In0.AAAA')}`, { redirect: 'manual' });
    expect(forged.status).toBe(400);
  });
});
