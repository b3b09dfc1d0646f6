import { describe, expect, it } from '@jest/globals';
import { IntervalsWebhookEventSchema } from '@splits/contracts';
import { dedupeKey, secretDigest, secretMatches, toInboxEvent } from './webhook.service.js';

const event = (e: Record<string, unknown>) => IntervalsWebhookEventSchema.parse({ athlete_id: 'i1', type: 'ACTIVITY_UPLOADED', ...e });

describe('secretMatches', () => {
  const digest = secretDigest('correct-horse-battery');
  it('accepts only the exact secret, whatever the length of the guess', () => {
    expect(secretMatches(digest, 'correct-horse-battery')).toBe(true);
    expect(secretMatches(digest, 'correct-horse-batter')).toBe(false);
    expect(secretMatches(digest, 'correct-horse-battery-staple')).toBe(false);
    expect(secretMatches(digest, '')).toBe(false);
  });
});

describe('dedupeKey', () => {
  const ts = '2026-04-16T07:40:42.089+00:00';
  it('is the same for a redelivery and differs by type, athlete, activity and timestamp', () => {
    const base = event({ timestamp: ts, activity: { id: 'i5', name: 'a' } });
    expect(dedupeKey(event({ timestamp: ts, activity: { id: 'i5', name: 'renamed' } }))).toBe(dedupeKey(base));
    for (const other of [
      event({ type: 'ACTIVITY_UPDATED', timestamp: ts, activity: { id: 'i5' } }),
      event({ athlete_id: 'i2', timestamp: ts, activity: { id: 'i5' } }),
      event({ timestamp: ts, activity: { id: 'i6' } }),
      event({ timestamp: '2026-04-16T07:40:43.000+00:00', activity: { id: 'i5' } }),
    ]) {
      expect(dedupeKey(other)).not.toBe(dedupeKey(base));
    }
  });

  it('keys CALENDAR_UPDATED by its sorted calendar ids, changed and deleted apart', () => {
    const cal = (events: unknown[], deleted: unknown[]) =>
      dedupeKey(event({ type: 'CALENDAR_UPDATED', timestamp: ts, events, deleted_events: deleted }));
    expect(cal([{ id: 2 }, { id: 1 }], [3])).toBe(cal([{ id: 1 }, { id: 2 }], [{ id: 3, external_id: 'x' }]));
    expect(cal([{ id: 1 }], [])).not.toBe(cal([], [1]));
  });

  it('tells apart events without a timestamp by their content', () => {
    const a = event({ type: 'WELLNESS_UPDATED', records: [{ id: '2026-04-15', steps: 1 }] });
    const b = event({ type: 'WELLNESS_UPDATED', records: [{ id: '2026-04-15', steps: 2 }] });
    expect(dedupeKey(a)).not.toBe(dedupeKey(b));
  });
});

describe('toInboxEvent', () => {
  it('marks events that lead to work as actionable, and the rest not', () => {
    expect(toInboxEvent(event({ activity: { id: 7 } }))).toMatchObject({ actionable: true, activityId: '7', intervalsAthleteId: 'i1' });
    expect(toInboxEvent(event({ type: 'ACTIVITY_DELETED', activity: { id: 'i7' } })).actionable).toBe(true);
    expect(toInboxEvent(event({ type: 'ACTIVITY_UPLOADED', activity: null })).actionable).toBe(false);
    expect(toInboxEvent(event({ type: 'WELLNESS_UPDATED', records: [] })).actionable).toBe(false);
    expect(toInboxEvent(event({ type: 'WELLNESS_UPDATED', records: [{ id: '2026-04-15' }] })).actionable).toBe(true);
    expect(toInboxEvent(event({ type: 'CALENDAR_UPDATED', events: [], deleted_events: [1] })).actionable).toBe(true);
    expect(toInboxEvent(event({ type: 'SPORT_SETTINGS_UPDATED' })).actionable).toBe(true);
    expect(toInboxEvent(event({ type: 'APP_SCOPE_CHANGED' })).actionable).toBe(true);
    expect(toInboxEvent(event({ type: 'CHAT_UPDATE' })).actionable).toBe(false);
    expect(toInboxEvent(event({ type: 'SOMETHING_NEW' })).actionable).toBe(false);
  });
});
