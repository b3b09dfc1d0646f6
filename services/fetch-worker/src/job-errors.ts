import { DelayedError, UnrecoverableError, type Job } from 'bullmq';
import { IntervalsHttpError, IntervalsParseError } from '@splits/intervals';

/**
 * Maps client errors onto the three failure kinds: permanent (4xx other than 408/429, unparsable
 * payloads) → UnrecoverableError, no retries; a 429 whose Retry-After was longer than the client
 * waits in-line → re-delay the job by exactly that long (no attempt spent); anything else is
 * rethrown for attempts + exponential backoff with jitter.
 */
export async function asJobError(err: unknown, job: Pick<Job, 'moveToDelayed'>, token: string | undefined): Promise<never> {
  if (!(err instanceof Error)) throw err;
  if (err instanceof IntervalsHttpError && err.permanent) throw new UnrecoverableError(err.message);
  if (err instanceof IntervalsParseError) throw new UnrecoverableError(err.message);
  if (err instanceof IntervalsHttpError && err.status === 429 && err.retryAfterMs) {
    await job.moveToDelayed(Date.now() + err.retryAfterMs, token);
    throw new DelayedError();
  }
  throw err;
}
