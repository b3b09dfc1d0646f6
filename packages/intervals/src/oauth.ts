import { z } from 'zod';
import { IntervalsHttpError, IntervalsParseError } from './errors.js';

/**
 * Intervals.icu OAuth (reference §4.2): the athlete approves at `/oauth/authorize`, Intervals.icu
 * redirects back with `?code=…&state=…` (or `?error=access_denied`), and the code is exchanged within
 * two minutes with a form POST to `/api/oauth/token` (no `/v1`). Tokens carry no expiry or refresh token.
 */

/** The six scope areas, each `:READ` or `:WRITE`; WRITE implies READ. */
export const OAuthScopeSchema = z.string().regex(/^(ACTIVITY|WELLNESS|CALENDAR|CHATS|LIBRARY|SETTINGS):(READ|WRITE)$/);

/**
 * What Splits asks for: activity descriptions are written back (reports), planned workouts are written
 * to the calendar, wellness and sport settings (thresholds, zones) are read.
 */
export const SPLITS_OAUTH_SCOPES = ['ACTIVITY:WRITE', 'WELLNESS:READ', 'CALENDAR:WRITE', 'SETTINGS:READ'] as const;

const root = (baseUrl: string) => baseUrl.replace(/\/+$/, '');

export function buildAuthorizeUrl(o: { baseUrl: string; clientId: string; redirectUri: string; scopes: readonly string[]; state: string }): string {
  const url = new URL(`${root(o.baseUrl)}/oauth/authorize`);
  url.searchParams.set('client_id', o.clientId);
  url.searchParams.set('redirect_uri', o.redirectUri);
  url.searchParams.set('scope', o.scopes.map((s) => OAuthScopeSchema.parse(s)).join(','));
  url.searchParams.set('state', o.state);
  return url.toString();
}

/** Webhooks name athletes `i` + digits; the token response may give bare digits. */
export function normaliseAthleteId(id: string | number): string {
  const s = String(id).trim();
  return /^\d+$/.test(s) ? `i${s}` : s;
}

export const OAuthTokenResponseSchema = z.object({
  token_type: z.string().refine((t) => t.toLowerCase() === 'bearer', 'expected a Bearer token'),
  access_token: z.string().min(1),
  scope: z.string().default(''),
  athlete: z.object({
    id: z.union([z.string().regex(/^i?\d+$/), z.number().int().positive()]).transform(normaliseAthleteId),
    name: z.string().nullish().transform((n) => (n && n.trim() ? n.trim() : null)),
  }),
});

export interface OAuthGrantResponse {
  accessToken: string;
  /** Comma-separated, as granted (may be fewer than asked for). */
  scope: string;
  athlete: { id: string; name: string | null };
}

/** Intervals.icu refused the code: unknown, already used, or older than two minutes. The athlete must start again. */
export class OAuthCodeRejectedError extends Error {
  override readonly name = 'OAuthCodeRejectedError';
  constructor(
    readonly status: number,
    detail: string,
  ) {
    super(`Intervals.icu rejected the authorization code (HTTP ${status}: ${detail})`);
  }
}

/** Intervals.icu refused the app itself (wrong INTERVALS_CLIENT_ID/SECRET): an operator problem. */
export class OAuthClientRejectedError extends Error {
  override readonly name = 'OAuthClientRejectedError';
  constructor(readonly status: number) {
    super(`Intervals.icu rejected the OAuth client credentials (HTTP ${status}); check INTERVALS_CLIENT_ID and INTERVALS_CLIENT_SECRET`);
  }
}

const ErrorBodySchema = z.object({ error: z.string() }).passthrough();

/**
 * Exchanges an authorization code for the athlete's bearer token. One attempt: a code is single use,
 * so a blind retry after a lost response would only be told the code is gone. The token and the
 * client secret never appear in an error message.
 */
export async function exchangeOAuthCode(o: {
  baseUrl: string;
  clientId: string;
  clientSecret: string;
  code: string;
  timeoutMs?: number;
  userAgent?: string;
}): Promise<OAuthGrantResponse> {
  const path = '/api/oauth/token';
  const body = new URLSearchParams({ client_id: o.clientId, client_secret: o.clientSecret, code: o.code });
  let res: Response;
  let text: string;
  try {
    res = await fetch(`${root(o.baseUrl)}${path}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        accept: 'application/json',
        'user-agent': o.userAgent ?? 'Splits/0.1 (+https://github.com/splits; Intervals.icu training context)',
      },
      body,
      signal: AbortSignal.timeout(o.timeoutMs ?? 15_000),
    });
    text = await res.text();
  } catch (err) {
    const e = err as Error & { cause?: { code?: string } };
    throw new IntervalsHttpError({ method: 'POST', path, status: 0, detail: e.cause?.code ?? e.name });
  }
  const scrub = (s: string) => [o.clientSecret, o.code].reduce((t, x) => (x.length >= 4 ? t.split(x).join('[redacted]') : t), s);
  if (!res.ok) {
    const parsed = ErrorBodySchema.safeParse(safeJson(text));
    const detail = scrub(parsed.success ? parsed.data.error : text.replace(/\s+/g, ' ').slice(0, 120));
    if (res.status === 401 || res.status === 403) throw new OAuthClientRejectedError(res.status);
    if (res.status >= 400 && res.status < 500 && res.status !== 408 && res.status !== 429) throw new OAuthCodeRejectedError(res.status, detail);
    throw new IntervalsHttpError({ method: 'POST', path, status: res.status, detail });
  }
  const r = OAuthTokenResponseSchema.safeParse(safeJson(text));
  if (!r.success) {
    // Issue paths only: the body holds the token.
    throw new IntervalsParseError({ method: 'POST', path, issues: r.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.code}`) });
  }
  return { accessToken: r.data.access_token, scope: r.data.scope, athlete: r.data.athlete };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
