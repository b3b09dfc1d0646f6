import type { FakeAthleteProfile } from './profile.js';
import { Random } from './prng.js';

export const RUN_KINDS = ['easy', 'recovery', 'long', 'threshold', 'intervals', 'repetitions', 'race'] as const;
export const OTHER_KINDS = ['ride', 'sweetspot', 'swim', 'strength'] as const;
export type FakeSessionKind = (typeof RUN_KINDS)[number] | (typeof OTHER_KINDS)[number];

export type FakeSport = 'Run' | 'Ride' | 'VirtualRide' | 'Swim' | 'WeightTraining';
export type SegmentRole = 'warmup' | 'work' | 'recovery' | 'cooldown' | 'steady';

/** One constant-effort block of a session; streams ease from one block to the next. */
export interface Segment {
  role: SegmentRole;
  secs: number;
  /** m/s (0 for strength). */
  speed: number;
  /** Target heart rate, bpm; the HR stream lags towards it. */
  hr: number;
  /** Rides only. */
  watts?: number;
}

/** Everything needed to (re)generate an activity's streams deterministically. */
export interface SessionPlan {
  kind: FakeSessionKind;
  sport: FakeSport;
  name: string;
  seed: number;
  segments: Segment[];
  /** How icu_intervals are cut: one per segment, per-km laps, or one for the whole session. */
  laps: 'segments' | 'km' | 'single';
  outdoor: boolean;
  race: boolean;
  /** A stop (traffic light) on unstructured runs: time jumps but no samples are recorded. */
  pause?: { atIndex: number; secs: number };
}

const ride = (p: FakeAthleteProfile, frac: number) => ({ watts: Math.round(p.ftp * frac), speed: 1.58 * Math.cbrt(p.ftp * frac) });

