import { DelayedError, UnrecoverableError, type Job } from 'bullmq';
import { IntervalsHttpError, IntervalsParseError } from '@splits/intervals';

export interface JobErrorHooks {
  /** Intervals.icu refused the credential (401/403): mark the connection broken. */
  onAuthRejected?(message: string): Promise<unknown>;
}

/**
 * Maps client errors onto the failure kinds: 401/403 → the connection is marked broken and the job
 * stops (no retry can fix a revoked key); other permanent errors (4xx other than 408/429,
 * unparsable payloads) → UnrecoverableError; a 429 whose Retry-After was longer than the client
 * waits in-line → re-delay the job by exactly that long (no attempt spent); anything else is
 * rethrown for attempts + exponential backoff with jitter.
 */
export async function asJobError(
  err: unknown,
  job: Pick<Job, 'moveToDelayed'>,
  token: string | undefined,
  hooks: JobErrorHooks = {},
): Promise<never> {
  if (!(err instanceof Error)) throw err;
  if (err instanceof IntervalsHttpError && (err.status === 401 || err.status === 403)) {
    await hooks.onAuthRejected?.(`Intervals.icu refused the credential (HTTP ${err.status} on ${err.path})`);
    throw new UnrecoverableError(err.message);
  }
  if (err instanceof IntervalsHttpError && err.permanent) throw new UnrecoverableError(err.message);
  if (err instanceof IntervalsParseError) throw new UnrecoverableError(err.message);
  if (err instanceof IntervalsHttpError && err.status === 429 && err.retryAfterMs) {
    await job.moveToDelayed(Date.now() + err.retryAfterMs, token);
    throw new DelayedError();
  }
  throw err;
}
