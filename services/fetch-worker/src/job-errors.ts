import { UnrecoverableError } from 'bullmq';
import { IntervalsHttpError, IntervalsParseError } from '@splits/intervals';

/**
 * Maps client errors onto the three failure kinds: permanent (4xx other than 408/429, unparsable
 * payloads) → UnrecoverableError, no retries; everything else is rethrown for attempts + backoff.
 */
export function asJobError(err: unknown): never {
  if (!(err instanceof Error)) throw err;
  if (err instanceof IntervalsHttpError && err.permanent) throw new UnrecoverableError(err.message);
  if (err instanceof IntervalsParseError) throw new UnrecoverableError(err.message);
  throw err;
}
