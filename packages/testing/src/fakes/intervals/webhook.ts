import type { FakeActivity, FakeActivityJson } from './activity.js';
import type { FakeWellness } from './fitness.js';
import { offsetIso } from './time.js';

export type FakeWebhookEvent = Record<string, unknown> & { athlete_id: string; type: string; timestamp: string };
export interface FakeWebhookBody {
  secret: string;
  events: FakeWebhookEvent[];
}

/** The envelope Intervals.icu POSTs: the shared secret in the body, events always an array. */
export function webhookBody(secret: string, events: FakeWebhookEvent[]): FakeWebhookBody {
  return { secret, events };
}

const isFake = (a: FakeActivity | FakeActivityJson): a is FakeActivity => typeof a.plan === 'object' && typeof a.activity === 'object';
const json = (a: FakeActivity | FakeActivityJson): FakeActivityJson => (isFake(a) ? a.activity : a);

/** The activity as ACTIVITY_UPLOADED carries it: no icu_ctl/icu_atl (not computed yet) and no intervals. */
export function uploadedActivityPayload(a: FakeActivity | FakeActivityJson): Record<string, unknown> {
  const { icu_ctl: _c, icu_atl: _a, icu_intervals: _i, icu_groups: _g, ...rest } = json(a) as Record<string, unknown>;
  return rest;
}

export function uploadedWebhook(secret: string, intervalsAthleteId: string, activity: FakeActivity | FakeActivityJson, at = new Date()): FakeWebhookBody {
  return webhookBody(secret, [{ athlete_id: intervalsAthleteId, type: 'ACTIVITY_UPLOADED', timestamp: offsetIso(at), activity: uploadedActivityPayload(activity) }]);
}

/** ACTIVITY_ANALYZED / ACTIVITY_UPDATED / ACTIVITY_ACHIEVEMENTS: the full object, with icu_ctl/icu_atl. */
export function activityWebhook(
  secret: string,
  type: 'ACTIVITY_ANALYZED' | 'ACTIVITY_UPDATED' | 'ACTIVITY_ACHIEVEMENTS' | 'ACTIVITY_DELETED',
  intervalsAthleteId: string,
  activity: FakeActivity | FakeActivityJson,
  at = new Date(),
): FakeWebhookBody {
  const { icu_intervals: _i, icu_groups: _g, ...rest } = json(activity) as Record<string, unknown>;
  const payload = type === 'ACTIVITY_DELETED' ? { id: rest.id, icu_athlete_id: rest.icu_athlete_id, source: rest.source } : rest;
  return webhookBody(secret, [{ athlete_id: intervalsAthleteId, type, timestamp: offsetIso(at), activity: payload }]);
}

export function wellnessWebhook(secret: string, intervalsAthleteId: string, records: FakeWellness[], at = new Date()): FakeWebhookBody {
  return webhookBody(secret, [{ athlete_id: intervalsAthleteId, type: 'WELLNESS_UPDATED', timestamp: offsetIso(at), records }]);
}

/** POSTs like Intervals.icu's sender (Java HTTP client, JSON, optional configured Authorization). */
export async function sendWebhook(
  targetUrl: string,
  body: unknown,
  opts: { authorization?: string; timeoutMs?: number } = {},
): Promise<{ status: number; body: unknown }> {
  const headers: Record<string, string> = { 'user-agent': 'Java-http-client/17.0.14', 'content-type': 'application/json' };
  if (opts.authorization !== undefined) headers.authorization = opts.authorization;
  const res = await fetch(targetUrl, {
    method: 'POST',
    headers,
    body: typeof body === 'string' ? body : JSON.stringify(body),
    signal: AbortSignal.timeout(opts.timeoutMs ?? 10_000),
  });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    // Not JSON: the text is the body.
  }
  return { status: res.status, body: parsed };
}
