import type { Logger } from 'pino';
import type { Db, Keyring, RotationResult } from '@splits/db';
import { athleteExists, createApiToken, createAthlete, createTelegramLinkCode, exportAthleteData, getAthlete, listAthletes, recordConsent, createLoginCode, listApiTokens, revokeApiToken, rotateCredentials } from '@splits/db';
import { enqueue, eraseAthlete, queueNamed, queueNames, retryAllFailed, retryFailedJob, type Queues, type QueueName } from '@splits/queue';
import { PRIVACY_NOTICE_VERSION } from '@splits/contracts';
import { InitError, verifyTelegramToken } from './init.js';

/** Operator commands as plain functions over deps; main.ts parses argv and prints. */
export interface CliDeps {
  db: Db;
  /** TOKEN_ENCRYPTION_KEY seals; TOKEN_ENCRYPTION_KEYS_OLD only open. */
  encryptionKey: Keyring;
  queues?: Queues;
  /** For `athlete remove`: where the Intervals.icu OAuth grant is disconnected. */
  intervalsBaseUrl: string;
  log: Logger;
}

export class UsageError extends Error {}

export async function athleteAdd(
  deps: CliDeps,
  o: { intervalsAthleteId: string; apiKey?: string; oauthToken?: string; telegramChatId?: string; name?: string; timezone?: string },
) {
  if (!/^i?\d+$/.test(o.intervalsAthleteId)) throw new UsageError('--intervals-athlete-id must look like i123456');
  const credential = o.apiKey ?? o.oauthToken;
  if (!credential) throw new UsageError('a credential is required: --api-key - or --oauth-token - (read from standard input), or SPLITS_INTERVALS_API_KEY / SPLITS_INTERVALS_OAUTH_TOKEN');
  const athleteId = o.intervalsAthleteId.startsWith('i') ? o.intervalsAthleteId : `i${o.intervalsAthleteId}`;
  const { id } = await deps.db.transaction().execute((trx) =>
    createAthlete(trx, deps.encryptionKey, {
      intervalsAthleteId: athleteId,
      authKind: o.apiKey ? 'api_key' : 'oauth',
      credential,
      telegramChatId: o.telegramChatId ?? null,
      name: o.name ?? null,
      timezone: o.timezone,
    }).then(async (r) => {
      // The operator connects on the athlete's behalf: recorded as such, with the notice's version.
      await recordConsent(trx, { athleteId: r.id, kind: 'privacy_notice', granted: true, noticeVersion: PRIVACY_NOTICE_VERSION, source: 'operator' });
      return r;
    }),
  );
  return { id, intervalsAthleteId: athleteId };
}

export async function athleteList(deps: CliDeps) {
  const rows = await listAthletes(deps.db);
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    intervalsAthleteId: r.intervals_athlete_id,
    auth: r.auth_kind,
    status: r.status,
    telegramChatId: r.chat_id,
    createdAt: r.created_at.toISOString(),
  }));
}

/** Deletes the athlete everywhere (eraseAthlete): rows, queued jobs, grants; the OAuth grant on Intervals.icu is disconnected. */
export async function athleteRemove(deps: CliDeps, id: string) {
  const result = await eraseAthlete({ db: deps.db, queues: need(deps.queues), keys: deps.encryptionKey, log: deps.log, intervals: { baseUrl: deps.intervalsBaseUrl } }, id);
  if (!result) throw new UsageError(`no athlete ${id}`);
  return result;
}

/** Everything Splits holds for the athlete as one JSON document, written piece by piece. */
export async function athleteExport(deps: CliDeps, id: string, write: (chunk: string) => void) {
  if (!(await getAthlete(deps.db, id))) throw new UsageError(`no athlete ${id}`);
  for await (const chunk of exportAthleteData(deps.db, id, { athleteId: id, privacyNoticeVersion: PRIVACY_NOTICE_VERSION })) write(chunk);
}

export async function tokenCreate(deps: CliDeps, athleteId: string, label?: string) {
  await requireAthlete(deps, athleteId);
  return createApiToken(deps.db, athleteId, label);
}

/**
 * A one-time deep link into the bot. The bot's username is TELEGRAM_BOT_USERNAME, else Telegram's
 * answer to getMe with TELEGRAM_BOT_TOKEN; with neither (or a getMe that fails) it says what to set,
 * and no code is issued: a link to `<your_bot>` opens nothing.
 */
export async function telegramLink(deps: CliDeps, athleteId: string, bot: { username?: string; token?: string; apiRoot: string }) {
  await requireAthlete(deps, athleteId);
  const username = await botUsername(bot);
  const { code, expiresAt } = await createTelegramLinkCode(deps.db, athleteId);
  return { link: `https://t.me/${username}?start=${code}`, expiresAt };
}

async function botUsername(bot: { username?: string; token?: string; apiRoot: string }): Promise<string> {
  const configured = bot.username?.trim().replace(/^@/, '');
  if (configured) return configured;
  if (!bot.token) {
    throw new InitError('telegram', "No bot to link to: set TELEGRAM_BOT_USERNAME (the bot's @username) or TELEGRAM_BOT_TOKEN (Splits then asks Telegram for the username); `pnpm splits init` sets both.");
  }
  try {
    return (await verifyTelegramToken(bot.apiRoot, bot.token)).username;
  } catch (err) {
    throw new InitError('telegram', `${(err as Error).message} Set TELEGRAM_BOT_USERNAME to print links without asking Telegram.`);
  }
}

