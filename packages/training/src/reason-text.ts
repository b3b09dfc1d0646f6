import type { ReasonEffort, ReasonSet, RepsKind, SessionReason } from '@splits/contracts';
import { formatRepTime } from './interval-summary.js';
import { formatSetRecovery, formatSetWork, ruPlural } from './set-text.js';
import type { Locale } from './telegram-catalog.js';
import { formatDuration } from './units.js';

/**
 * The classifier's reason (a code and its numbers, @splits/contracts SessionReason) in words, per
 * language. English is what the record's `reason` says to assistants; the card shows the `brief`
 * form (the core in one short line: no notes on missing data or strides) in the athlete's language.
 * A new code needs its words here in every language (the catalog test renders them all).
 */
export interface ReasonOptions {
  brief?: boolean;
}

type Params<C extends SessionReason['code']> = Extract<SessionReason, { code: C }>['params'];
type Renderers = { [C in SessionReason['code']]: (p: Params<C>, o: ReasonOptions) => string };

interface Words {
  rt(secs: number): string;
  km(v: number): string;
  /** "at 99–103% of threshold pace" / "на 99–103% порогового темпа". */
  at(e: ReasonEffort): string;
  /** "99–103% of threshold pace" (no preposition). */
  bare(e: ReasonEffort): string;
  missing(m: 'laps' | 'laps_hr' | null, o: ReasonOptions): string;
  set(s: ReasonSet): string;
  rec(s: ReasonSet): string | null;
}

const range = (e: NonNullable<ReasonEffort>) => (e.lo === e.hi ? `${e.lo}%` : `${e.lo}–${e.hi}%`);

const enWords: Words = {
  rt: (s) => formatRepTime(s, 'en'),
  km: (v) => String(v),
  bare: (e) => (e ? `${range(e)}${{ pace: ' of threshold pace', hr: ' LTHR', relative: " of the run's usual pace" }[e.basis]}` : 'hard effort'),
  at: (e) => `at ${enWords.bare(e)}`,
  missing: (m, o) => (o.brief || !m ? '' : `; only the totals were recorded (no laps${m === 'laps_hr' ? ' or heart rate' : ''})`),
  set: (s) => formatSetWork(s, 'en'),
  rec: (s) => formatSetRecovery(s, 'en'),
};

const ruWords: Words = {
  rt: (s) => formatRepTime(s, 'ru'),
  km: (v) => String(v).replace('.', ','),
  bare: (e) => (e ? `${range(e)}${{ pace: ' порогового темпа', hr: ' пульса ПАНО', relative: ' обычного темпа этой пробежки' }[e.basis]}` : 'высокое усилие'),
  at: (e) => (e ? `на ${ruWords.bare(e)}` : 'с высоким усилием'),
  missing: (m, o) => (o.brief || !m ? '' : `; записаны только итоги (без кругов${m === 'laps_hr' ? ' и пульса' : ''})`),
  set: (s) => formatSetWork(s, 'ru'),
  rec: (s) => formatSetRecovery(s, 'ru'),
};

const EN_REPS: Record<RepsKind, { full: string; brief: string }> = {
  short_fast: { full: 'short fast reps', brief: 'short fast reps' },
  long: { full: 'long reps', brief: 'long reps' },
  mid: { full: '2–5 min reps', brief: '2–5 min reps' },
  short_above_threshold: { full: 'short reps just above threshold', brief: 'short reps just above threshold' },
  fast: { full: 'fast reps', brief: 'fast reps' },
  threshold_shape: { full: 'long reps, short recoveries (threshold work)', brief: 'threshold reps with short recoveries' },
  vo2max: { full: 'VO2max reps', brief: 'VO2max reps' },
  at_threshold: { full: 'reps at threshold', brief: 'threshold reps' },
};
const RU_REPS: Record<RepsKind, { full: string; brief: string }> = {
  short_fast: { full: 'короткие быстрые повторы', brief: 'короткие быстрые повторы' },
  long: { full: 'длинные повторы', brief: 'длинные повторы' },
  mid: { full: 'повторы по 2–5 минут', brief: 'повторы по 2–5 минут' },
  short_above_threshold: { full: 'короткие повторы чуть быстрее порога', brief: 'короткие повторы чуть быстрее порога' },
  fast: { full: 'быстрые повторы', brief: 'быстрые повторы' },
  threshold_shape: { full: 'длинные повторы, короткие паузы (пороговая работа)', brief: 'пороговые повторы с короткими паузами' },
  vo2max: { full: 'повторы на МПК', brief: 'повторы на МПК' },
  at_threshold: { full: 'повторы на пороге', brief: 'пороговые повторы' },
};

