import { describe, expect, it } from '@jest/globals';
import {
  REPS_KINDS,
  RUN_SESSION_TYPES,
  SESSION_REASON_CODES,
  type ReasonEffort,
  type ReasonSet,
  type SessionReason,
  type WorkoutRecord,
} from '@splits/contracts';
import {
  BOT_COMMANDS,
  formatPlannedDay,
  formatWorkoutCard,
  intensityWord,
  LOCALES,
  renderReason,
  SESSION_TYPE_NAMES,
  sessionTypeName,
  SPORT_NAMES,
  sportName,
  texts,
  workoutLabel,
  type Locale,
} from '@splits/training';
import { englishWordsIn, runRecord } from '@splits/testing';
import { chartTexts } from './chart.js';

/** Every function of the catalog with the arguments it is called with. A new one needs a line here. */
const SAMPLE_ARGS: Record<string, (l: Locale) => unknown[]> = {
  staleThreshold: () => ['4:25/km', '4:12/km'],
  token: () => ['0123456789'],
  // A code and an address are not words of either language: the sample has digits and no address.
  login: () => ['4821-7730', null],
  todayHeader: () => ['2026-11-20'],
  reminderHeader: () => ['2026-11-20'],
  remindersOn: () => ['07:00'],
  askReport: (l) => [workoutLabel({ activityName: null, workoutType: 'Run', localDate: '2026-11-20', date: '2026-11-20T07:00:00Z' }, l)],
  reportTooLong: () => [4000],
  reportWritten: (l) => [workoutLabel({ activityName: null, workoutType: 'Run', localDate: '2026-11-20', date: '2026-11-20T07:00:00Z' }, l)],
  reportWriteFailed: (l) => [workoutLabel({ activityName: null, workoutType: 'Swim', localDate: '2026-11-20', date: '2026-11-20T07:00:00Z' }, l)],
  // An address is not a word of either language.
  privacy: () => [''],
  deleteScheduled: () => [900],
  erased: () => [120, 14, 2210, 3],
};

function catalogTexts(locale: Locale): Array<[string, string]> {
  return Object.entries(texts(locale)).map(([key, v]) => {
    if (typeof v === 'string') return [key, v];
    const args = SAMPLE_ARGS[key];
    if (!args) throw new Error(`catalog function ${key} has no sample arguments in catalog.test.ts`);
    return [key, (v as (...a: unknown[]) => string)(...args(locale))];
  });
}

const efforts: ReasonEffort[] = [
  { basis: 'pace', lo: 99, hi: 103 },
  { basis: 'hr', lo: 96, hi: 96 },
  { basis: 'relative', lo: 112, hi: 118 },
  null,
];
const none = { secs: null, secsMax: null, meters: null, recSecs: null, recHow: null };
const sets: ReasonSet[] = [
  { ...none, kind: 'reps', reps: 5, secs: 420, recSecs: 95, recHow: 'jog' },
  { ...none, kind: 'reps', reps: 6, meters: 400, recSecs: 90, recHow: 'walk' },
  { ...none, kind: 'reps', reps: 4, secs: 120, secsMax: 240, recSecs: 120, recHow: 'rest' },
  { ...none, kind: 'reps', reps: 3, secs: 210, recSecs: 60, recHow: 'easy' },
  { ...none, kind: 'reps', reps: 8, secs: 45, recSecs: 75, recHow: 'recovery' },
  { ...none, kind: 'continuous', reps: 1, secs: 1800 },
  { ...none, kind: 'strides', reps: 4, secs: 20 },
  { ...none, kind: 'count', reps: 5 },
];

