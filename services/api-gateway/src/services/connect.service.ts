import type { Logger } from 'pino';
import { createLoginCode, linkTelegram, parseKeyring, recordConsent, upsertOAuthConnection, type Db, type Keyring } from '@splits/db';
import {
  buildAuthorizeUrl,
  deriveStateKey,
  exchangeOAuthCode,
  IntervalsHttpError,
  IntervalsParseError,
  OAuthClientRejectedError,
  OAuthCodeRejectedError,
  OAuthStateError,
  signState,
  SPLITS_OAUTH_SCOPES,
  verifyState,
  type ConnectContext,
} from '@splits/intervals';
import { PRIVACY_NOTICE_VERSION } from '@splits/contracts';
import { handOn, stageJobs, type Queues } from '@splits/queue';
import { HttpError } from '../errors.js';

/** Everything the Intervals.icu OAuth connect flow needs; null when the deployment has no OAuth app. */
export interface ConnectDeps {
  db: Db;
  queues: Queues;
  log: Logger;
  /** Seals the athlete's token (TOKEN_ENCRYPTION_KEY + old keys). */
  keys: Keyring;
  /** Signs the OAuth state; derived from TOKEN_ENCRYPTION_KEY, never the encryption key itself. */
  stateKey: Buffer;
  intervalsBaseUrl: string;
  clientId: string;
  clientSecret: string;
  /** PUBLIC_BASE_URL + /connect/intervals/callback; must be registered on Intervals.icu's Manage App. */
  redirectUri: string;
  backfillWeeks: number;
  /** How long the athlete may take on Intervals.icu's consent page (default 15 min). */
  stateTtlMs?: number;
  /** WEB_PUBLIC_URL: where a sign-in started on the web pages returns; null refuses that sign-in. */
  webPublicUrl?: string | null;
}

export interface ConnectConfig {
  INTERVALS_CLIENT_ID?: string;
  INTERVALS_CLIENT_SECRET?: string;
  TOKEN_ENCRYPTION_KEY?: string;
  TOKEN_ENCRYPTION_KEYS_OLD?: string;
  INTERVALS_API_BASE_URL: string;
  PUBLIC_BASE_URL: string;
  WEB_PUBLIC_URL?: string;
  BACKFILL_WEEKS: number;
}

export const CALLBACK_PATH = '/connect/intervals/callback';

/** main.ts: the connect deps when an OAuth app is configured (opening the queues it enqueues to), else null. */
export function openConnect(
  config: ConnectConfig,
  db: Db,
  log: Logger,
  queues: Queues,
): ConnectDeps | null {
  if (!config.INTERVALS_CLIENT_ID || !config.INTERVALS_CLIENT_SECRET || !config.TOKEN_ENCRYPTION_KEY) return null;
  return {
    db,
    queues,
    log,
    keys: parseKeyring(config.TOKEN_ENCRYPTION_KEY, config.TOKEN_ENCRYPTION_KEYS_OLD),
    stateKey: deriveStateKey(Buffer.from(config.TOKEN_ENCRYPTION_KEY, 'base64')),
    intervalsBaseUrl: config.INTERVALS_API_BASE_URL,
    clientId: config.INTERVALS_CLIENT_ID,
    clientSecret: config.INTERVALS_CLIENT_SECRET,
    redirectUri: config.PUBLIC_BASE_URL.replace(/\/+$/, '') + CALLBACK_PATH,
    backfillWeeks: config.BACKFILL_WEEKS,
    webPublicUrl: config.WEB_PUBLIC_URL ?? null,
  };
}

export class NotConfiguredError extends HttpError {
  constructor() {
    super(501, 'not_configured', 'Intervals.icu OAuth is not configured here: the operator sets INTERVALS_CLIENT_ID, INTERVALS_CLIENT_SECRET and TOKEN_ENCRYPTION_KEY, or adds athletes with `pnpm splits athlete add --api-key`');
  }
}

const badState = (e: OAuthStateError) => new HttpError(400, 'bad_state', e.message);

