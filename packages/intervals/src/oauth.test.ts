import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { generateAthlete, startFakeIntervals, type FakeAthlete, type FakeIntervals } from '@splits/testing';
import {
  buildAuthorizeUrl,
  createIntervalsClient,
  exchangeOAuthCode,
  IntervalsHttpError,
  OAuthClientRejectedError,
  OAuthCodeRejectedError,
  SPLITS_OAUTH_SCOPES,
} from './index.js';

const now = new Date('2026-05-01T12:00:00Z');
let fake: FakeIntervals;
let anna: FakeAthlete;
let ben: FakeAthlete;
const REDIRECT = 'https://splits.example.com/connect/intervals/callback';

beforeAll(async () => {
  fake = await startFakeIntervals({ oauth: { clientId: '4242', clientSecret: 'app-secret-xyz' } });
  anna = generateAthlete({ seed: 31, now, weeks: 2 });
  ben = generateAthlete({ seed: 32, now, weeks: 2 });
  fake.addAthlete(anna, { apiKey: 'anna-key' });
  fake.addAthlete(ben, { apiKey: 'ben-key' });
});
afterAll(() => fake.close());
beforeEach(() => {
  fake.reset();
  fake.oauth.setConsent({});
});

/** What the browser does: open the authorize URL and read where Intervals.icu sends it back. */
async function authorize(state = 'st-1', scopes: readonly string[] = SPLITS_OAUTH_SCOPES): Promise<URL> {
  const url = buildAuthorizeUrl({ baseUrl: fake.url, clientId: '4242', redirectUri: REDIRECT, scopes, state });
  const res = await fetch(url, { redirect: 'manual' });
  expect(res.status).toBe(302);
  return new URL(res.headers.get('location')!);
}
const exchange = (code: string, clientSecret = 'app-secret-xyz') => exchangeOAuthCode({ baseUrl: fake.url, clientId: '4242', clientSecret, code });

describe('buildAuthorizeUrl', () => {
  it('builds the authorize URL with the comma-separated scopes and the state', () => {
    const u = new URL(buildAuthorizeUrl({ baseUrl: 'https://intervals.icu/', clientId: '99', redirectUri: REDIRECT, scopes: SPLITS_OAUTH_SCOPES, state: 'a.b' }));
    expect(u.origin + u.pathname).toBe('https://intervals.icu/oauth/authorize');
    expect(Object.fromEntries(u.searchParams)).toEqual({
      client_id: '99',
      redirect_uri: REDIRECT,
      scope: 'ACTIVITY:WRITE,WELLNESS:READ,CALENDAR:WRITE,SETTINGS:READ',
      state: 'a.b',
    });
  });

  it('refuses a scope Intervals.icu does not have', () => {
    expect(() => buildAuthorizeUrl({ baseUrl: 'https://intervals.icu', clientId: '1', redirectUri: REDIRECT, scopes: ['ACTIVITY:ADMIN'], state: 's' })).toThrow();
  });
});

