import type { AthleteThresholds, IntervalsActivity, IntervalsInterval, WorkoutRecord } from '@splits/contracts';
import { normalizeActivity } from '../normalize.js';

/**
 * Deterministic (seeded) run sessions with realistic lap structures and noise, labelled by
 * construction. The generator's physiology (how fast a 10K is run, how HR follows pace, how long
 * a long run is) is its own and is deliberately NOT shared with the classifier: the rules only
 * see the activity, the athlete's settings (noisy, sometimes missing) and a history.
 */

export const EVAL_CLASSES = ['Easy', 'Recovery', 'Long', 'Threshold', 'Interval', 'Repetition', 'Race', 'Unclassified'] as const;

export interface EvalCase {
  id: string;
  label: string;
  /** Which hard case it exercises (long_warmup_vo2, progression, fartlek, …) or 'plain'. */
  variant: string;
  activity: IntervalsActivity;
  /** Sport settings as stored (noisy, stale), or null when the athlete set none. */
  settings: AthleteThresholds | null;
  /** Earlier runs of the athlete (the last 90 days, as stored records; newest first). */
  history: WorkoutRecord[];
  /** The activities those records came from (same order), for replaying arrivals. */
  historyActivities: IntervalsActivity[];
  /** The athlete as generated: threshold speed (m/s), LTHR, max HR. */
  truth: { thresholdSpeed: number; lthr: number; maxHr: number } | null;
  /** Races: the raced block (warm-up and cool-down left out) as generated. */
  raceBlock: { meters: number; secs: number } | null;
}

export function rng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const uni = (lo: number, hi: number) => lo + (hi - lo) * next();
  const normal = (sd = 1) => sd * Math.sqrt(-2 * Math.log(1 - next())) * Math.cos(2 * Math.PI * next());
  const int = (lo: number, hi: number) => Math.floor(uni(lo, hi + 1));
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)] as T;
  return { next, uni, normal, int, pick, chance: (p: number) => next() < p };
}
type Rng = ReturnType<typeof rng>;

interface Athlete {
  n: number;
  /** True threshold speed, m/s. */
  t: number;
  lthr: number;
  maxHr: number;
  /** Usual run, s. */
  usualSecs: number;
  hrOffset: number;
  thresholdSource: 'settings' | 'activity' | 'history' | 'none';
}

/** One stretch of constant intended effort: `rel` × threshold speed. */
interface Part {
  secs: number;
  rel: number;
  /** Auto-lapped every km (a watch's default), or one lap (lap button / structured workout). */
  lap: 'auto' | 'single';
  work?: boolean;
}

interface Mods {
  hilly?: boolean;
  noHr?: boolean;
  gpsSpike?: boolean;
  treadmill?: boolean;
  treadmillNoSpeed?: boolean;
  race?: boolean;
  /** The activity's name (a race's own name, or a training name). */
  name?: string;
}

const NAMES = ['Morning Run', 'Lunch Run', 'Afternoon Run', 'Evening Run', 'Run'];
/** What athletes call their races (in several languages); a race is named like this half of the time. */
const RACE_NAMES: Record<string, string[]> = {
  '5': ['Parkrun', 'parkrun #214', 'Park Run 5K', 'Забег 5 км', '5K Race', 'Charity 5K race'],
  '10': ['City 10K Race', 'Забег 10 км', '10 km race', 'Stadtlauf 10 km', 'Corrida 10K race'],
  '21.0975': ['Half Marathon', 'Полумарафон', 'City Half Marathon', 'Halbmarathon'],
  '42.195': ['Marathon', 'Марафон', 'Berlin Marathon', 'City Marathon'],
};

function makeAthlete(r: Rng, n: number): Athlete {
  const lthr = Math.round(r.uni(148, 182));
  const src = r.next();
  return {
    n,
    t: r.uni(2.9, 5.2),
    lthr,
    maxHr: Math.round(lthr / r.uni(0.87, 0.92)),
    usualSecs: r.uni(32, 65) * 60,
    hrOffset: r.normal(0.02),
    thresholdSource: src < 0.55 ? 'settings' : src < 0.8 ? 'activity' : src < 0.95 ? 'history' : 'none',
  };
}

/** HR as a share of LTHR when running steadily at `rel` × threshold speed (generator's own model). */
const hrRelAt = (rel: number) => 0.32 + 0.68 * rel;

/** Which part each generated lap belongs to (by lap object). */
const partOfLap = new WeakMap<IntervalsInterval, Part>();

