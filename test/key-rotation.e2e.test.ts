import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import { createApiToken, createAthlete, createLoginCode, keyIdOf, parseEncryptionKey, SEALED_COLUMNS, sealedColumnName } from '@splits/db';
import { startServices, type RunningServices } from '@splits/cli';
import {
  createTestDatabase,
  dropQueuePrefix,
  findSealedValues,
  freePort,
  generateAthlete,
  REPO_ROOT,
  startFakeIntervals,
  TEST_REDIS_URL,
  testQueuePrefix,
  type FakeIntervals,
  type TestDatabase,
} from '@splits/testing';

/**
 * Key rotation as the README runs it, against the real gateway process (main.ts wiring) and the
 * real CLI: values sealed under the old key must keep working while both keys are configured, `keys
 * rotate` must re-seal every sealed column, and then the new key alone must open everything. The two
 * sealed values the gateway opens are an OAuth client's secret (checked at /authorize and /token)
 * and the athlete's Intervals.icu credential (calendar writes).
 */
const OLD = Buffer.alloc(32, 31).toString('base64');
const NEW = Buffer.alloc(32, 32).toString('base64');
const API_KEY = 'rotation-api-key-4f1c';
const REDIRECT = 'http://127.0.0.1:9/callback';
const prefix = testQueuePrefix('keyrot');
const run = promisify(execFile);

let t: TestDatabase;
let fake: FakeIntervals;
let port: number;
let base: string;
let athleteId: string;
let intervalsAthleteId: string;
let apiToken: string;
let client: { client_id: string; client_secret: string };
let gateway: RunningServices | undefined;

async function startGateway(keys: { current: string; old?: string }) {
  await gateway?.stop();
  gateway = await startServices({
    services: ['api-gateway'],
    ports: { 'api-gateway': port },
    env: {
      DATABASE_URL: t.url,
      REDIS_URL: TEST_REDIS_URL,
      QUEUE_PREFIX: prefix,
      PUBLIC_BASE_URL: base,
      INTERVALS_API_BASE_URL: fake.url,
      TOKEN_ENCRYPTION_KEY: keys.current,
      TOKEN_ENCRYPTION_KEYS_OLD: keys.old ?? '',
      LOG_LEVEL: 'warn',
    },
  });
}

const pkce = () => {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
};

/** The confidential client signs in: /authorize and /token both open its sealed secret. */
async function oauthSignIn(): Promise<void> {
  const { verifier, challenge } = pkce();
  const q = new URLSearchParams({ response_type: 'code', client_id: client.client_id, redirect_uri: REDIRECT, code_challenge: challenge, code_challenge_method: 'S256', state: 's' });
  const page = await fetch(`${base}/authorize?${q}`, { redirect: 'manual' });
  expect(page.status).toBe(200);
  // The sign-in is bound to this browser: its cookie and the form's CSRF token go back with the code.
  const cookie = page.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  const html = await page.text();
  const field = (name: string) => new RegExp(`name="${name}" value="([^"]+)"`).exec(html)![1]!;
  const login = await fetch(`${base}/oauth/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie },
    body: new URLSearchParams({ request_id: field('request_id'), csrf: field('csrf'), code: (await createLoginCode(t.db, athleteId, 60_000)).code }),
  });
  expect(login.status).toBe(302);
  const code = new URL(login.headers.get('location')!).searchParams.get('code')!;
  const tok = await fetch(`${base}/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'authorization_code', code, code_verifier: verifier, redirect_uri: REDIRECT, client_id: client.client_id, client_secret: client.client_secret }),
  });
  expect(tok.status).toBe(200);
  const { access_token } = (await tok.json()) as { access_token: string };
  expect((await fetch(`${base}/me`, { headers: { authorization: `Bearer ${access_token}` } })).status).toBe(200);
}