/** Every reason code with every variant of its words (evidence, kinds, sets, efforts, notes). */
function reasonSamples(): SessionReason[] {
  const out: SessionReason[] = [
    { code: 'too_short', params: { minutes: 10 } },
    { code: 'no_data', params: {} },
    { code: 'no_basis', params: {} },
    { code: 'not_a_run', params: {} },
    { code: 'llm', params: {} },
    { code: 'steady_threshold', params: { secs: 2700, pct: 93 } },
  ];
  for (const evidence of ['flag', 'planned', 'name', 'best_effort'] as const) {
    out.push({ code: 'race_declared', params: { evidence, name: evidence === 'name' ? 'Забег «Белые ночи»' : null, km: 10.1, secs: 2420, pct: 104 } });
    out.push({ code: 'race_declared', params: { evidence, name: evidence === 'name' ? 'Паркран Коломенское' : null, km: null, secs: null, pct: null } });
  }
  for (const missing of [null, 'laps', 'laps_hr'] as const) {
    for (const distance of ['5K', '10K', 'Half marathon', 'Marathon'] as const) out.push({ code: 'race_distance', params: { distance, secs: 1198, block: missing === null, missing } });
    for (const effort of efforts) {
      out.push({ code: 'long_steady_block', params: { secs: 4500, effort, missing } });
      out.push({ code: 'tempo', params: { blockSecs: 1440, effort, raceLike: missing !== 'laps', missing } });
    }
    for (const strides of [0, 1, 4]) {
      out.push({ code: 'recovery', params: { secs: 2100, pct: strides ? 68 : null, strides, missing } });
      out.push({ code: 'easy', params: { secs: 2700, pct: strides ? 77 : null, strides, even: strides !== 1, missing } });
    }
  }
  for (const strides of [0, 2, 6]) out.push({ code: 'long', params: { secs: 6300, pct: strides ? 78 : null, strides } });
  for (const effort of efforts) {
    out.push({ code: 'long_fast_block', params: { secs: 6000, blockSecs: 900, effort } });
    out.push({ code: 'long_pickups', params: { secs: 6000, set: null, effort } });
    for (const set of sets) out.push({ code: 'long_pickups', params: { secs: 6000, set, effort } });
  }
  for (const kind of REPS_KINDS) for (const set of sets) for (const effort of efforts) out.push({ code: 'reps', params: { kind, set, effort } });
  return out;
}

const cardRecord = (over: Partial<WorkoutRecord>): WorkoutRecord => ({ ...runRecord('i1', '2026-11-20', { name: 'Утренняя тренировка' }), id: 'trn_1', userReport: null, ...over }) as WorkoutRecord;

