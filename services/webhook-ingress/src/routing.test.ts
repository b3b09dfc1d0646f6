import { describe, expect, it } from '@jest/globals';
import { isActionable, routeEvent, wellnessDates } from './routing.js';

const row = { inboxId: '41', athleteId: 'ath_1' };
const opts = { fetchDelayMs: 30_000, wellnessDebounceMs: 1_000, calendarDebounceMs: 500 };
const NOW = new Date('2026-04-16T10:00:00Z');

describe('routeEvent', () => {
  it.each(['ACTIVITY_UPLOADED', 'ACTIVITY_ANALYZED', 'ACTIVITY_UPDATED', 'ACTIVITY_ACHIEVEMENTS'])('%s re-fetches the activity after the fetch delay', (type) => {
    expect(routeEvent(row, { type, activity: { id: 'i140263995' } }, opts)).toEqual([
      { queue: 'fetch-activity', payload: { athleteId: 'ath_1', intervalsActivityId: 'i140263995', reason: type }, delay: 30_000 },
    ]);
  });

  it('ACTIVITY_DELETED goes to the same per-activity job at once (it removes the record)', () => {
    expect(routeEvent(row, { type: 'ACTIVITY_DELETED', activity: { id: 'i140242265' } }, opts)).toEqual([
      { queue: 'fetch-activity', payload: { athleteId: 'ath_1', intervalsActivityId: 'i140242265', reason: 'ACTIVITY_DELETED' }, delay: 0 },
    ]);
  });

  it('WELLNESS_UPDATED syncs each day, debounced per day', () => {
    const jobs = routeEvent(row, { type: 'WELLNESS_UPDATED', records: [{ id: '2026-04-15', ctl: 18.4 }, { id: '2026-04-14' }] }, opts, NOW);
    expect(jobs).toEqual([
      { queue: 'sync-wellness', payload: { athleteId: 'ath_1', dates: ['2026-04-14'] }, delay: 1_000 },
      { queue: 'sync-wellness', payload: { athleteId: 'ath_1', dates: ['2026-04-15'] }, delay: 1_000 },
    ]);
  });

  it('FITNESS_UPDATED ignores the projected future rows', () => {
    const records = Array.from({ length: 60 }, (_, i) => ({ id: new Date(Date.UTC(2026, 3, 16 + i)).toISOString().slice(0, 10), ctl: 20 - i / 10 }));
    const jobs = routeEvent(row, { type: 'FITNESS_UPDATED', records }, opts, NOW);
    // Today and (for athletes east of UTC) tomorrow; nothing of the projection beyond.
    expect(jobs.map((j) => (j.payload as { dates: string[] }).dates[0])).toEqual(['2026-04-16', '2026-04-17']);
  });

  it('calendar, sport settings and scope changes each get their job; unknown types none', () => {
    expect(routeEvent(row, { type: 'CALENDAR_UPDATED' }, opts)).toEqual([{ queue: 'sync-calendar', payload: { athleteId: 'ath_1' }, delay: 500 }]);
    expect(routeEvent(row, { type: 'CALENDAR_EVENT_DELETED' }, opts)[0]?.queue).toBe('sync-calendar');
    expect(routeEvent(row, { type: 'SPORT_SETTINGS_UPDATED' }, opts)).toEqual([{ queue: 'sync-settings', payload: { athleteId: 'ath_1' } }]);
    expect(routeEvent(row, { type: 'APP_SCOPE_CHANGED' }, opts)).toEqual([{ queue: 'update-connection', payload: { athleteId: 'ath_1', inboxId: '41' } }]);
    expect(routeEvent(row, { type: 'CHAT_UPDATE' }, opts)).toEqual([]);
    expect(routeEvent(row, { type: 'TEST' }, opts)).toEqual([]);
  });
});

describe('wellnessDates', () => {
  it('keeps valid dates up to tomorrow (UTC), deduplicated and sorted', () => {
    expect(wellnessDates([{ id: '2026-04-16' }, { id: '2026-04-16' }, { id: 'garbage' }, { id: 7 }, { id: '2026-04-18' }, { id: '2026-04-01' }], NOW)).toEqual([
      '2026-04-01',
      '2026-04-16',
    ]);
    expect(wellnessDates(null, NOW)).toEqual([]);
  });

  it('drops dates that do not exist; an event with nothing else is not actionable (stored as ignored)', () => {
    const records = [{ id: '2024-13-45' }, { id: '2024-02-30' }, { id: '2023-02-29' }, { id: '2026-04-14' }];
    expect(wellnessDates(records, NOW)).toEqual(['2026-04-14']);
    expect(routeEvent(row, { type: 'WELLNESS_UPDATED', records }, opts, NOW)).toEqual([
      { queue: 'sync-wellness', payload: { athleteId: 'ath_1', dates: ['2026-04-14'] }, delay: 1_000 },
    ]);
    expect(isActionable({ type: 'WELLNESS_UPDATED', records: [{ id: '2024-13-45' }, { id: '2024-02-30' }] }, NOW)).toBe(false);
  });
});
