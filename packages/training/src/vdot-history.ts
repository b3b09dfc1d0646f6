import type { WorkoutRecord } from '@splits/contracts';
import { standardDistanceOf } from './calibration/race-evidence.js';
import { sportFamily } from './units.js';
import { danielsPaces, vdotFromPerformance, type DanielsPaces, type PaceRange } from './vdot.js';

export interface VdotEvidence {
  workoutId: string;
  date: string;
  /** What the VDOT was computed from: a race's raced block (snapped to a standard distance), else the whole run. */
  distanceKm: number;
  timeSec: number;
  vdot: number;
  kind: 'race' | 'top_effort';
  /** The whole activity, when the VDOT rests on a block of it (a race with a warm-up or cool-down). */
  whole: { distanceKm: number; timeSec: number } | null;
  /** Which part the VDOT rests on, in words ("raced block 5 km of 9.2 km"), null for the whole run. */
  block: string | null;
}

export interface CurrentVdot {
  vdot: number;
  /** What the value rests on, best first. */
  evidence: VdotEvidence[];
}

type HistoryRecord = Pick<WorkoutRecord, 'id' | 'date' | 'workoutType' | 'sessionType' | 'distance' | 'movingTime' | 'intensity'> & {
  mainSet?: WorkoutRecord['mainSet'];
};

/** Distance bands (km, lower bounds) inside which runs compete for "top effort". */
const BANDS_KM = [1.5, 2.5, 4, 6.5, 9, 12.5, 17, 25, 35, 50];
const TOP_SHARE = 0.05;
/** Evidence older than this no longer says much about current fitness. */
const WINDOW_DAYS = 180;
/** The Daniels–Gilbert model is fitted for efforts of about 3.5 min to 4 h. */
const MIN_SECS = 210;
const MAX_SECS = 4 * 3600 + 30 * 60;

const band = (km: number) => {
  let b = -1;
  for (const [k, lo] of BANDS_KM.entries()) if (km >= lo) b = k;
  return b;
};

/**
 * Every performance VDOT may rest on: races (sessionType Race) and top efforts — within the
 * athlete's history, the best 5 % (at least one) of runs of similar distance by VDOT, and only
 * when the run itself was hard (an athlete's fastest easy jog says nothing about VO2max).
 */
export function vdotEvidence(records: readonly HistoryRecord[]): VdotEvidence[] {
  const runs = records
    .filter((r) => sportFamily(r.workoutType) === 'run' && r.distance !== null && r.movingTime !== null)
    .map((r) => ({ r, ...performanceOf(r) }))
    .filter((x) => x.km >= BANDS_KM[0]! && x.secs >= MIN_SECS && x.secs <= MAX_SECS)
    .map((x) => ({ ...x, vdot: vdotFromPerformance(x.km * 1000, x.secs) }))
    .filter((x) => Number.isFinite(x.vdot) && x.vdot > 15 && x.vdot < 90);

  const out: VdotEvidence[] = [];
  const byBand = new Map<number, typeof runs>();
  for (const x of runs) {
    if (x.r.sessionType === 'Race') {
      out.push(evidence(x, 'race'));
      continue;
    }
    byBand.set(band(x.km), [...(byBand.get(band(x.km)) ?? []), x]);
  }
  for (const list of byBand.values()) {
    const sorted = [...list].sort((a, b) => b.vdot - a.vdot);
    const top = sorted.slice(0, Math.max(1, Math.ceil(sorted.length * TOP_SHARE)));
    for (const x of top) if (isHard(x.r)) out.push(evidence(x, 'top_effort'));
  }
  return out.sort((a, b) => b.vdot - a.vdot);
}

/**
 * The performance a run's VDOT is computed from. A race with a warm-up or a cool-down is judged by
 * its raced block (the classifier's main set, one sustained block), never the whole activity;
 * a race's distance is snapped to the standard distance it measures within −1 … +2.5 % of (GPS
 * measures a course long).
 */
function performanceOf(r: HistoryRecord): { km: number; secs: number; whole: VdotEvidence['whole']; block: string | null } {
  const km = r.distance as number;
  const secs = r.movingTime as number;
  const m = r.mainSet;
  const race = r.sessionType === 'Race';
  const snap = (k: number) => (race ? (standardDistanceOf(k * 1000)?.meters ?? k * 1000) / 1000 : k);
  if (race && m && m.reps === 1 && m.workDistance && m.workTime) {
    if (m.workTime < secs * 0.97 && m.workDistance < km) {
      const blockKm = snap(m.workDistance);
      return { km: blockKm, secs: m.workTime, whole: { distanceKm: km, timeSec: secs }, block: `raced block ${round2(blockKm)} km of ${round2(km)} km` };
    }
    // The race is (nearly) the whole run: the main set's distance has GPS spikes taken out.
    return { km: snap(Math.min(km, (m.workDistance * secs) / m.workTime)), secs, whole: null, block: null };
  }
  return { km: snap(km), secs, whole: null, block: null };
}