function lapsOf(r: Rng, a: Athlete, parts: Part[], mods: Mods): IntervalsInterval[] {
  const out: IntervalsInterval[] = [];
  let hrNow = a.lthr * 0.7;
  let time = 0;
  const tau = 28;
  const addLap = (secs: number, rel: number, work: boolean) => {
    let speed = a.t * rel * (1 + r.normal(0.015));
    let gap: number | null = null;
    if (mods.hilly && secs > 120) {
      gap = speed;
      speed = speed * (1 + r.normal(0.1));
    }
    const target = a.lthr * Math.min(hrRelAt(rel) + a.hrOffset + r.normal(0.012), a.maxHr / a.lthr);
    const avgHr = target + (hrNow - target) * (tau / secs) * (1 - Math.exp(-secs / tau));
    hrNow = target + (hrNow - target) * Math.exp(-secs / tau);
    const distance = speed * secs;
    const lap: IntervalsInterval = {
      id: out.length + 1,
      // Intervals.icu's own typing, as unreliable as in real life: warm-ups are often WORK.
      type: (work ? r.chance(0.9) : r.chance(0.35)) ? 'WORK' : 'RECOVERY',
      label: null,
      start_time: Math.round(time),
      end_time: Math.round(time + secs),
      start_index: Math.round(time),
      end_index: Math.round(time + secs),
      moving_time: Math.round(secs),
      elapsed_time: Math.round(secs + (work ? 0 : r.uni(0, 4))),
      distance: Math.round(distance * 10) / 10,
      average_speed: distance / secs,
      max_speed: (distance / secs) * r.uni(1.05, 1.25),
      gap,
      average_heartrate: mods.noHr ? null : Math.round(avgHr + r.normal(1.5)),
      max_heartrate: mods.noHr ? null : Math.round(Math.max(avgHr, hrNow) + r.uni(2, 8)),
      total_elevation_gain: mods.hilly ? r.uni(10, 40) : r.uni(0, 5),
    } as IntervalsInterval;
    out.push(lap);
    partOfLap.set(lap, current as Part);
    time += secs;
  };
  let current: Part | null = null;
  for (const p of parts) {
    current = p;
    if (p.lap === 'single' || mods.treadmill) {
      addLap(p.secs, p.rel, !!p.work);
      continue;
    }
    let left = p.secs;
    const kmSecs = 1000 / (a.t * p.rel);
    while (left > 1) {
      const s = Math.min(kmSecs, left);
      if (s < 20 && out.length) {
        // A few leftover seconds join the previous lap.
        const prev = out[out.length - 1] as IntervalsInterval & Record<string, number>;
        prev.moving_time = (prev.moving_time ?? 0) + Math.round(s);
        prev.distance = (prev.distance ?? 0) + s * (prev.average_speed ?? 0);
        break;
      }
      addLap(s, p.rel, !!p.work);
      left -= s;
    }
  }
  if (mods.gpsSpike) {
    const k = r.int(0, out.length - 1);
    const l = out[k] as IntervalsInterval & Record<string, number | null>;
    l.average_speed = (l.average_speed ?? 3) * r.uni(2.2, 3.5);
    l.distance = (l.average_speed as number) * (l.moving_time ?? 0);
    l.gap = null;
  }
  if (mods.treadmillNoSpeed) {
    for (const l of out as Array<IntervalsInterval & Record<string, unknown>>) {
      l.average_speed = null;
      l.distance = null;
      l.max_speed = null;
      l.gap = null;
    }
  } else if (mods.treadmill) {
    // Wrist or foot-pod pace on a treadmill is off by a few percent for the whole run.
    const bias = 1 + r.normal(0.04);
    for (const l of out as Array<IntervalsInterval & Record<string, number | null>>) {
      l.average_speed = (l.average_speed as number) * bias;
      l.distance = (l.average_speed as number) * (l.moving_time as number);
      l.gap = null;
    }
  }
  return out;
}