/** The optional connect context of `GET /connect/intervals?ctx=…`: only one this gateway signed. */
export function readConnectContext(deps: ConnectDeps, ctxToken: string | undefined): ConnectContext {
  if (!ctxToken) return {};
  try {
    return verifyState(deps.stateKey, ctxToken, { purpose: 'connect-context' }).ctx;
  } catch (e) {
    if (e instanceof OAuthStateError) throw badState(e);
    throw e;
  }
}

/**
 * The context of a sign-in started on the web pages (`GET /connect/intervals?web=<binding>`): the
 * binding is the hash of a nonce in that browser's cookie on the web origin, carried through the
 * signed state and handed back with the sign-in code, so the code works only in that browser.
 */
export function webSignInContext(deps: ConnectDeps, binding: string): ConnectContext {
  if (!deps.webPublicUrl) throw new HttpError(501, 'not_configured', 'Sign-in to the web pages is not configured on this gateway: the operator sets WEB_PUBLIC_URL.');
  return { webSignIn: binding };
}

/** How long the one-time code a web sign-in returns with stays valid (the browser uses it at once). */
export const WEB_SIGNIN_CODE_TTL_MS = 2 * 60_000;

/** After connecting for the web pages: a one-time sign-in code, and the web page that redeems it in the starting browser. */
export async function webSignInReturn(deps: ConnectDeps, c: Connected): Promise<string> {
  if (!deps.webPublicUrl || !c.webSignIn) throw new HttpError(501, 'not_configured', 'Sign-in to the web pages is not configured on this gateway.');
  const { code } = await createLoginCode(deps.db, c.athleteId, WEB_SIGNIN_CODE_TTL_MS);
  const url = new URL('/signin/intervals/done', deps.webPublicUrl);
  url.searchParams.set('code', code);
  url.searchParams.set('binding', c.webSignIn);
  return url.toString();
}

/** Where to send the athlete: Intervals.icu's consent page, with a signed state carrying the context. */
export function startConnect(deps: ConnectDeps, ctx: ConnectContext): string {
  const state = signState(deps.stateKey, { purpose: 'oauth-state', ttlMs: deps.stateTtlMs ?? 15 * 60_000, ctx });
  return buildAuthorizeUrl({ baseUrl: deps.intervalsBaseUrl, clientId: deps.clientId, redirectUri: deps.redirectUri, scopes: SPLITS_OAUTH_SCOPES, state });
}

/**
 * "Sign in with Intervals.icu" on the Splits OAuth authorize page: the connect link carries the
 * pending authorization in a signed context, so only a link this gateway made can name it. The
 * link alone completes nothing: the callback also needs the browser that opened the authorize
 * page, and the athlete still allows the client on Splits' consent page.
 */
export function intervalsSignInUrl(deps: ConnectDeps, requestId: string): string {
  const ctx = signState(deps.stateKey, { purpose: 'connect-context', ttlMs: deps.stateTtlMs ?? 15 * 60_000, ctx: { authorization: requestId } });
  return `/connect/intervals?ctx=${encodeURIComponent(ctx)}`;
}

export interface CallbackQuery {
  code?: string;
  state?: string;
  error?: string;
}

export interface Connected {
  athleteId: string;
  intervalsAthleteId: string;
  name: string | null;
  created: boolean;
  scopes: string;
  backfillFrom: string;
  telegramLinked: boolean;
  /** The assistant sign-in (Splits OAuth authorization) this connect was started for, if any. */
  authorization: string | null;
  /** The web sign-in's browser binding, when the connect was started from the web pages. */
  webSignIn: string | null;
}

