import { Random, round } from './prng.js';

/** The physiology and settings a generated athlete trains with; drives zones, paces and loads. */
export interface FakeAthleteProfile {
  name: string;
  timezone: string;
  city: string;
  sex: 'M' | 'F';
  maxHr: number;
  restingHr: number;
  lthr: number;
  /** bpm upper bounds of the 7 HR zones (Intervals.icu default %LTHR scheme, last = max HR). */
  hrZones: number[];
  /** m/s at lactate threshold (runs). */
  thresholdPace: number;
  /** % of threshold pace upper bounds. */
  paceZones: number[];
  ftp: number;
  /** %FTP upper bounds. */
  powerZones: number[];
  /** m/s, critical swim speed. */
  swimThresholdPace: number;
  poolLength: number;
  weight: number;
  /** Start latitude/longitude of outdoor sessions. */
  lat: number;
  lng: number;
  /** Terrain amplitude in metres. */
  hilliness: number;
}

const PLACES = [
  { city: 'Berlin', timezone: 'Europe/Berlin', lat: 52.52, lng: 13.405 },
  { city: 'Munich', timezone: 'Europe/Berlin', lat: 48.137, lng: 11.575 },
  { city: 'London', timezone: 'Europe/London', lat: 51.507, lng: -0.128 },
  { city: 'Boston', timezone: 'America/New_York', lat: 42.36, lng: -71.058 },
  { city: 'Sydney', timezone: 'Australia/Sydney', lat: -33.868, lng: 151.209 },
] as const;
const FIRST = ['Anna', 'Ben', 'Clara', 'David', 'Elif', 'Felix', 'Greta', 'Hugo', 'Ines', 'Jonas', 'Kira', 'Lena'];
const LAST = ['Richter', 'Novak', 'Berg', 'Okafor', 'Lindqvist', 'Moreau', 'Tanaka', 'Schulz', 'Costa', 'Walsh'];

export function makeProfile(rng: Random): FakeAthleteProfile {
  // Berlin is weighted up: most fixtures then share one zone and DST rules.
  const place = rng.chance(0.5) ? PLACES[0] : rng.pick(PLACES);
  const sex = rng.chance(0.5) ? 'F' : 'M';
  const maxHr = rng.int(176, 196);
  const restingHr = rng.int(42, 58);
  const lthr = Math.round(maxHr * rng.float(0.86, 0.9));
  const hrZones = [0.85, 0.89, 0.94, 0.99, 1.02, 1.06].map((f) => Math.round(lthr * f)).concat(maxHr);
  // Threshold pace 3:35–4:50 /km.
  const thresholdPace = round(1000 / rng.float(215, 290), 4);
  const weight = round(sex === 'F' ? rng.float(52, 66) : rng.float(64, 82), 1);
  return {
    name: `${rng.pick(FIRST)} ${rng.pick(LAST)}`,
    timezone: place.timezone,
    city: place.city,
    sex,
    maxHr,
    restingHr,
    lthr,
    hrZones,
    thresholdPace,
    paceZones: [77.5, 87.7, 94.3, 100, 103.4, 111.5, 999],
    ftp: Math.round(weight * rng.float(2.8, 4.0)),
    powerZones: [55, 75, 90, 105, 120, 150, 999],
    swimThresholdPace: round(100 / rng.float(85, 115), 4),
    poolLength: rng.chance(0.7) ? 25 : 50,
    weight,
    lat: place.lat + rng.float(-0.03, 0.03),
    lng: place.lng + rng.float(-0.03, 0.03),
    hilliness: rng.float(3, 25),
  };
}
