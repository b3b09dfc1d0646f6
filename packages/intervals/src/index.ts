export { createIntervalsClient } from './client.js';
export type { IntervalsClient, IntervalsClientOptions, IntervalsAuth, DoomedEvent, RateLimiter } from './client.js';
export { IntervalsHttpError, IntervalsParseError, isPermanentStatus, isRetryableStatus } from './errors.js';
export { TokenBucket, systemClock, type Clock } from './token-bucket.js';
export { backoffDelay, parseRetryAfter } from './retry.js';
export {
  buildAuthorizeUrl,
  exchangeOAuthCode,
  normaliseAthleteId,
  OAuthClientRejectedError,
  OAuthCodeRejectedError,
  OAuthScopeSchema,
  OAuthTokenResponseSchema,
  SPLITS_OAUTH_SCOPES,
  type OAuthGrantResponse,
} from './oauth.js';
export {
  ConnectContextSchema,
  deriveStateKey,
  OAuthStateError,
  signState,
  verifyState,
  type ConnectContext,
  type StateFailure,
  type StatePurpose,
} from './oauth-state.js';
export { disconnectIntervalsApp } from './disconnect.js';