/** The callback's query, checked: Intervals.icu's answer, the state this gateway signed (and the context it carries), a code. */
export function readCallback(deps: ConnectDeps, q: CallbackQuery): { code: string; ctx: ConnectContext } {
  if (q.error) {
    throw q.error === 'access_denied'
      ? new HttpError(403, 'access_denied', 'You declined access on Intervals.icu, so nothing was connected.')
      : new HttpError(400, 'oauth_error', `Intervals.icu answered with error "${q.error.slice(0, 60)}"; nothing was connected.`);
  }
  if (!q.state) throw new HttpError(400, 'bad_state', 'the state parameter is missing');
  let ctx: ConnectContext;
  try {
    ({ ctx } = verifyState(deps.stateKey, q.state, { purpose: 'oauth-state' }));
  } catch (e) {
    if (e instanceof OAuthStateError) throw badState(e);
    throw e;
  }
  if (!q.code) throw new HttpError(400, 'bad_request', 'the code parameter is missing');
  return { code: q.code, ctx };
}

/**
 * The callback, once read: exchange the code at once (it lives two minutes), create or update the
 * athlete with its sealed token, and queue the backfill (staged with the connection, so a refusing
 * Redis only delays it). Safe to repeat: a second connect updates the same athlete, and the backfill
 * job id dedupes while one runs (a finished one is run past: a reconnect imports again).
 */
export async function finishConnect(deps: ConnectDeps, { code, ctx }: { code: string; ctx: ConnectContext }): Promise<Connected> {
  const grant = await exchangeOAuthCode({
    baseUrl: deps.intervalsBaseUrl,
    clientId: deps.clientId,
    clientSecret: deps.clientSecret,
    code,
  }).catch((e: unknown) => {
    throw exchangeFailure(deps.log, e);
  });

  const backfillFrom = new Date(Date.now() - deps.backfillWeeks * 7 * 86_400_000).toISOString().slice(0, 10);
  const { athleteId, created, staged } = await deps.db.transaction().execute(async (trx) => {
    const r = await upsertOAuthConnection(trx, deps.keys, {
      intervalsAthleteId: grant.athlete.id,
      name: grant.athlete.name,
      accessToken: grant.accessToken,
      scopes: grant.scope,
    });
    if (ctx.telegramChatId) await linkTelegram(trx, r.athleteId, ctx.telegramChatId);
    // Connecting accepts the privacy notice the connect pages link to: which version, and when.
    await recordConsent(trx, { athleteId: r.athleteId, kind: 'privacy_notice', granted: true, noticeVersion: PRIVACY_NOTICE_VERSION, source: 'connect' });
    // The history import commits with the connection (outbox): a crash or a refusing Redis after the
    // commit leaves it to the workers' outbox relay instead of losing it.
    const next = await stageJobs(trx, r.athleteId, [{ queue: 'backfill-athlete', payload: { athleteId: r.athleteId, oldest: backfillFrom } }]);
    return { ...r, staged: next };
  });
  try {
    await handOn(deps, staged);
  } catch (e) {
    deps.log.warn({ athleteId, err: (e as Error).message }, 'connected; the backfill is staged and the outbox relay queues it');
  }
  deps.log.info({ athleteId, intervalsAthleteId: grant.athlete.id, created, scopes: grant.scope, backfillFrom }, 'athlete connected through OAuth');
  return {
    athleteId,
    intervalsAthleteId: grant.athlete.id,
    name: grant.athlete.name,
    created,
    scopes: grant.scope,
    backfillFrom,
    telegramLinked: Boolean(ctx.telegramChatId),
    authorization: ctx.authorization ?? null,
    webSignIn: ctx.webSignIn ?? null,
  };
}

function exchangeFailure(log: Logger, e: unknown): Error {
  if (e instanceof OAuthCodeRejectedError) {
    return new HttpError(400, 'code_rejected', 'Intervals.icu did not accept the authorization code: it was already used or is older than two minutes. Start again at /connect/intervals.');
  }
  if (e instanceof OAuthClientRejectedError) {
    log.error({ status: e.status }, e.message);
    return new HttpError(502, 'upstream_rejected', 'Intervals.icu rejected this Splits deployment\'s OAuth app; the operator must check its client id and secret.');
  }
  if (e instanceof IntervalsHttpError || e instanceof IntervalsParseError) {
    log.warn({ err: e.message }, 'OAuth code exchange failed');
    return new HttpError(502, 'upstream_unavailable', 'Intervals.icu did not complete the connection; start again at /connect/intervals.');
  }
  return e as Error;
}