function activityOf(r: Rng, a: Athlete, id: string, laps: IntervalsInterval[], mods: Mods, date: Date): IntervalsActivity {
  const moving = laps.reduce((s, l) => s + (l.moving_time ?? 0), 0);
  const dist = laps.every((l) => l.distance != null) ? laps.reduce((s, l) => s + (l.distance ?? 0), 0) : null;
  const hrs = laps.filter((l) => l.average_heartrate != null);
  const avgHr = hrs.length ? hrs.reduce((s, l) => s + (l.average_heartrate as number) * (l.moving_time ?? 0), 0) / hrs.reduce((s, l) => s + (l.moving_time ?? 0), 0) : null;
  const zones = [0.81, 0.89, 0.93, 0.99, 1.02, 1.06, 1.5].map((f) => Math.round(a.lthr * f));
  const zoneTimes = [0, 0, 0, 0, 0, 0, 0];
  for (const l of hrs) {
    for (const d of [-5, 0, 5]) {
      const hr = (l.average_heartrate as number) + d;
      const z = zones.findIndex((b) => hr <= b);
      zoneTimes[z < 0 ? 6 : z]! += (l.moving_time ?? 0) / 3;
    }
  }
  const fromActivity = a.thresholdSource === 'activity' || a.thresholdSource === 'settings';
  return {
    id,
    type: mods.hilly && r.chance(0.5) ? 'TrailRun' : 'Run',
    name: mods.name ?? r.pick(NAMES),
    start_date: date.toISOString().replace(/\.\d+Z$/, 'Z'),
    start_date_local: date.toISOString().slice(0, 19),
    distance: dist,
    moving_time: moving,
    elapsed_time: moving + r.int(0, 120),
    average_speed: dist !== null ? dist / moving : null,
    average_heartrate: avgHr === null ? null : Math.round(avgHr),
    max_heartrate: hrs.length ? Math.max(...hrs.map((l) => l.max_heartrate ?? 0)) : null,
    total_elevation_gain: laps.reduce((s, l) => s + ((l as { total_elevation_gain?: number }).total_elevation_gain ?? 0), 0),
    trainer: mods.treadmill ? true : false,
    race: mods.race ? true : false,
    threshold_pace: fromActivity ? a.t * (1 + r.normal(0.015)) : null,
    lthr: fromActivity ? Math.round(a.lthr + r.normal(2)) : null,
    icu_hr_zones: fromActivity ? zones : null,
    athlete_max_hr: fromActivity ? a.maxHr : null,
    icu_hr_zone_times: hrs.length ? zoneTimes.map(Math.round) : null,
    icu_intervals: laps,
    analyzed: date.toISOString(),
  } as IntervalsActivity;
}

function settingsOf(r: Rng, a: Athlete): AthleteThresholds | null {
  if (a.thresholdSource !== 'settings') return null;
  const lthr = Math.round(a.lthr + r.normal(2));
  return {
    sport: 'Run',
    lthr,
    maxHr: a.maxHr,
    // Settings go stale: a percent or two off the athlete's real threshold.
    thresholdPaceMps: a.t * (1 + r.normal(0.015)),
    ftp: null,
    hrZones: [0.81, 0.89, 0.93, 0.99, 1.02, 1.06, 1.5].map((f) => Math.round(lthr * f)),
    paceZones: null,
    powerZones: null,
  };
}

/**
 * The athlete's last 90 days, as the pipeline would have stored them: easy and recovery runs, a
 * weekly long run, quality sessions for most athletes and races for about half of them (declared
 * by flag or name most of the time). Generated from the same recipes as the cases.
 */
function historyOf(r: Rng, a: Athlete, now: Date): { activities: IntervalsActivity[]; records: WorkoutRecord[] } {
  const activities: IntervalsActivity[] = [];
  const labels: string[] = [];
  const quality = r.chance(0.75);
  const raceDays = new Set(r.chance(0.55) ? [r.int(3, 85), ...(r.chance(0.4) ? [r.int(3, 85)] : [])] : []);
  for (let day = 89; day >= 1; day--) {
    const date = new Date(now.getTime() - day * 86_400_000 - r.int(0, 6) * 3_600_000);
    let label: string;
    if (raceDays.has(day)) label = 'Race';
    else if (!r.chance(0.55)) continue;
    else if (day % 7 === 0) label = 'Long';
    else if (quality && r.chance(0.3)) label = r.pick(['Threshold', 'Threshold', 'Interval', 'Repetition']);
    else label = r.chance(0.15) ? 'Recovery' : 'Easy';
    const recipes = RECIPES[label]!.filter(([v]) => !['treadmill_no_gps', 'hill_sprints_no_hr'].includes(v));
    const [, , recipe] = r.pick(recipes);
    const made = recipe(r, a);
    const mods = { ...(made.mods ?? {}) };
    if (label === 'Race' && r.chance(0.75) && !mods.race && !mods.name) mods.race = true;
    const laps = lapsOf(r, a, made.parts, mods);
    activities.push(activityOf(r, a, `h${a.n}_${day}`, laps, mods, date));
    labels.push(label);
  }
  const records = activities.map((act, k) => ({ ...normalizeActivity({ activity: act }), id: `hist_${act.id}`, sessionType: labels[k] as string }) as WorkoutRecord);
  return { activities: activities.reverse(), records: records.reverse() };
}

