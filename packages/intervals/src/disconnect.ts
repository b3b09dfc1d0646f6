import type { Logger } from 'pino';
import { createIntervalsClient, type RateLimiter } from './client.js';

/** Ends Splits' OAuth grant for one athlete (DELETE /disconnect-app with their bearer token): their account was deleted. */
export async function disconnectIntervalsApp(o: { baseUrl: string; accessToken: string; limiter?: RateLimiter; log?: Logger }): Promise<void> {
  const client = createIntervalsClient({ baseUrl: o.baseUrl, auth: { kind: 'oauth', secret: o.accessToken }, limiter: o.limiter, maxAttempts: 3, maxRetryAfterMs: 5_000, log: o.log });
  await client.disconnectApp();
}
