export { createIntervalsClient } from './client.js';
export type { IntervalsClient, IntervalsClientOptions, IntervalsAuth, DoomedEvent, RateLimiter } from './client.js';
export { IntervalsHttpError, IntervalsParseError, isPermanentStatus, isRetryableStatus } from './errors.js';
export { TokenBucket, systemClock, type Clock } from './token-bucket.js';
export { backoffDelay, parseRetryAfter } from './retry.js';