type Recipe = (r: Rng, a: Athlete) => { parts: Part[]; mods?: Mods };

const warm = (r: Rng, lo = 10, hi = 20): Part => ({ secs: r.uni(lo, hi) * 60, rel: r.uni(0.72, 0.82), lap: 'auto' });
const cool = (r: Rng, lo = 5, hi = 15): Part => ({ secs: r.uni(lo, hi) * 60, rel: r.uni(0.68, 0.8), lap: 'auto' });
const easyMins = (a: Athlete, r: Rng) => Math.min(a.usualSecs * r.uni(0.7, 1.25), 70 * 60);
const longSecs = (a: Athlete, r: Rng) => Math.min(Math.max(65 * 60, a.usualSecs * r.uni(1.75, 2.5)), 180 * 60);

function reps(r: Rng, a: Athlete, n: number, work: () => { secs: number; rel: number }, rec: () => { secs: number; rel: number }): Part[] {
  const out: Part[] = [];
  for (let i = 0; i < n; i++) {
    const w = work();
    out.push({ ...w, lap: 'single', work: true });
    if (i < n - 1) out.push({ ...rec(), lap: 'single' });
  }
  return out;
}
const byDistance = (a: Athlete, m: number, rel: number) => ({ secs: m / (a.t * rel), rel });

