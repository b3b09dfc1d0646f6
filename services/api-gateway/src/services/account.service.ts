import { Readable } from 'node:stream';
import type { Logger } from 'pino';
import { PRIVACY_NOTICE_VERSION, type ConsentAnswer } from '@splits/contracts';
import { currentConsents, exportAthleteData, listConsents, recordConsent, type Db, type EncryptionKeys } from '@splits/db';
import type { RateLimiter } from '@splits/intervals';
import { eraseAthlete, type ErasureResult, type Queues } from '@splits/queue';
import { NotFoundError } from '../errors.js';

export interface AccountDeps {
  db: Db;
  queues: Queues;
  log: Logger;
  encryptionKey: EncryptionKeys | null;
  intervalsBaseUrl: string;
  limiter?: RateLimiter;
}

/** DELETE /me: everything Splits holds for the athlete, their jobs and grants; the token used dies with it. */
export async function deleteAccount(deps: AccountDeps, athleteId: string): Promise<ErasureResult> {
  const result = await eraseAthlete(
    { db: deps.db, queues: deps.queues, log: deps.log, keys: deps.encryptionKey, intervals: { baseUrl: deps.intervalsBaseUrl, limiter: deps.limiter } },
    athleteId,
  );
  if (!result) throw new NotFoundError('athlete not found');
  return result;
}

/** GET /me/export: one JSON document, produced a table and a batch at a time. */
export function exportAccount(deps: Pick<AccountDeps, 'db'>, athleteId: string): Readable {
  return Readable.from(exportAthleteData(deps.db, athleteId, { athleteId, privacyNoticeVersion: PRIVACY_NOTICE_VERSION }));
}

export async function getConsent(db: Db, athleteId: string): Promise<ConsentAnswer> {
  const c = await currentConsents(db, athleteId);
  return {
    privacyNotice: c.privacy_notice ? { version: c.privacy_notice.noticeVersion, at: c.privacy_notice.at } : null,
    currentNoticeVersion: PRIVACY_NOTICE_VERSION,
    llm: { granted: c.llm?.granted ?? false, at: c.llm?.at ?? null },
    history: await listConsents(db, athleteId),
  };
}

/** PATCH /me/consent: the LLM consent (off until given); accepting the current notice is recorded too. */
export async function updateConsent(db: Db, athleteId: string, body: { llm?: boolean; acceptPrivacyNotice?: boolean }): Promise<ConsentAnswer> {
  await db.transaction().execute(async (trx) => {
    if (body.acceptPrivacyNotice) await recordConsent(trx, { athleteId, kind: 'privacy_notice', granted: true, noticeVersion: PRIVACY_NOTICE_VERSION, source: 'gateway' });
    if (body.llm !== undefined) await recordConsent(trx, { athleteId, kind: 'llm', granted: body.llm, noticeVersion: PRIVACY_NOTICE_VERSION, source: 'gateway' });
  });
  return getConsent(db, athleteId);
}