/** A calendar write: the gateway opens the athlete's Intervals.icu API key and the fake accepts it. */
async function calendarWrite(externalId: string): Promise<void> {
  const date = new Date(Date.now() + 3 * 86_400_000).toISOString().slice(0, 10);
  const res = await fetch(`${base}/events`, {
    method: 'POST',
    headers: { authorization: `Bearer ${apiToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({ workouts: [{ externalId, date, type: 'Run', name: 'Easy', description: '- 40m Z2 HR' }] }),
  });
  expect({ status: res.status, body: await res.text() }).toMatchObject({ status: 200 });
  expect(fake.events(intervalsAthleteId).map((e) => e.external_id)).toContain(externalId);
}

beforeAll(async () => {
  t = await createTestDatabase('keyrot');
  fake = await startFakeIntervals();
  const athlete = generateAthlete({ seed: 81, weeks: 1 });
  intervalsAthleteId = athlete.athleteId;
  fake.addAthlete(athlete, { apiKey: API_KEY });
  ({ id: athleteId } = await createAthlete(t.db, parseEncryptionKey(OLD), { intervalsAthleteId, authKind: 'api_key', credential: API_KEY }));
  ({ token: apiToken } = await createApiToken(t.db, athleteId));
  port = await freePort();
  base = `http://127.0.0.1:${port}`;
}, 60_000);

afterAll(async () => {
  await gateway?.stop();
  await fake?.close();
  await t?.drop();
  await dropQueuePrefix(TEST_REDIS_URL, prefix);
}, 60_000);

describe('key rotation end to end', () => {
  it('the gateway opens values sealed under the old key while rotating, keys rotate re-seals every sealed column, and the new key alone then opens them', async () => {
    // Before: one key. A confidential OAuth client registers; its secret is sealed under OLD.
    await startGateway({ current: OLD });
    const reg = await fetch(`${base}/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ redirect_uris: [REDIRECT], client_name: 'Rotation GPT', token_endpoint_auth_method: 'client_secret_post' }),
    });
    expect(reg.status).toBe(201);
    client = (await reg.json()) as typeof client;
    expect(client.client_secret).toBeTruthy();
    await oauthSignIn();
    await calendarWrite('rot-1');
    const sealed = await findSealedValues(t.db);
    expect(sealed.map((s) => s.column).sort()).toEqual(SEALED_COLUMNS.map(sealedColumnName).sort());
    for (const s of sealed) expect(s.kids).toEqual([keyIdOf(parseEncryptionKey(OLD))]);

    // Step 1 of the README: the new key is current, the old one stays readable.
    await startGateway({ current: NEW, old: OLD });
    await oauthSignIn();
    await calendarWrite('rot-2');

    // Step 2: keys rotate re-seals every listed column.
    const { stdout } = await run('node', ['--import', 'tsx', 'packages/cli/src/main.ts', 'keys', 'rotate', '--json'], {
      cwd: REPO_ROOT,
      env: { ...process.env, NODE_OPTIONS: '', DATABASE_URL: t.url, REDIS_URL: TEST_REDIS_URL, QUEUE_PREFIX: prefix, TOKEN_ENCRYPTION_KEY: NEW, TOKEN_ENCRYPTION_KEYS_OLD: OLD },
    });
    const rotated = JSON.parse(stdout) as { keyId: string; columns: Record<string, { rotated: number }> };
    expect(rotated.keyId).toBe(keyIdOf(parseEncryptionKey(NEW)));
    expect(rotated.columns).toMatchObject({ 'intervals_connection.credential_enc': { rotated: 1 }, 'oauth_client.secret_enc': { rotated: 1 } });
    // No value sealed with the old key remains, in any column of any table.
    const after = await findSealedValues(t.db);
    expect(after.length).toBeGreaterThan(0);
    for (const s of after) expect(s).toMatchObject({ kids: [keyIdOf(parseEncryptionKey(NEW))] });

    // Step 3: the old key is dropped; everything still opens.
    await startGateway({ current: NEW });
    await oauthSignIn();
    await calendarWrite('rot-3');
  }, 180_000);
});