const RECIPES: Record<string, Array<[string, number, Recipe]>> = {
  Easy: [
    ['plain', 10, (r, a) => ({ parts: [{ secs: easyMins(a, r), rel: r.uni(0.74, 0.85), lap: 'auto' }] })],
    ['hilly_easy', 6, (r, a) => ({ parts: [{ secs: easyMins(a, r), rel: r.uni(0.74, 0.84), lap: 'auto' }], mods: { hilly: true } })],
    ['strides', 6, (r, a) => ({ parts: [{ secs: easyMins(a, r) * 0.85, rel: r.uni(0.74, 0.84), lap: 'auto' }, ...reps(r, a, r.int(4, 8), () => ({ secs: r.uni(15, 25), rel: r.uni(1.15, 1.3) }), () => ({ secs: r.uni(45, 75), rel: r.uni(0.4, 0.6) }))] })],
    ['progression', 5, (r, a) => {
      const total = easyMins(a, r);
      const steps = 4;
      return { parts: Array.from({ length: steps }, (_, k) => ({ secs: total / steps, rel: 0.74 + (k * r.uni(0.035, 0.045)), lap: 'auto' as const })) };
    }],
    ['treadmill_no_gps', 3, (r, a) => ({ parts: [{ secs: easyMins(a, r), rel: r.uni(0.74, 0.84), lap: 'auto' }], mods: { treadmill: true, treadmillNoSpeed: r.chance(0.5) } })],
  ],
  Recovery: [['plain', 25, (r) => ({ parts: [{ secs: r.uni(20, 40) * 60, rel: r.uni(0.6, 0.7), lap: 'auto' }] })]],
  Long: [
    ['plain', 16, (r, a) => ({ parts: [{ secs: longSecs(a, r), rel: r.uni(0.72, 0.83), lap: 'auto' }] })],
    ['long_fast_finish', 8, (r, a) => {
      const total = longSecs(a, r);
      const fast = total * r.uni(0.15, 0.28);
      return { parts: [{ secs: total - fast, rel: r.uni(0.72, 0.8), lap: 'auto' }, { secs: fast, rel: r.uni(0.9, 0.96), lap: 'auto' }] };
    }],
    ['hilly_long', 4, (r, a) => ({ parts: [{ secs: longSecs(a, r), rel: r.uni(0.7, 0.8), lap: 'auto' }], mods: { hilly: true } })],
  ],
  Threshold: [
    ['tempo', 12, (r) => ({ parts: [warm(r), { secs: r.uni(15, 35) * 60, rel: r.uni(0.95, 1.0), lap: r.pick(['auto', 'single'] as const), work: true }, cool(r)] })],
    // A hard tempo (100–103 % of threshold), neither flagged nor named as a race.
    ['tempo_hot', 10, (r) => ({ parts: [warm(r), { secs: r.uni(20, 30) * 60, rel: r.uni(1.0, 1.03), lap: r.pick(['auto', 'single'] as const), work: true }, cool(r)] })],
    ['cruise', 10, (r, a) => ({ parts: [warm(r), ...reps(r, a, r.int(4, 6), () => (r.chance(0.5) ? byDistance(a, 1609, r.uni(0.98, 1.02)) : { secs: r.uni(5, 8) * 60, rel: r.uni(0.97, 1.01) }), () => ({ secs: r.uni(60, 90), rel: r.uni(0.55, 0.7) })), cool(r)] })],
    ['long_reps', 8, (r, a) => ({ parts: [warm(r), ...reps(r, a, r.int(2, 4), () => ({ secs: r.uni(8, 15) * 60, rel: r.uni(0.95, 1.0) }), () => ({ secs: r.uni(120, 180), rel: r.uni(0.6, 0.72) })), cool(r)] })],
  ],
  Interval: [
    ['plain', 12, (r, a) => ({ parts: [warm(r), ...reps(r, a, r.int(4, 6), () => (r.chance(0.5) ? byDistance(a, r.pick([800, 1000, 1200]), r.uni(1.05, 1.12)) : { secs: r.uni(3, 5) * 60, rel: r.uni(1.05, 1.11) }), () => ({ secs: r.uni(120, 240), rel: r.chance(0.2) ? 0.1 : r.uni(0.55, 0.7) })), cool(r)] })],
    ['long_warmup_vo2', 8, (r, a) => ({ parts: [warm(r, 25, 35), ...reps(r, a, r.int(5, 6), () => byDistance(a, 1000, r.uni(1.05, 1.12)), () => ({ secs: r.uni(150, 180), rel: r.uni(0.5, 0.65) })), cool(r, 10, 15)] })],
    ['fartlek', 8, (r, a) => ({ parts: [warm(r), ...reps(r, a, r.int(6, 9), () => ({ secs: r.uni(60, 240), rel: r.uni(1.04, 1.12) }), () => ({ secs: r.uni(60, 120), rel: r.uni(0.75, 0.85) })), cool(r)] })],
  ],
  Repetition: [
    ['plain', 20, (r, a) => {
      const m = r.pick([200, 300, 400]);
      return { parts: [warm(r), ...reps(r, a, r.int(6, 12), () => byDistance(a, m, r.uni(1.13, 1.25)), () => ({ secs: r.uni(60, 180), rel: r.chance(0.3) ? 0.25 : r.uni(0.45, 0.62) })), cool(r)] };
    }],
    ['hill_sprints_no_hr', 5, (r, a) => ({ parts: [warm(r), ...reps(r, a, r.int(8, 10), () => byDistance(a, 200, r.uni(1.13, 1.22)), () => ({ secs: r.uni(90, 120), rel: r.uni(0.4, 0.55) })), cool(r)], mods: { noHr: true } })],
  ],
  Race: [
    ['plain', 18, (r, a) => raceRecipe(r, a, false)],
    ['race_wu_cd', 16, (r, a) => raceRecipe(r, a, true)],
  ],
  Unclassified: [
    ['too_short', 10, (r) => ({ parts: [{ secs: r.uni(3, 9) * 60, rel: r.uni(0.7, 0.85), lap: 'auto' }] })],
    ['no_data', 10, (r) => ({ parts: [{ secs: r.uni(20, 50) * 60, rel: 0.8, lap: 'single' }], mods: { noHr: true, treadmill: true, treadmillNoSpeed: true } })],
  ],
};

/** A race, flagged 30 % of the time and named as a race half of the time (the evidence athletes give). */
function raceRecipe(r: Rng, a: Athlete, wuCd: boolean): { parts: Part[]; mods: Mods } {
  const block = raceBlock(r, a, wuCd ? [5, 10] : undefined);
  const km = String(Math.round(((block.secs * a.t * block.rel) / 1000) * 10000) / 10000);
  const names = RACE_NAMES[km] ?? RACE_NAMES['10']!;
  const mods: Mods = { race: r.chance(0.3), ...(r.chance(0.5) ? { name: r.pick(names) } : {}) };
  return { parts: wuCd ? [warm(r, 10, 15), block, cool(r, 5, 12)] : [block], mods };
}