export async function jobsFailed(deps: CliDeps) {
  const queues = need(deps.queues);
  const out = [];
  for (const name of queueNames) {
    for (const job of await queues[name].getFailed(0, 99)) {
      out.push({ queue: name, jobId: job.id, failedReason: job.failedReason, attemptsMade: job.attemptsMade, data: job.data });
    }
  }
  return out;
}

const knownQueue = (queue: string): QueueName => {
  try {
    return queueNamed(queue);
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
};

export async function jobsRetry(deps: CliDeps, queue: string, jobId: string) {
  if (!(await retryFailedJob(need(deps.queues), knownQueue(queue), jobId))) throw new UsageError(`no failed job ${jobId} in ${queue}`);
  return { retried: jobId, queue };
}

/** `jobs retry --all <queue>`: every failed job of the queue back to waiting. */
export async function jobsRetryAll(deps: CliDeps, queue: string) {
  return { retried: await retryAllFailed(need(deps.queues), knownQueue(queue)), queue };
}

/** What the backfill job reports (see fetch-worker's backfill processor). */
export interface BackfillProgress {
  phase: string;
  done: number;
  total: number;
  stored?: number;
  skipped?: number;
  unavailable?: number;
  wellnessDays?: number;
  events?: number;
}

/**
 * Queues the import of the last `weeks` weeks. A backfill already waiting or running is followed,
 * not doubled; a finished one is archived by the add (the catalog's rerun rule), so the same job id
 * runs again and a failure stays listed under `jobs failed`.
 */
export async function backfillStart(deps: CliDeps, athleteId: string, weeks: number, now: Date = new Date()) {
  const queues = need(deps.queues);
  if (!Number.isInteger(weeks) || weeks < 1 || weeks > 520) throw new UsageError('--weeks must be a whole number from 1 to 520');
  if (!(await getAthlete(deps.db, athleteId))) throw new UsageError(`no athlete ${athleteId}`);
  const oldest = new Date(now.getTime() - weeks * 7 * 86_400_000).toISOString().slice(0, 10);
  const jobId = `bf-${athleteId}`;
  const existing = await queues['backfill-athlete'].getJob(jobId);
  if (existing) {
    const state = await existing.getState();
    if (state !== 'completed' && state !== 'failed') return { jobId, athleteId, oldest: existing.data.oldest as string, alreadyRunning: true };
  }
  await enqueue(queues, 'backfill-athlete', { athleteId, oldest });
  return { jobId, athleteId, oldest, alreadyRunning: false };
}

/** Follows a backfill job until it ends, reporting each new progress value. */
export async function backfillFollow(
  deps: CliDeps,
  jobId: string,
  onProgress: (p: BackfillProgress) => void,
  opts: { pollMs?: number; timeoutMs?: number } = {},
): Promise<{ state: 'completed'; result: BackfillProgress } | { state: 'failed'; failedReason: string }> {
  const queues = need(deps.queues);
  const deadline = Date.now() + (opts.timeoutMs ?? 6 * 3600_000);
  let last = '';
  for (;;) {
    const job = await queues['backfill-athlete'].getJob(jobId);
    if (!job) throw new Error(`backfill job ${jobId} disappeared`);
    const state = await job.getState();
    const fresh = await queues['backfill-athlete'].getJob(jobId);
    const progress = fresh?.progress;
    if (progress && typeof progress === 'object' && JSON.stringify(progress) !== last) {
      last = JSON.stringify(progress);
      onProgress(progress as BackfillProgress);
    }
    if (state === 'completed') return { state, result: fresh?.returnvalue as BackfillProgress };
    if (state === 'failed' && (fresh?.attemptsMade ?? 0) >= (fresh?.opts.attempts ?? 1)) return { state, failedReason: fresh?.failedReason ?? 'unknown' };
    if (Date.now() > deadline) throw new Error('gave up waiting for the backfill');
    await new Promise((r) => setTimeout(r, opts.pollMs ?? 300));
  }
}

/** Re-seals every sealed column (credentials, OAuth client secrets: SEALED_COLUMNS) under the current key; safe to run again. */
export async function keysRotate(deps: CliDeps, o: { batchSize?: number; onBatch?: (p: RotationResult) => void } = {}) {
  if (o.batchSize !== undefined && !(Number.isInteger(o.batchSize) && o.batchSize > 0)) throw new UsageError('--batch-size must be a positive integer');
  const r = await rotateCredentials(deps.db, deps.encryptionKey, o);
  return { keyId: deps.encryptionKey.current.kid, ...r };
}

async function requireAthlete(deps: CliDeps, athleteId: string): Promise<void> {
  if (!(await athleteExists(deps.db, athleteId))) throw new UsageError(`no athlete ${athleteId}`);
}

function need<T>(v: T | undefined): T {
  if (!v) throw new Error('queues not connected');
  return v;
}

/** A one-time sign-in code for the gateway's OAuth authorize page (Claude connector, GPT OAuth); 15 minutes. */
export async function loginCode(deps: CliDeps, athleteId: string) {
  await requireAthlete(deps, athleteId);
  const { code, expiresAt } = await createLoginCode(deps.db, athleteId, 15 * 60_000);
  return { code, expiresAt: expiresAt.toISOString() };
}

export async function tokenList(deps: CliDeps, athleteId: string) {
  return (await listApiTokens(deps.db, athleteId)).map((t) => ({ id: t.id, label: t.label, createdAt: t.created_at.toISOString(), revoked: t.revoked_at !== null }));
}

export async function tokenRevoke(deps: CliDeps, athleteId: string, tokenId: string) {
  if (!(await revokeApiToken(deps.db, athleteId, tokenId))) throw new UsageError(`no active token ${tokenId} for athlete ${athleteId}`);
  return { revoked: tokenId };
}
