import { HttpError } from '@splits/contracts';

/** Errors the ingress raises on purpose; the app's one error handler maps them to `{error:{code,message}}`. */
export { HttpError };

export class UnauthorizedError extends HttpError {
  constructor() {
    super(401, 'unauthorized', 'webhook secret does not match');
  }
}

/** A dependency the request needs failed; the sender (Intervals.icu) retries on 503. */
export class UnavailableError extends HttpError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(503, 'unavailable', message);
    if (options?.cause !== undefined) this.cause = options.cause;
  }
}

/** The client sent more deliveries than its per-IP budget; `Retry-After` tells when the next is admitted. */
export class RateLimitedError extends HttpError {
  constructor(readonly retryAfterSec: number) {
    super(429, 'rate_limited', `too many requests from this address; retry in ${retryAfterSec} s`, { 'retry-after': String(retryAfterSec) });
  }
}
