import { describe, expect, it } from '@jest/globals';
import { capturedRide, capturedRun, runWith, structuredRun } from './__fixtures__/activities.js';
import { chartSeriesOf } from './chart-data.js';
import type { SessionReason } from '@splits/contracts';
import { CARD_REASON_MAX, formatPlannedDay, formatWorkoutCard, formatWorkoutMessage } from './message.js';
import { renderReason } from './reason-text.js';
import { normalizeActivity } from './normalize.js';
import { mergeReportIntoDescription, REPORT_END, REPORT_START, stripReportSection } from './report-section.js';
import { localeOf, texts } from './telegram-catalog.js';

describe('formatWorkoutCard', () => {
  const structured = () => ({
    ...normalizeActivity({ activity: runWith(structuredRun(4, { secs: 480, speed: 3.9, hr: 165 }, { secs: 180, speed: 2.5, hr: 140 }), { max_heartrate: 174, icu_training_load: 84 }) }),
    id: 'trn_1',
    sessionType: 'Threshold',
  });

  const why: SessionReason = {
    code: 'reps',
    params: { kind: 'at_threshold', set: { kind: 'reps', reps: 4, secs: 480, secsMax: null, meters: null, recSecs: 180, recHow: 'jog' }, effort: { basis: 'pace', lo: 96, hi: 100 } },
  };
  const classified = () => ({
    ...structured(),
    classification: { method: 'rules' as const, confidence: 0.9, reason: renderReason(why, 'en'), reasonCode: why.code, reasonParams: why.params },
  });

  it('shows date, name, session type, its reason in one short line, basics, HR, load, main set and fitness (the link is the button)', () => {
    const rec = classified();
    expect(rec.classification.reason).toBe('4 x 8 min at 96–100% of threshold pace, 3 min jog: reps at threshold');
    const text = formatWorkoutCard(rec);
    expect(text.split('\n')).toEqual([
      `${rec.localDate} · Morning Run`,
      'Run · Threshold',
      'Threshold reps: 96–100% of threshold pace',
      `13.07 km · 1:05:59 · 5:03/km`,
      'HR 150 avg / 174 max',
      'Load 84',
      'Main set: 4 x 8 min, recovery 3 min jog',
      'Fitness 52.1 · Fatigue 61.4 · Form −9.3',
    ]);
    expect(formatWorkoutMessage(rec)).toBe(formatWorkoutCard(rec));
  });

  it('reads every word in Russian: sport, session type, reason, units, intensity, main set, numbers', () => {
    const text = formatWorkoutCard({ ...classified(), intensity: 'very hard' as const }, { locale: 'ru' });
    expect(text.split('\n').slice(1)).toEqual([
      'Бег · Пороговая',
      'Пороговые повторы: 96–100% порогового темпа',
      '13,07 км · 1:05:59 · 5:03/км',
      'Пульс 150 средн. / 174 макс.',
      'Нагрузка 84 · интенсивность очень высокая',
      'Основная часть: 4 × 8 мин, между повторами 3 мин трусцой',
      'Форма (CTL) 52,1 · Усталость 61,4 · Свежесть −9,3',
    ]);
  });

  it('keeps the reason to one short line, and says nothing in Russian that only exists in English', () => {
    const long = { ...structured(), classification: { method: 'llm' as const, confidence: 0.7, reason: 'The athlete ran five long repetitions near threshold with short jog recoveries, which is classic cruise-interval work.', reasonCode: 'llm', reasonParams: {} } };
    const line = formatWorkoutCard(long).split('\n')[2]!;
    expect(line.length).toBeLessThanOrEqual(CARD_REASON_MAX);
    expect(line).toMatch(/^The athlete ran five .*…$/);
    expect(formatWorkoutCard(long, { locale: 'ru' }).split('\n')[2]).toBe('Оценка языковой модели (правила не были уверены)');
    // A classification stored before reasons had codes: its English words on an English card, nothing on a Russian one.
    const old = { ...structured(), classification: { method: 'rules' as const, confidence: 0.9, reason: '4 x 8 min: long reps' } };
    expect(formatWorkoutCard(old).split('\n')[2]).toBe('4 x 8 min: long reps');
    expect(formatWorkoutCard(old, { locale: 'ru' }).split('\n')[2]).toMatch(/км/);
  });

  it('tells the athlete, in their language, when their threshold setting has been stale for two weeks', () => {
    const classification = { method: 'rules' as const, confidence: 0.9, reason: 'x', thresholdSource: 'race' as const, thresholdPace: '4:12/km', settingsThresholdPace: '4:25/km' };
    const stale = { ...structured(), classification: { ...classification, staleSettings: true } };
    expect(formatWorkoutCard(stale)).toContain('Your Intervals.icu threshold pace is 4:25/km; your recent efforts say 4:12/km.');
    expect(formatWorkoutCard(stale, { locale: 'ru' })).toContain('Пороговый темп в Intervals.icu — 4:25/км; ваши недавние тренировки говорят 4:12/км.');
    // Off for less than two weeks (or not at all): nothing said.
    expect(formatWorkoutCard({ ...structured(), classification: { ...classification, staleSettings: false } })).not.toContain('threshold pace is');
  });

  it('says fitness is pending while provisional, and skips what is missing', () => {
    const rec = normalizeActivity({ activity: { ...capturedRun, average_heartrate: null, max_heartrate: null } });
    const text = formatWorkoutCard({ ...rec, id: 'trn_2' });
    expect(text).toContain('Fitness pending');
    expect(text).toContain('4.5 km · 0:36:19 · 8:04/km'); // 2179 s / 4.49753 km = 484.5 s/km
    expect(text).not.toContain('HR');
    expect(text).not.toContain('Main set');
  });

  it('gives speed for rides', () => {
    const text = formatWorkoutCard({ ...normalizeActivity({ activity: capturedRide }), id: 'trn_3' });
    expect(text.split('\n').slice(1, 3)).toEqual(['Virtual ride', '28.45 km · 0:55:07 · 31.0 km/h']);
    expect(text).toContain('Fitness 18.9 · Fatigue 38.3 · Form −19.3');
    expect(formatWorkoutCard({ ...normalizeActivity({ activity: capturedRide }), id: 'trn_3' }, { locale: 'ru' }).split('\n').slice(1, 3)).toEqual(['Велотренажёр', '28,45 км · 0:55:07 · 31,0 км/ч']);
  });
});

