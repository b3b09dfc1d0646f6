import { createHash, timingSafeEqual } from 'node:crypto';
import type { IntervalsWebhookBody, IntervalsWebhookEvent } from '@splits/contracts';
import type { InboxEventInput } from '@splits/db';
import { currentTraceCarrier, inSpan, metrics } from '@splits/telemetry';
import type { WorkEnqueuer, WorkItem } from './work-enqueuer.js';
import { isActionable, routeEvent, type RoutingOptions } from './routing.js';
import { isBadDataError, type InboxBatcher } from './inbox-batcher.js';
import { HttpError, UnauthorizedError, UnavailableError } from './errors.js';

export interface WebhookDeps {
  /** SHA-256 of the configured secret (see `secretDigest`). */
  secretDigest: Buffer;
  inbox: InboxBatcher;
  enqueuer: WorkEnqueuer;
  routing: RoutingOptions;
}

export interface WebhookReceipt {
  ok: true;
  received: number;
  stored: number;
}

const sha256 = (s: string) => createHash('sha256').update(s).digest();

export const secretDigest = (secret: string): Buffer => sha256(secret);

/**
 * Constant-time check of the shared secret Intervals.icu puts in the body (reference §1.4). Both sides
 * are hashed first, so neither the length nor a common prefix of the configured secret leaks.
 */
export function secretMatches(expectedDigest: Buffer, supplied: string): boolean {
  return timingSafeEqual(expectedDigest, sha256(supplied));
}

/**
 * Runs on the parsed body before the body schema: an unauthenticated sender costs a JSON parse and a
 * hash, never the validation of its events array (up to 1000 events). A missing or non-string secret
 * is as wrong as a wrong one.
 */
export function authenticateDelivery(expectedDigest: Buffer, body: unknown): void {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) throw new HttpError(400, 'bad_request', 'body must be a JSON object {secret, events}');
  const supplied = (body as { secret?: unknown }).secret;
  if (typeof supplied !== 'string' || !secretMatches(expectedDigest, supplied)) throw new UnauthorizedError();
}

function calendarIds(list: unknown[] | null | undefined, tag: string): string[] {
  return (list ?? []).map((e) => {
    const id = e !== null && typeof e === 'object' ? (e as { id?: unknown }).id : e;
    return `${tag}${typeof id === 'string' || typeof id === 'number' ? id : JSON.stringify(e)}`;
  });
}

/**
 * Identity of one event across redeliveries: sha256(type|athlete_id|activity.id|timestamp|sorted
 * calendar ids). An event without a timestamp has nothing else to tell two deliveries apart, so
 * its whole content is part of the key instead.
 */
export function dedupeKey(event: IntervalsWebhookEvent): string {
  const parts = [event.type, event.athlete_id, String(event.activity?.id ?? ''), event.timestamp ?? ''];
  if (event.type === 'CALENDAR_UPDATED') {
    parts.push([...calendarIds(event.events, 'c'), ...calendarIds(event.deleted_events, 'd')].sort().join(','));
  }
  if (!event.timestamp) parts.push(sha256(JSON.stringify(event)).toString('hex'));
  return sha256(parts.join('|')).toString('hex');
}

export function toInboxEvent(event: IntervalsWebhookEvent): InboxEventInput {
  const activityId = event.activity ? String(event.activity.id) : null;
  return {
    dedupeKey: dedupeKey(event),
    type: event.type,
    intervalsAthleteId: event.athlete_id,
    activityId,
    actionable: isActionable(event),
    // The event alone: the envelope (and its secret) is never stored.
    payload: event,
  };
}

/**
 * Store every event of an authenticated delivery durably (shared INSERT with concurrent deliveries),
 * then hand the new actionable rows to the queue without waiting: the rows are in Postgres, and the
 * relay re-queues whatever the hand-over misses, so Redis never decides the answer. The route has
 * already checked the secret (`authenticateDelivery`, before validation).
 */
export function receiveWebhook(deps: WebhookDeps, body: IntervalsWebhookBody): Promise<WebhookReceipt> {
  // The span each event's work continues (one trace per workout): its carrier is stored with the
  // pending row and handed to the jobs, so the request path and the relay add them alike.
  return inSpan('webhook receive', { 'splits.webhook.events': body.events.length }, () => storeAndHandOn(deps, body));
}

async function storeAndHandOn(deps: WebhookDeps, body: IntervalsWebhookBody): Promise<WebhookReceipt> {
  const trace = currentTraceCarrier();
  const events = body.events.map((e) => ({ ...toInboxEvent(e), traceContext: trace }));
  let rows;
  try {
    rows = await deps.inbox.submit(events);
  } catch (err) {
    // Data Postgres refuses would be refused again on every retry: bad input, not an outage.
    if (isBadDataError(err)) throw new HttpError(400, 'bad_request', 'the delivery holds data that cannot be stored');
    throw new UnavailableError('could not store the delivery; retry later', { cause: err });
  }
  const received = metrics().webhooksReceived;
  // Bounded label set: Intervals.icu's event names, anything else as `other`.
  for (const e of body.events) received.inc({ type: /^[A-Z_]{1,40}$/.test(e.type) ? e.type : 'other' });
  const work: WorkItem[] = [];
  let stored = 0;
  rows.forEach((row, i) => {
    if (!row) return;
    stored++;
    if (row.status === 'accepted' && row.athlete_id) {
      work.push({ inboxId: row.id, jobs: routeEvent({ inboxId: row.id, athleteId: row.athlete_id }, body.events[i]!, deps.routing), trace });
    }
  });
  void deps.enqueuer.add(work);
  return { ok: true, received: events.length, stored };
}
