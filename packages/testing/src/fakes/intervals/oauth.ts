import { randomBytes } from 'node:crypto';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { FakeIntervalsState } from './state.js';

/**
 * Intervals.icu's OAuth endpoints as the reference describes them (§4.2): `GET /oauth/authorize`
 * redirects back with `?code&state` or `?error=access_denied`; `POST /api/oauth/token` (form body
 * client_id, client_secret, code) answers `{token_type, access_token, scope, athlete:{id, name}}`;
 * codes live two minutes and are single use; a bad code is `404 {"status":404,"error":"Code not found (expired?)"}`.
 * There is no login page: the "signed-in" athlete approves (or declines) at once, as tests configure.
 */
export interface FakeOAuthOptions {
  clientId?: string;
  clientSecret?: string;
  /** Code lifetime (default 120000, as Intervals.icu). */
  codeTtlMs?: number;
}

export interface FakeOAuthConsent {
  /** Who is signed in at Intervals.icu and approves; default the first athlete added. */
  athleteId?: string;
  /** Decline instead: the redirect carries `error=access_denied`. */
  decline?: boolean;
}

export interface FakeOAuthControl {
  clientId: string;
  clientSecret: string;
  setConsent(c: FakeOAuthConsent): void;
  /** Makes every outstanding code too old, as if two minutes had passed. */
  expireCodes(): void;
}

interface PendingCode {
  athleteId: string;
  scope: string;
  expiresAt: number;
}

const SCOPE = /^(ACTIVITY|WELLNESS|CALENDAR|CHATS|LIBRARY|SETTINGS):(READ|WRITE)$/;
const fail = (reply: FastifyReply, status: number, error: string) => reply.code(status).send({ status, error });

export function registerOAuthRoutes(app: FastifyInstance, state: FakeIntervalsState, opts: FakeOAuthOptions = {}): FakeOAuthControl {
  const clientId = opts.clientId ?? 'fake-client-id';
  const clientSecret = opts.clientSecret ?? 'fake-client-secret';
  const ttlMs = opts.codeTtlMs ?? 120_000;
  const codes = new Map<string, PendingCode>();
  let consent: FakeOAuthConsent = {};

  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) => {
    done(null, Object.fromEntries(new URLSearchParams(body as string)));
  });

  app.get('/oauth/authorize', async (req, reply) => {
    const q = req.query as Record<string, string | undefined>;
    if (q.client_id !== clientId) return fail(reply, 400, 'Unknown client_id');
    let redirect: URL;
    try {
      redirect = new URL(q.redirect_uri ?? '');
      if (!/^https?:$/.test(redirect.protocol)) throw new Error('scheme');
    } catch {
      return fail(reply, 400, 'Invalid redirect_uri');
    }
    const scopes = (q.scope ?? '').split(',').filter(Boolean);
    if (scopes.length === 0 || !scopes.every((s) => SCOPE.test(s))) return fail(reply, 400, `Invalid scope: ${q.scope ?? ''}`);
    if (consent.decline) {
      redirect.searchParams.set('error', 'access_denied');
    } else {
      const athleteId = consent.athleteId ?? state.athletes.keys().next().value;
      if (!athleteId || !state.athletes.has(athleteId)) return fail(reply, 400, 'No athlete is signed in');
      const code = randomBytes(16).toString('hex');
      codes.set(code, { athleteId, scope: scopes.join(','), expiresAt: Date.now() + ttlMs });
      redirect.searchParams.set('code', code);
    }
    if (q.state !== undefined) redirect.searchParams.set('state', q.state);
    return reply.redirect(redirect.toString(), 302);
  });

  app.post('/api/oauth/token', async (req, reply) => {
    const b = (req.body && typeof req.body === 'object' ? req.body : {}) as Record<string, string | undefined>;
    if (b.client_id !== clientId || b.client_secret !== clientSecret) return fail(reply, 401, 'Invalid client_id or client_secret');
    const pending = b.code ? codes.get(b.code) : undefined;
    if (b.code) codes.delete(b.code);
    if (!pending || pending.expiresAt <= Date.now()) return fail(reply, 404, 'Code not found (expired?)');
    const accessToken = `fake-oauth-${randomBytes(24).toString('base64url')}`;
    state.issueOAuthToken(pending.athleteId, accessToken);
    const entry = state.athletes.get(pending.athleteId)!;
    return {
      token_type: 'Bearer',
      access_token: accessToken,
      scope: pending.scope,
      // As in the reference's capture: the bare number, without the `i` webhooks use.
      athlete: { id: pending.athleteId.replace(/^i/, ''), name: entry.athlete.profile.name },
    };
  });

  const control: FakeOAuthControl = {
    clientId,
    clientSecret,
    setConsent(c) {
      consent = { ...c };
    },
    expireCodes() {
      for (const c of codes.values()) c.expiresAt = 0;
    },
  };
  app.post('/__fake/oauth/consent', async (req) => {
    control.setConsent((req.body ?? {}) as FakeOAuthConsent);
    return { ok: true };
  });
  app.post('/__fake/oauth/expire-codes', async () => {
    control.expireCodes();
    return { ok: true };
  });
  return control;
}
