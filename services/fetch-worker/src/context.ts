import { UnrecoverableError } from 'bullmq';
import type { Logger } from 'pino';
import { getConnectionState, getIntervalsCredential, type Db, type EncryptionKeys, type IntervalsCredential } from '@splits/db';
import type { IntervalsClient } from '@splits/intervals';
import type { Queues } from '@splits/queue';
import { addDays, isValidTimeZone, localDateIn } from '@splits/training';

/** What every fetch-worker processor gets (main.ts wires the real ones; tests the fakes). */
export interface FetchDeps {
  db: Db;
  queues: Queues;
  log: Logger;
  encryptionKey: EncryptionKeys;
  clientFor(cred: IntervalsCredential): IntervalsClient;
  /** Wait between re-fetches while Intervals.icu is still analysing. */
  retryDelayMs: number;
  maxWaits: number;
}

export interface OpenConnection {
  cred: IntervalsCredential;
  client: IntervalsClient;
  timezone: string;
  authKind: 'api_key' | 'oauth';
  pollCursor: Date | null;
  lastPolledAt: Date | null;
}

/**
 * The athlete's usable Intervals.icu connection. A broken or revoked connection (or none) is a
 * permanent failure for the job: retrying cannot help until the athlete reconnects.
 */
export async function openConnection(deps: FetchDeps, athleteId: string): Promise<OpenConnection> {
  const state = await getConnectionState(deps.db, athleteId);
  if (!state) throw new UnrecoverableError('athlete has no Intervals.icu connection');
  if (state.status !== 'active') throw new UnrecoverableError(`Intervals.icu connection is ${state.status}${state.status_reason ? `: ${state.status_reason}` : ''}`);
  const cred = await getIntervalsCredential(deps.db, deps.encryptionKey, athleteId);
  if (!cred) throw new UnrecoverableError('athlete has no Intervals.icu connection');
  return { cred, client: deps.clientFor(cred), timezone: state.timezone, authKind: state.auth_kind, pollCursor: state.poll_cursor, lastPolledAt: state.last_polled_at };
}

/** The calendar date in the athlete's time zone (YYYY-MM-DD); UTC when the zone is unknown. */
export function localToday(timezone: string, now: Date = new Date()): string {
  return localDateIn(now, isValidTimeZone(timezone) ? timezone : 'UTC');
}

export { addDays };