function raceBlock(r: Rng, a: Athlete, kms: number[] = [5, 10, 21.0975, 42.195]): Part {
  const km = r.pick(kms);
  // The generator's race model (a 5K a little faster than threshold, a marathon well below it).
  const rel = km === 5 ? r.uni(1.05, 1.08) : km === 10 ? r.uni(1.015, 1.045) : km < 30 ? r.uni(0.965, 0.99) : r.uni(0.925, 0.955);
  return { secs: (km * 1000) / (a.t * rel), rel, lap: 'auto', work: true };
}

/**
 * The evaluation set: every class, every hard case, each from a different generated athlete.
 * Modifiers on top (missing HR, GPS spikes) hit sessions of any class.
 */
export function generateEvalSet(seed = 2026): EvalCase[] {
  const r = rng(seed);
  const now = new Date('2026-11-01T07:00:00Z');
  const out: EvalCase[] = [];
  let n = 0;
  for (const [label, recipes] of Object.entries(RECIPES)) {
    for (const [variant, count, recipe] of recipes) {
      for (let k = 0; k < count; k++) {
        const a = makeAthlete(r, ++n);
        const { parts, mods = {} } = recipe(r, a);
        if (label !== 'Unclassified' && r.chance(0.08)) mods.noHr = true;
        if (label !== 'Unclassified' && !mods.treadmill && r.chance(0.08)) mods.gpsSpike = true;
        const laps = lapsOf(r, a, parts, mods);
        const date = new Date(now.getTime() + n * 3_600_000);
        const activity = activityOf(r, a, `i9${String(n).padStart(6, '0')}`, laps, mods, date);
        const tags = [variant, mods.noHr && variant !== 'hill_sprints_no_hr' ? 'missing_hr' : null, mods.gpsSpike ? 'gps_spikes' : null].filter(Boolean);
        const history = a.thresholdSource === 'none' ? { activities: [], records: [] } : historyOf(r, a, date);
        const race = label === 'Race' ? parts.find((p) => p.work) : undefined;
        out.push({
          id: `eval-${n}`,
          label,
          variant: tags.join('+'),
          activity,
          settings: settingsOf(r, a),
          history: history.records,
          historyActivities: history.activities,
          truth: { thresholdSpeed: a.t, lthr: a.lthr, maxHr: a.maxHr },
          raceBlock: race ? raceBlockOf(laps, race, a.t) : null,
        });
      }
    }
  }
  return out;
}

/** The raced block: the race's distance and the time its laps recorded (the warm-up's laps left out). */
function raceBlockOf(laps: IntervalsInterval[], race: Part, t: number): { meters: number; secs: number } {
  const inside = laps.filter((l) => partOfLap.get(l) === race);
  return { meters: Math.round(race.secs * t * race.rel), secs: inside.reduce((s, l) => s + (l.moving_time ?? 0), 0) };
}

/** Settings scenarios: the athlete's threshold pace off the truth by `delta` (speed × (1 + delta)), or none at all. */
export type SettingsScenario = { name: string; delta: number | null };
export const SETTINGS_SCENARIOS: readonly SettingsScenario[] = [
  { name: 'settings -8%', delta: -0.08 },
  { name: 'settings -5%', delta: -0.05 },
  { name: 'settings -3%', delta: -0.03 },
  { name: 'settings +3%', delta: 0.03 },
  { name: 'settings +5%', delta: 0.05 },
  { name: 'settings +8%', delta: 0.08 },
  { name: 'no settings', delta: null },
];

/**
 * The case as an athlete whose threshold pace setting is `delta` off the truth (LTHR and max HR
 * right), or who set nothing (delta null): the settings and what Intervals.icu stamps on the
 * activity follow.
 */
export function withSettings(c: EvalCase, delta: number | null): EvalCase {
  const t = c.truth;
  if (!t) return c;
  const speed = delta === null ? null : t.thresholdSpeed * (1 + delta);
  const zones = [0.81, 0.89, 0.93, 0.99, 1.02, 1.06, 1.5].map((f) => Math.round(t.lthr * f));
  const settings: AthleteThresholds | null =
    delta === null ? null : { sport: 'Run', lthr: t.lthr, maxHr: t.maxHr, thresholdPaceMps: speed, ftp: null, hrZones: zones, paceZones: null, powerZones: null };
  const activity = { ...c.activity, threshold_pace: speed, lthr: delta === null ? null : t.lthr, icu_hr_zones: delta === null ? null : zones, athlete_max_hr: delta === null ? null : t.maxHr } as IntervalsActivity;
  return { ...c, activity, settings };
}