const round2 = (v: number) => Math.round(v * 100) / 100;

const isHard = (r: HistoryRecord) =>
  r.intensity === 'hard' || r.intensity === 'very hard' || r.sessionType === 'Threshold';

function evidence(x: { r: HistoryRecord; km: number; secs: number; vdot: number; whole: VdotEvidence['whole']; block: string | null }, kind: VdotEvidence['kind']): VdotEvidence {
  return { workoutId: x.r.id, date: x.r.date, distanceKm: Math.round(x.km * 1000) / 1000, timeSec: x.secs, vdot: Math.round(x.vdot * 10) / 10, kind, whole: x.whole, block: x.block };
}

/**
 * Current VDOT: the best evidence of the last 180 days (races and top efforts only), with that
 * evidence. null when the history holds none: no VDOT is guessed from easy running.
 */
export function currentVdot(records: readonly HistoryRecord[], now: Date = new Date()): CurrentVdot | null {
  const from = now.getTime() - WINDOW_DAYS * 86_400_000;
  const recent = records.filter((r) => {
    const t = Date.parse(r.date);
    return t >= from && t <= now.getTime();
  });
  const evidence = vdotEvidence(recent);
  if (!evidence.length) return null;
  return { vdot: evidence[0]!.vdot, evidence };
}

/** Which Daniels zone each run session type is meant to be run in. */
export const SESSION_ZONE: Readonly<Record<string, keyof DanielsPaces>> = {
  Recovery: 'E',
  Easy: 'E',
  Long: 'E',
  Threshold: 'T',
  Interval: 'I',
  Repetition: 'R',
};

export interface PaceJournalEntry {
  sessionType: string;
  zone: keyof DanielsPaces;
  planned: PaceRange;
  sessions: number;
  /** Median actual pace (the main set's for structured sessions), s/km. */
  actualSecPerKm: number;
  /** Sessions run faster than the zone / within it / slower. */
  faster: number;
  within: number;
  slower: number;
}

type JournalRecord = HistoryRecord & Pick<WorkoutRecord, 'pace' | 'mainSet'>;

/**
 * Planned zone vs actual pace per session type (brief: "Pace journal: Daniels zones (plan vs
 * actual)"). Structured sessions are judged by their main set, steady runs by their average pace.
 */
export function paceJournal(records: readonly JournalRecord[], vdot: number): PaceJournalEntry[] {
  const paces = danielsPaces(vdot);
  const bySession = new Map<string, number[]>();
  for (const r of records) {
    if (sportFamily(r.workoutType) !== 'run' || !(r.sessionType in SESSION_ZONE)) continue;
    const secPerKm = actualSecPerKm(r);
    if (secPerKm === null) continue;
    bySession.set(r.sessionType, [...(bySession.get(r.sessionType) ?? []), secPerKm]);
  }
  const out: PaceJournalEntry[] = [];
  for (const [sessionType, list] of bySession) {
    const zone = SESSION_ZONE[sessionType] as keyof DanielsPaces;
    const planned = paces[zone];
    const sorted = [...list].sort((a, b) => a - b);
    out.push({
      sessionType,
      zone,
      planned: { fromSecPerKm: Math.round(planned.fromSecPerKm), toSecPerKm: Math.round(planned.toSecPerKm) },
      sessions: list.length,
      actualSecPerKm: Math.round(sorted[Math.floor(sorted.length / 2)] as number),
      faster: list.filter((p) => p < planned.fromSecPerKm).length,
      within: list.filter((p) => p >= planned.fromSecPerKm && p <= planned.toSecPerKm).length,
      slower: list.filter((p) => p > planned.toSecPerKm).length,
    });
  }
  return out.sort((a, b) => Object.keys(SESSION_ZONE).indexOf(a.sessionType) - Object.keys(SESSION_ZONE).indexOf(b.sessionType));
}

function actualSecPerKm(r: JournalRecord): number | null {
  const main = r.mainSet?.pace ? parsePace(r.mainSet.pace) : null;
  if (main !== null) return main;
  return r.pace && r.pace > 0 ? r.pace * 60 : null;
}

/** "4:05/km" → 245. */
function parsePace(s: string): number | null {
  const m = /^(\d+):(\d{2})/.exec(s);
  return m ? Number(m[1]) * 60 + Number(m[2]) : null;
}