describe('OAuth against the fake Intervals.icu', () => {
  it('approves, exchanges the code for a bearer token the API accepts, and normalises the athlete id', async () => {
    const back = await authorize('st-42');
    expect(back.origin + back.pathname).toBe(REDIRECT);
    expect(back.searchParams.get('state')).toBe('st-42');
    const code = back.searchParams.get('code')!;
    expect(code).toMatch(/^[0-9a-f]{32}$/);

    const grant = await exchange(code);
    expect(grant.athlete).toEqual({ id: anna.athleteId, name: anna.profile.name });
    expect(grant.scope).toBe('ACTIVITY:WRITE,WELLNESS:READ,CALENDAR:WRITE,SETTINGS:READ');
    const client = createIntervalsClient({ baseUrl: fake.url, auth: { kind: 'oauth', secret: grant.accessToken } });
    const list = await client.listActivities('0', { oldest: '2026-04-20' });
    expect(list.length).toBeGreaterThan(0);
    expect(fake.requests.at(-1)).toMatchObject({ path: `/api/v1/athlete/0/activities`, auth: 'bearer', status: 200 });
    // The personal API key keeps working next to the token.
    const basic = createIntervalsClient({ baseUrl: fake.url, auth: { kind: 'api_key', secret: 'anna-key' } });
    expect((await basic.listActivities('0', { oldest: '2026-04-20' })).length).toBe(list.length);
  });

  it('records the OAuth requests without the code exchange secrets', async () => {
    const code = (await authorize()).searchParams.get('code')!;
    const grant = await exchange(code);
    expect(fake.requests.map((r) => [r.method, r.path, r.status])).toEqual([
      ['GET', '/oauth/authorize', 302],
      ['POST', '/api/oauth/token', 200],
    ]);
    const recorded = JSON.stringify(fake.requests);
    expect(recorded).not.toContain('app-secret-xyz');
    expect(recorded).not.toContain(grant.accessToken);
  });

  it('lets a code be used once and only within its lifetime', async () => {
    const code = (await authorize()).searchParams.get('code')!;
    await exchange(code);
    const again = await exchange(code).then(() => null, (e: unknown) => e);
    expect(again).toBeInstanceOf(OAuthCodeRejectedError);
    expect((again as OAuthCodeRejectedError).status).toBe(404);
    expect((again as Error).message).toContain('Code not found (expired?)');
    expect((again as Error).message).not.toContain(code);

    const late = (await authorize()).searchParams.get('code')!;
    fake.oauth.expireCodes();
    await expect(exchange(late)).rejects.toBeInstanceOf(OAuthCodeRejectedError);
  });

  it('replaces the previous token on re-authorisation and approves as the configured athlete', async () => {
    const first = await exchange((await authorize()).searchParams.get('code')!);
    const second = await exchange((await authorize()).searchParams.get('code')!);
    const old = createIntervalsClient({ baseUrl: fake.url, auth: { kind: 'oauth', secret: first.accessToken }, maxAttempts: 1 });
    await expect(old.listActivities('0', { oldest: '2026-04-20' })).rejects.toMatchObject({ status: 401 });
    expect(second.accessToken).not.toBe(first.accessToken);

    fake.oauth.setConsent({ athleteId: ben.athleteId });
    expect((await exchange((await authorize()).searchParams.get('code')!)).athlete.id).toBe(ben.athleteId);
  });

  it('redirects with error=access_denied when the athlete declines', async () => {
    fake.oauth.setConsent({ decline: true });
    const back = await authorize('st-9');
    expect(back.searchParams.get('error')).toBe('access_denied');
    expect(back.searchParams.get('state')).toBe('st-9');
    expect(back.searchParams.has('code')).toBe(false);
  });

  it('rejects wrong client credentials without echoing the secret, and surfaces 5xx as retryable', async () => {
    const code = (await authorize()).searchParams.get('code')!;
    const bad = await exchange(code, 'wrong-secret-123').then(() => null, (e: unknown) => e as Error);
    expect(bad).toBeInstanceOf(OAuthClientRejectedError);
    expect(bad!.message).not.toContain('wrong-secret-123');

    fake.failNext('/api/oauth/token', 503);
    const down = await exchange(code).then(() => null, (e: unknown) => e);
    expect(down).toBeInstanceOf(IntervalsHttpError);
    expect((down as IntervalsHttpError).permanent).toBe(false);
  });

  it('answers an unknown client or a bad scope at authorize with 400 and no redirect', async () => {
    const res = await fetch(`${fake.url}/oauth/authorize?client_id=nope&redirect_uri=${encodeURIComponent(REDIRECT)}&scope=ACTIVITY:READ&state=s`, { redirect: 'manual' });
    expect(res.status).toBe(400);
    const scope = await fetch(`${fake.url}/oauth/authorize?client_id=4242&redirect_uri=${encodeURIComponent(REDIRECT)}&scope=EVERYTHING&state=s`, { redirect: 'manual' });
    expect(scope.status).toBe(400);
  });
});
