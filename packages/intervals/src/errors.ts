/** Where a request to Intervals.icu failed, in terms a job can act on. */
export class IntervalsHttpError extends Error {
  override readonly name = 'IntervalsHttpError';
  /** HTTP status; 0 when no response arrived (network error, timeout). */
  readonly status: number;
  /** What `Retry-After` asked for, in ms, when the server sent one. */
  readonly retryAfterMs: number | null;
  /** 4xx other than 408/429: retrying the same request cannot succeed. */
  readonly permanent: boolean;
  /** `/api/v1`-relative path without the query string (never carries a credential). */
  readonly path: string;

  constructor(args: { method: string; path: string; status: number; retryAfterMs?: number | null; detail?: string }) {
    const what = args.status === 0 ? 'no response' : `HTTP ${args.status}`;
    super(`Intervals.icu ${args.method} ${args.path} failed: ${what}${args.detail ? ` (${args.detail})` : ''}`);
    this.status = args.status;
    this.retryAfterMs = args.retryAfterMs ?? null;
    this.permanent = isPermanentStatus(args.status);
    this.path = args.path;
  }
}

/** A response that arrived but did not match its zod schema: a retry would get the same body. */
export class IntervalsParseError extends Error {
  override readonly name = 'IntervalsParseError';
  readonly permanent = true;
  readonly path: string;
  /** zod's issue list, e.g. `id: expected string`. */
  readonly issues: string[];

  constructor(args: { method: string; path: string; issues: string[] }) {
    super(`Intervals.icu ${args.method} ${args.path} returned an unexpected body: ${args.issues.slice(0, 5).join('; ')}`);
    this.path = args.path;
    this.issues = args.issues;
  }
}

export function isPermanentStatus(status: number): boolean {
  return status >= 400 && status < 500 && status !== 408 && status !== 429;
}

export function isRetryableStatus(status: number): boolean {
  return status === 0 || status === 408 || status === 429 || status >= 500;
}
