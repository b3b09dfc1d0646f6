import { HttpError } from '@splits/contracts';
import { errorCodeFor } from '@splits/http';

/** Errors the gateway raises on purpose; the app's one error handler maps them to `{error:{code,message}}`. */
export { HttpError };

export class BadRequestError extends HttpError {
  constructor(message: string) {
    super(400, 'bad_request', message);
  }
}

export class UnauthorizedError extends HttpError {
  constructor(
    message = 'missing or invalid bearer token',
    /** The WWW-Authenticate challenge (RFC 6750 / RFC 9728). */
    readonly challenge = 'Bearer',
  ) {
    super(401, 'unauthorized', message, { 'www-authenticate': challenge });
  }
}

export class NotFoundError extends HttpError {
  constructor(message = 'not found') {
    super(404, 'not_found', message);
  }
}

/** The answer would break the assistants' response-size limit; the message says how to ask for less. */
export class TooLargeError extends HttpError {
  constructor(message: string) {
    super(413, errorCodeFor(413), message);
  }
}

/** A third party (Intervals.icu) failed or refused; `code` says which way, the message what to do. */
export class UpstreamError extends HttpError {
  constructor(statusCode: number, code: string, message: string) {
    super(statusCode, code, message);
  }
}

/** The athlete asked faster than their token's rate limit allows. */
export class RateLimitedError extends HttpError {
  constructor(message: string) {
    super(429, 'rate_limited', message);
  }
}

/** Not there yet (the first summary is being built); Retry-After says when to ask again. */
export class UnavailableError extends HttpError {
  constructor(message: string, retryAfterSec: number) {
    super(503, 'unavailable', message, { 'retry-after': String(retryAfterSec) });
  }
}