describe('the catalog reads fully in Russian', () => {
  it('the check finds what a half-translated card looked like', () => {
    expect(englishWordsIn('Бег · Threshold (5 x 7 min at 99–103% of threshold pace)')).toEqual(['Threshold', 'x', 'min', 'at', 'of', 'threshold', 'pace']);
    expect(englishWordsIn('интенсивность very hard · 4:55/km · 150 bpm')).toEqual(['very', 'hard', 'km', 'bpm']);
    expect(englishWordsIn('Откройте ссылку (t.me/…?start=…) в Intervals.icu; /today, /language ru')).toEqual([]);
  });

  it('has the same keys in every language, and every Russian text is free of English words', () => {
    const keys = (l: Locale) => Object.keys(texts(l)).sort();
    for (const l of LOCALES) expect(keys(l)).toEqual(keys('en'));
    for (const [key, text] of catalogTexts('ru')) expect({ key, english: englishWordsIn(text) }).toEqual({ key, english: [] });
    // And the English catalog says nothing in Cyrillic.
    for (const [key, text] of catalogTexts('en')) expect({ key, text: /[а-яё]/i.test(text) }).toEqual({ key, text: false });
  });

  it('renders every reason code and every variant of it in both languages, Russian without English words', () => {
    const samples = reasonSamples();
    // The samples cover every code and every kind of reps.
    expect(new Set(samples.map((r) => r.code))).toEqual(new Set(SESSION_REASON_CODES));
    expect(new Set(samples.flatMap((r) => (r.code === 'reps' ? [r.params.kind] : [])))).toEqual(new Set(REPS_KINDS));
    for (const reason of samples) {
      for (const brief of [false, true]) {
        const ru = renderReason(reason, 'ru', { brief });
        const en = renderReason(reason, 'en', { brief });
        expect({ reason, brief, english: englishWordsIn(ru) }).toEqual({ reason, brief, english: [] });
        expect(ru).not.toBe(en);
        expect({ en, cyrillic: /[а-яё]/i.test(en.replace(/«[^»]*»|"[^"]*"/g, '')) }).toEqual({ en, cyrillic: false });
      }
    }
  });

  it('names every sport, session type and intensity in both languages', () => {
    for (const type of Object.keys(SPORT_NAMES)) expect({ type, english: englishWordsIn(sportName(type, 'ru')) }).toEqual({ type, english: [] });
    for (const type of [...RUN_SESSION_TYPES, ...Object.keys(SESSION_TYPE_NAMES)]) {
      expect({ type, english: englishWordsIn(sessionTypeName(type, 'ru')) }).toEqual({ type, english: [] });
      expect(sessionTypeName(type, 'en')).toBe(type);
    }
    for (const label of ['easy', 'moderate', 'hard', 'very hard'] as const) expect(englishWordsIn(intensityWord(label, 'ru'))).toEqual([]);
    // A type Intervals.icu adds later reads as words in English and as "a workout" in Russian, never as a code.
    expect(sportName('NewFancySport', 'en')).toBe('New fancy sport');
    expect(englishWordsIn(sportName('NewFancySport', 'ru'))).toEqual([]);
  });

  it('the whole card, the day plan and the chart of every session type and reason read fully in Russian', () => {
    const types = [...RUN_SESSION_TYPES];
    for (const [k, reason] of reasonSamples().entries()) {
      const sessionType = types[k % types.length]!;
      const rec = cardRecord({
        sessionType,
        intensity: (['easy', 'moderate', 'hard', 'very hard'] as const)[k % 4]!,
        intervalSummary: [null, { work: '5 x 7 min', recovery: '95 s jog' }, { work: '6 x 400 m', recovery: '90 s walk' }, { work: '30 min continuous', recovery: null }, { work: '4 x 20 s strides', recovery: null }][k % 5]!,
        provisional: k % 7 === 0,
        classification: {
          method: reason.code === 'llm' ? 'llm' : 'rules',
          confidence: 0.8,
          reason: renderReason(reason, 'en'),
          reasonCode: reason.code,
          reasonParams: reason.params,
          thresholdPace: '4:12/km',
          settingsThresholdPace: '4:25/km',
          staleSettings: k % 3 === 0,
        } as WorkoutRecord['classification'],
      });
      const card = formatWorkoutCard(rec, { locale: 'ru' });
      expect({ card, english: englishWordsIn(card) }).toEqual({ card, english: [] });
    }
    for (const workoutType of ['Ride', 'Swim', 'WeightTraining', 'VirtualRide']) {
      const card = formatWorkoutCard(cardRecord({ workoutType, sessionType: workoutType, pace: workoutType === 'Swim' ? 1.9 : null, speed: 31, classification: null }), { locale: 'ru' });
      expect({ card, english: englishWordsIn(card) }).toEqual({ card, english: [] });
    }
    const plan = formatPlannedDay(
      [
        { name: null, type: 'Run', category: 'WORKOUT', movingTime: 3600, distanceKm: 12.5, description: null },
        { name: null, type: null, category: 'RACE_A', movingTime: null, distanceKm: null, description: null },
      ],
      texts('ru').todayHeader('2026-11-20'),
      'ru',
    )!;
    expect(englishWordsIn(plan)).toEqual([]);
    for (const kind of ['splits', 'intervals'] as const) {
      const words = chartTexts({ kind, labels: ['1', '2'], pace: [4.9, 5.1], hr: [150, 160] }, 'ru');
      const all = [words.title, ...(words.paceAxis ?? []), ...(words.hrAxis ?? [])].join(' ');
      expect({ all, english: englishWordsIn(all) }).toEqual({ all, english: [] });
      expect(words.paceAxis![0]).toMatch(/\/км$/);
      expect(words.hrAxis![0]).toMatch(/уд\/мин$/);
      expect(chartTexts({ kind, labels: ['1', '2'], pace: [4.9, 5.1], hr: [150, 160] }, 'en').hrAxis![0]).toMatch(/bpm$/);
    }
  });

  it('the command menu has every command of /help, in every language, with valid names', () => {
    for (const l of LOCALES) {
      const help = texts(l).help;
      for (const { command, description } of BOT_COMMANDS[l]) {
        expect(command).toMatch(/^[a-z0-9_]{1,32}$/);
        expect(help).toContain(`/${command}`);
        if (l === 'ru') expect(englishWordsIn(description)).toEqual([]);
      }
      expect(BOT_COMMANDS[l].map((c) => c.command)).toEqual(BOT_COMMANDS.en.map((c) => c.command));
    }
  });
});