describe('chartSeriesOf', () => {
  it('charts the work intervals of a structured run, the km splits of a steady one, nothing for a ride', () => {
    const rec = { ...normalizeActivity({ activity: runWith(structuredRun(4, { secs: 480, speed: 3.9, hr: 165 }, { secs: 180, speed: 2.5, hr: 140 })) }), id: 'x' };
    const s = chartSeriesOf(rec)!;
    expect(s.kind).toBe('intervals');
    expect(s.labels).toEqual(['1', '2', '3', '4']);
    expect(s.pace[0]).toBeCloseTo(1000 / 3.9 / 60, 1);
    const splits = chartSeriesOf({ ...rec, intervals: [], splitsKm: [{ km: 1, pace: '5:10/km', avgHr: 140 }, { km: 2, pace: '5:00/km' }] })!;
    expect(splits).toEqual({ kind: 'splits', labels: ['1', '2'], pace: [5 + 10 / 60, 5], hr: [140, null] });
    expect(chartSeriesOf({ ...normalizeActivity({ activity: capturedRide }), id: 'r' })).toBeNull();
  });
});

describe('report section in the activity description', () => {
  it('appends a delimited section, keeps the athlete text on both sides, and replaces only the section', () => {
    const first = mergeReportIntoDescription('Windy.', 'Good session.');
    expect(first).toBe(`Windy.\n\n${REPORT_START}\nGood session.\n${REPORT_END}`);
    const edited = `${first}\n\nAdded later by the athlete.`;
    const second = mergeReportIntoDescription(edited, 'Better than it felt.');
    expect(second).toBe(`Windy.\n\nAdded later by the athlete.\n\n${REPORT_START}\nBetter than it felt.\n${REPORT_END}`);
    expect(stripReportSection(second)).toBe('Windy.\n\nAdded later by the athlete.');
    expect(mergeReportIntoDescription(null, 'Only this.')).toBe(`${REPORT_START}\nOnly this.\n${REPORT_END}`);
    expect(mergeReportIntoDescription(second, 'Better than it felt.')).toBe(second);
  });
});

describe('message catalog', () => {
  it('picks Russian for ru* and English otherwise; both catalogs have the same keys', () => {
    expect(localeOf('ru')).toBe('ru');
    expect(localeOf('ru-RU')).toBe('ru');
    expect(localeOf('de')).toBe('en');
    expect(localeOf(undefined)).toBe('en');
    expect(Object.keys(texts('ru')).sort()).toEqual(Object.keys(texts('en')).sort());
    expect(texts('ru').writeReport).toBe('Написать отчёт');
  });

  it('lists the day\'s plan, or nothing', () => {
    expect(formatPlannedDay([], 'x')).toBeNull();
    expect(formatPlannedDay([{ name: 'Easy', type: 'Run', category: 'WORKOUT', movingTime: 2700, distanceKm: 8.04, description: '- 45m Z2' }], 'Today:')).toBe(
      'Today:\n• Easy — Run · 0:45:00 · 8 km\n   - 45m Z2',
    );
  });
});