const en = (w: Words): Renderers => ({
  too_short: (p) => `too short to say (under ${p.minutes} min)`,
  no_data: () => 'no pace or heart rate recorded',
  no_basis: () => 'no pace or heart rate to judge the effort by',
  not_a_run: () => 'not a run: the sport is the session type',
  race_declared: (p) => {
    const said = { flag: 'marked as a race', planned: 'a race was planned that day', name: `named "${p.name ?? ''}"`, best_effort: 'a best effort' }[p.evidence];
    return p.km !== null && p.secs !== null ? `${said}: ${w.km(p.km)} km in ${w.rt(p.secs)}${p.pct ? ` at ${p.pct}% of threshold` : ''}` : said;
  },
  race_distance: (p, o) =>
    o.brief
      ? `${p.distance} in ${formatDuration(p.secs)}: all-out over a race distance`
      : `${p.distance} in ${formatDuration(p.secs)}${p.block ? ' (the sustained block)' : ''}: an all-out effort over a standard race distance (no race flag or name)${w.missing(p.missing, o)}`,
  long_pickups: (p) => `${w.rt(p.secs)} run with ${p.set ? w.set(p.set) : 'faster sections'} ${w.at(p.effort)}`,
  long_fast_block: (p) => `${w.rt(p.secs)} run with ${w.rt(p.blockSecs)} fast (${w.bare(p.effort)})`,
  long_steady_block: (p, o) => `${w.rt(p.secs)} steady ${w.at(p.effort)}: longer than a tempo is held${w.missing(p.missing, o)}`,
  tempo: (p, o) =>
    `${w.rt(p.blockSecs)} tempo ${w.at(p.effort)}${p.raceLike ? (o.brief ? ', possibly a race' : ' (possibly a race: no race flag, name or plan says so)') : ''}${w.missing(p.missing, o)}`,
  long: (p, o) => `${w.rt(p.secs)} steady${p.pct !== null ? ` (${p.pct}% of threshold pace)` : ''}: long for this athlete${!o.brief && p.strides ? `, ${p.strides} strides` : ''}`,
  recovery: (p, o) => `${w.rt(p.secs)} very easy${p.pct !== null ? ` (${p.pct}% of threshold pace)` : ''}${!o.brief && p.strides ? `, ${p.strides} strides` : ''}${w.missing(p.missing, o)}`,
  steady_threshold: (p) => `steady ${w.rt(p.secs)} at ${p.pct}% of threshold pace`,
  easy: (p, o) =>
    `${w.rt(p.secs)} comfortable${p.even ? ' and even' : ''}${p.pct !== null ? ` (${p.pct}% of threshold pace)` : ''}${!o.brief && p.strides ? `, ${p.strides} strides` : ''}${w.missing(p.missing, o)}`,
  reps: (p, o) => {
    if (o.brief) return `${EN_REPS[p.kind].brief}: ${w.bare(p.effort)}`;
    const rec = w.rec(p.set);
    return `${w.set(p.set)} ${w.at(p.effort)}${rec ? `, ${rec}` : ''}: ${EN_REPS[p.kind].full}`;
  },
  llm: () => 'judged by the language model (the rules were unsure)',
});

const RU_DISTANCE: Record<Params<'race_distance'>['distance'], string> = { '5K': '5 км', '10K': '10 км', 'Half marathon': 'полумарафон', Marathon: 'марафон' };
const strides = (n: number) => `, ${n} ${ruPlural(n, 'ускорение', 'ускорения', 'ускорений')}`;