export function planSession(kind: FakeSessionKind, p: FakeAthleteProfile, rng: Random, seed: number): SessionPlan {
  const tp = p.thresholdPace;
  const hr = (f: number) => Math.round(p.lthr * f);
  const min = (a: number, b: number) => rng.int(a, b) * 60;
  const easy = (secs: number, role: SegmentRole = 'steady'): Segment => ({ role, secs, speed: tp * rng.float(0.72, 0.79), hr: hr(rng.float(0.8, 0.85)) });
  const jog = (secs: number): Segment => ({ role: 'recovery', secs, speed: tp * rng.float(0.55, 0.66), hr: hr(0.78) });
  const base = { kind, seed, outdoor: true, race: false } as const;
  const city = p.city;
  const warm = () => easy(min(12, 18), 'warmup');
  const cool = () => easy(min(8, 12), 'cooldown');

  const reps = (n: number, work: () => Segment, rec: () => Segment): Segment[] => {
    const out: Segment[] = [];
    for (let i = 0; i < n; i++) {
      out.push(work());
      if (i < n - 1) out.push(rec());
    }
    return out;
  };

  switch (kind) {
    case 'easy': {
      const pause = rng.chance(0.4);
      const secs = min(35, 70);
      return { ...base, sport: 'Run', name: `${city} Running`, segments: [easy(secs)], laps: rng.chance(0.5) ? 'km' : 'single', pause: pause ? { atIndex: rng.int(300, secs - 300), secs: rng.int(10, 60) } : undefined };
    }
    case 'recovery':
      return { ...base, sport: 'Run', name: `${city} Running`, segments: [{ role: 'steady', secs: min(25, 40), speed: tp * rng.float(0.64, 0.7), hr: hr(rng.float(0.74, 0.79)) }], laps: rng.chance(0.5) ? 'km' : 'single' };
    case 'long': {
      const speed = tp * rng.float(0.74, 0.8);
      const secs = Math.round((rng.int(18, 30) * 1000) / speed);
      return { ...base, sport: 'Run', name: rng.chance(0.5) ? 'Long Run' : `${city} Running`, segments: [{ role: 'steady', secs, speed, hr: hr(rng.float(0.84, 0.88)) }], laps: 'km', pause: { atIndex: rng.int(600, secs - 600), secs: rng.int(20, 90) } };
    }
    case 'threshold': {
      const n = rng.int(3, 4);
      const workMin = rng.int(8, 10);
      const recMin = rng.int(2, 3);
      const work = (): Segment => ({ role: 'work', secs: workMin * 60 + rng.int(-5, 5), speed: tp * rng.float(0.98, 1.02), hr: hr(rng.float(0.97, 1.0)) });
      return { ...base, sport: 'Run', name: rng.chance(0.5) ? `Threshold ${n}x${workMin}min` : `${city} Running`, segments: [warm(), jog(90), ...reps(n, work, () => jog(recMin * 60)), jog(60), cool()], laps: 'segments' };
    }
    case 'intervals': {
      const n = rng.int(5, 6);
      const byDistance = rng.chance(0.6);
      const workSecs = rng.int(3, 4) * 60;
      const work = (): Segment => {
        const speed = tp * rng.float(1.07, 1.12);
        return { role: 'work', secs: byDistance ? Math.round(1000 / speed) : workSecs, speed, hr: hr(rng.float(1.03, 1.07)) };
      };
      const rec = rng.int(2, 3) * 60;
      return { ...base, sport: 'Run', name: rng.chance(0.5) ? (byDistance ? `VO2max ${n}x1000m` : `VO2max ${n}x${workSecs / 60}min`) : `${city} Running`, segments: [warm(), ...reps(n, work, () => jog(rec)), cool()], laps: 'segments' };
    }
    case 'repetitions': {
      const n = rng.int(8, 12);
      const dist = rng.pick([200, 300, 400]);
      const work = (): Segment => {
        const speed = tp * rng.float(1.22, 1.32);
        return { role: 'work', secs: Math.round(dist / speed), speed, hr: hr(rng.float(1.0, 1.05)) };
      };
      const rec = rng.int(60, 120);
      return { ...base, sport: 'Run', name: rng.chance(0.5) ? `Track ${n}x${dist}m` : `${city} Running`, segments: [warm(), ...reps(n, work, () => ({ ...jog(rec), speed: tp * rng.float(0.4, 0.55) })), cool()], laps: 'segments' };
    }
    case 'race': {
      const race = rng.pick([
        { label: '5K', m: 5000, f: 1.06, hr: 1.04 },
        { label: '10K', m: 10000, f: 1.02, hr: 1.02 },
        { label: 'Half Marathon', m: 21097.5, f: 0.96, hr: 0.99 },
      ]);
      const speed = tp * race.f * rng.float(0.99, 1.01);
      const segs: Segment[] = [];
      if (race.m < 20000) segs.push(easy(min(10, 15), 'warmup'));
      segs.push({ role: 'work', secs: Math.round(race.m / speed), speed, hr: hr(race.hr) });
      segs.push(easy(min(5, 10), 'cooldown'));
      return { ...base, race: true, sport: 'Run', name: `${city} ${race.label}`, segments: segs, laps: 'segments' };
    }
    case 'ride': {
      const r = ride(p, rng.float(0.6, 0.7));
      const indoor = rng.chance(0.3);
      return { ...base, outdoor: !indoor, sport: indoor ? 'VirtualRide' : 'Ride', name: indoor ? 'Zwift - Endurance' : `${city} Cycling`, segments: [{ role: 'steady', secs: min(60, 150), hr: hr(rng.float(0.76, 0.82)), ...r }], laps: 'single' };
    }
    case 'sweetspot': {
      const n = rng.int(3, 4);
      const secs = rng.int(12, 15) * 60;
      const easyRide = (role: SegmentRole, s: number): Segment => ({ role, secs: s, hr: hr(0.75), ...ride(p, 0.55) });
      const work = (): Segment => ({ role: 'work', secs, hr: hr(rng.float(0.92, 0.96)), ...ride(p, rng.float(0.88, 0.93)) });
      return { ...base, outdoor: false, sport: 'VirtualRide', name: `Sweet Spot ${n}x${secs / 60}`, segments: [easyRide('warmup', 900), ...reps(n, work, () => easyRide('recovery', 300)), easyRide('cooldown', 600)], laps: 'segments' };
    }
    case 'swim': {
      const css = p.swimThresholdPace;
      const lap = (m: number, role: SegmentRole, f: number, h: number): Segment => ({ role, secs: Math.round(m / (css * f)), speed: css * f, hr: hr(h) });
      const n = rng.int(6, 12);
      const rest = (): Segment => ({ role: 'recovery', secs: rng.int(15, 30), speed: 0.15, hr: hr(0.8) });
      return { ...base, outdoor: false, sport: 'Swim', name: 'Pool Swim', segments: [lap(400, 'warmup', 0.85, 0.8), ...reps(n, () => lap(100, 'work', rng.float(0.98, 1.03), 0.95), rest), lap(200, 'cooldown', 0.8, 0.78)], laps: 'segments' };
    }
    case 'strength':
      return { ...base, outdoor: false, sport: 'WeightTraining', name: 'Strength', segments: [{ role: 'steady', secs: min(30, 55), speed: 0, hr: hr(rng.float(0.62, 0.72)) }], laps: 'single' };
  }
}
