/**
 * The work reps of a planned workout, read from its Intervals.icu workout text (the syntax
 * checkWorkoutText checks), and each done work rep checked against them. Only repeat blocks count
 * as reps ("Main Set 5x" and its steps); in a block the hardest step is the work (fastest pace or
 * highest HR target; the first step when none has a target). A target the athlete's settings are
 * needed for (% pace, HR zones, % LTHR) stays unresolved without them, never guessed.
 */

export interface PlannedRep {
  /** The step as written, without the dash. */
  step: string;
  /** Pace range, s/km (fast ≤ slow). */
  pace?: { fast: number; slow: number };
  /** HR range, bpm. */
  hr?: { lo: number; hi: number };
}

export interface PlannedReps {
  reps: PlannedRep[];
  /** "5 x 1000mtr 3:50-3:55/km Pace" */
  label: string;
}

export interface RepSettings {
  thresholdPaceMps?: number | null;
  lthr?: number | null;
  maxHr?: number | null;
  /** bpm upper bounds per HR zone. */
  hrZones?: readonly number[] | null;
}

const REPEAT = /^(?:.*\s)?(\d{1,2})x$/i;
const PACE_ABS = /(\d{1,2}:\d{2})(?:-(\d{1,2}:\d{2}))?\/km\s+Pace\b/i;
const PACE_PCT = /(\d{2,3})(?:-(\d{2,3}))?%\s+Pace\b/i;
const HR_PCT = /(\d{2,3})(?:-(\d{2,3}))?%\s*(LTHR|HR)\b/i;
const HR_ZONE = /\bZ(\d)(?:-Z(\d))?\s+HR\b/i;

const mmss = (s: string) => {
  const [m, sec] = s.split(':').map(Number);
  return m! * 60 + sec!;
};

function stepTarget(step: string, s: RepSettings): PlannedRep {
  const rep: PlannedRep = { step };
  const abs = PACE_ABS.exec(step);
  if (abs) {
    const a = mmss(abs[1]!);
    const b = abs[2] ? mmss(abs[2]) : a;
    rep.pace = { fast: Math.min(a, b), slow: Math.max(a, b) };
  } else {
    const pct = PACE_PCT.exec(step);
    if (pct && s.thresholdPaceMps) {
      // % of threshold pace is a % of threshold speed: 105% is faster.
      const secs = (p: number) => 1000 / (s.thresholdPaceMps! * (p / 100));
      const a = secs(Number(pct[1]));
      const b = secs(Number(pct[2] ?? pct[1]));
      rep.pace = { fast: Math.round(Math.min(a, b)), slow: Math.round(Math.max(a, b)) };
    }
  }
  const hrPct = HR_PCT.exec(step);
  const base = hrPct ? (hrPct[3]!.toUpperCase() === 'LTHR' ? s.lthr : s.maxHr) : null;
  if (hrPct && base) {
    const a = (Number(hrPct[1]) / 100) * base;
    const b = (Number(hrPct[2] ?? hrPct[1]) / 100) * base;
    rep.hr = { lo: Math.round(Math.min(a, b)), hi: Math.round(Math.max(a, b)) };
  }
  const zone = HR_ZONE.exec(step);
  if (!rep.hr && zone && s.hrZones && s.hrZones.length > 0) {
    const z1 = Number(zone[1]);
    const z2 = Number(zone[2] ?? zone[1]);
    const upper = s.hrZones[z2 - 1];
    if (upper !== undefined && z1 >= 1) rep.hr = { lo: z1 === 1 ? 0 : s.hrZones[z1 - 2]! + 1, hi: upper };
  }
  return rep;
}

/** Harder first: the faster pace, else the higher HR. */
const hardness = (r: PlannedRep) => (r.pace ? 10_000 - r.pace.fast : 0) * 1000 + (r.hr ? r.hr.hi : 0);

/** The planned work reps, or null when the text has no repeat block. */
export function plannedWorkReps(text: string | null | undefined, settings: RepSettings = {}): PlannedReps | null {
  if (!text) return null;
  const reps: PlannedRep[] = [];
  const labels: string[] = [];
  let count = 0;
  let block: PlannedRep[] = [];
  const close = () => {
    if (count > 0 && block.length > 0) {
      const work = block.reduce((a, b) => (hardness(b) > hardness(a) ? b : a), block[0]!);
      for (let i = 0; i < count; i++) reps.push(work);
      labels.push(`${count} x ${work.step}`);
    }
    count = 0;
    block = [];
  };
  for (const raw of text.replace(/\r\n?/g, '\n').split('\n')) {
    const line = raw.trim();
    if (line === '') {
      close();
      continue;
    }
    if (line.startsWith('-')) {
      if (count > 0) block.push(stepTarget(line.replace(/^-\s*/, ''), settings));
      continue;
    }
    close();
    const m = REPEAT.exec(line);
    if (m) count = Number(m[1]);
  }
  close();
  return reps.length > 0 ? { reps, label: labels.join(', ') } : null;
}

export interface DoneRep {
  /** "3:52/km" or "3:52" */
  pace?: string | null;
  avgHr?: number | null;
}

export interface RepCheck {
  rep: number;
  pace?: string;
  hr?: number;
  verdict: 'on target' | 'faster' | 'slower' | 'above' | 'below' | 'no target';
  offBy?: string;
}

/** Seconds of slack either side of a pace target, bpm of an HR target. */
const PACE_SLACK = 3;
const HR_SLACK = 3;

/**
 * Each done work rep against its planned rep, by position. Reps that do not align (another count)
 * are not compared: the caller says so instead of guessing which rep was which.
 */
export function checkReps(planned: readonly PlannedRep[], done: readonly DoneRep[]): RepCheck[] | null {
  if (planned.length !== done.length || planned.length === 0) return null;
  return done.map((d, i) => {
    const p = planned[i]!;
    const pace = d.pace ? d.pace.replace(/\/.*$/, '') : undefined;
    const hr = typeof d.avgHr === 'number' ? Math.round(d.avgHr) : undefined;
    const check: RepCheck = { rep: i + 1, ...(pace ? { pace } : {}), ...(hr !== undefined ? { hr } : {}), verdict: 'no target' };
    if (p.pace && pace && /^\d{1,2}:\d{2}$/.test(pace)) {
      const secs = mmss(pace);
      if (secs < p.pace.fast - PACE_SLACK) Object.assign(check, { verdict: 'faster', offBy: `${p.pace.fast - secs} s/km` });
      else if (secs > p.pace.slow + PACE_SLACK) Object.assign(check, { verdict: 'slower', offBy: `${secs - p.pace.slow} s/km` });
      else check.verdict = 'on target';
    } else if (p.hr && hr !== undefined) {
      if (hr > p.hr.hi + HR_SLACK) Object.assign(check, { verdict: 'above', offBy: `${hr - p.hr.hi} bpm` });
      else if (hr < p.hr.lo - HR_SLACK) Object.assign(check, { verdict: 'below', offBy: `${p.hr.lo - hr} bpm` });
      else check.verdict = 'on target';
    }
    return check;
  });
}