const ru = (w: Words): Renderers => ({
  too_short: (p) => `слишком коротко, чтобы судить (меньше ${p.minutes} мин)`,
  no_data: () => 'не записаны ни темп, ни пульс',
  no_basis: () => 'нет ни темпа, ни пульса, чтобы оценить усилие',
  not_a_run: () => 'не бег: тип тренировки — это вид спорта',
  race_declared: (p) => {
    const said = { flag: 'отмечено как соревнование', planned: 'на этот день было запланировано соревнование', name: `название «${p.name ?? ''}»`, best_effort: 'лучшее усилие' }[p.evidence];
    return p.km !== null && p.secs !== null ? `${said}: ${w.km(p.km)} км за ${w.rt(p.secs)}${p.pct ? ` на ${p.pct}% порога` : ''}` : said;
  },
  race_distance: (p, o) =>
    o.brief
      ? `${RU_DISTANCE[p.distance]} за ${formatDuration(p.secs)}: максимальное усилие на соревновательной дистанции`
      : `${RU_DISTANCE[p.distance]} за ${formatDuration(p.secs)}${p.block ? ' (основной отрезок)' : ''}: максимальное усилие на стандартной дистанции (без отметки о соревновании и без названия)${w.missing(p.missing, o)}`,
  long_pickups: (p) => `${w.rt(p.secs)} бега, из них ${p.set ? w.set(p.set) : 'быстрые участки'} ${w.at(p.effort)}`,
  long_fast_block: (p) => `${w.rt(p.secs)} бега, из них ${w.rt(p.blockSecs)} быстро (${w.bare(p.effort)})`,
  long_steady_block: (p, o) => `${w.rt(p.secs)} ровно ${w.at(p.effort)}: дольше, чем держат темп${w.missing(p.missing, o)}`,
  tempo: (p, o) =>
    `${w.rt(p.blockSecs)} в темпе ${w.at(p.effort)}${p.raceLike ? (o.brief ? ', возможно, соревнование' : ' (возможно, соревнование: ни отметка, ни название, ни план этого не говорят)') : ''}${w.missing(p.missing, o)}`,
  long: (p, o) => `${w.rt(p.secs)} ровно${p.pct !== null ? ` (${p.pct}% порогового темпа)` : ''}: длительная для этого спортсмена${!o.brief && p.strides ? strides(p.strides) : ''}`,
  recovery: (p, o) => `${w.rt(p.secs)} очень легко${p.pct !== null ? ` (${p.pct}% порогового темпа)` : ''}${!o.brief && p.strides ? strides(p.strides) : ''}${w.missing(p.missing, o)}`,
  steady_threshold: (p) => `ровно ${w.rt(p.secs)} на ${p.pct}% порогового темпа`,
  easy: (p, o) =>
    `${w.rt(p.secs)} комфортно${p.even ? ' и ровно' : ''}${p.pct !== null ? ` (${p.pct}% порогового темпа)` : ''}${!o.brief && p.strides ? strides(p.strides) : ''}${w.missing(p.missing, o)}`,
  reps: (p, o) => {
    if (o.brief) return `${RU_REPS[p.kind].brief}: ${w.bare(p.effort)}`;
    const rec = w.rec(p.set);
    return `${w.set(p.set)} ${w.at(p.effort)}${rec ? `, ${rec}` : ''}: ${RU_REPS[p.kind].full}`;
  },
  llm: () => 'оценка языковой модели (правила не были уверены)',
});

const RENDERERS: Record<Locale, Renderers> = { en: en(enWords), ru: ru(ruWords) };

/** The reason in words: "5 x 7 min at 99–103% of threshold pace, 95 s jog: reps at threshold". */
export function renderReason(reason: SessionReason, locale: Locale, o: ReasonOptions = {}): string {
  const render = RENDERERS[locale][reason.code] as (p: SessionReason['params'], o: ReasonOptions) => string;
  return render(reason.params, o);
}
