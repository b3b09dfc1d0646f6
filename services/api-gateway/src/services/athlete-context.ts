import { AthleteContextSchema, type AthleteContext, type AthleteThresholds, type SportContext } from '@splits/contracts';
import { getAthleteContextSource, InvalidatedCache, type ChangeFeed, type Db } from '@splits/db';
import { isRelativeDateBound, localDateIn, resolveDateBound, widenPeriod } from '@splits/training';
import { NotFoundError } from '../errors.js';

/** What every answer knows about its athlete: the time zone (and so "today") and each sport's settings. */
export interface AthleteFrame {
  timezone: string;
  /** The athlete's local date now. */
  today: string;
  sports: { types: string[]; thresholds: AthleteThresholds }[];
}

type FrameSource = Omit<AthleteFrame, 'today'>;

/**
 * Athletes' time zones and sport settings, kept in memory: the trainings page is the hot read, and
 * these change a few times a year. With a live change feed an entry stays until its athlete's
 * settings or time zone change (migration 0025); otherwise for up to `ttlMs` (default 30 s), so a
 * change shows within the TTL. "today" is always computed per request from the zone.
 */
export class AthleteFrameCache {
  private readonly cache: InvalidatedCache<{ at: number; source: FrameSource; contexts: Map<string, string> }>;
  constructor(
    feed?: ChangeFeed | null,
    private readonly ttlMs = 30_000,
    max = 10_000,
  ) {
    this.cache = new InvalidatedCache(feed, 'athlete', { max });
  }

  async load(db: Db, athleteId: string, now = new Date()): Promise<AthleteFrame & { contextJson(types: Iterable<string>): string }> {
    let e = this.cache.get(athleteId);
    if (!e || (!this.cache.trusted && e.at + this.ttlMs <= Date.now())) {
      const mark = this.cache.mark();
      e = { at: Date.now(), source: await readFrameSource(db, athleteId), contexts: new Map() };
      this.cache.set(athleteId, e, mark);
    }
    const entry = e;
    const frame: AthleteFrame = { ...entry.source, today: localDateIn(now, entry.source.timezone) };
    return {
      ...frame,
      // The context's JSON per set of sports, written once per entry.
      contextJson: (types) => {
        const key = [...new Set(types)].sort().join(',');
        let json = entry.contexts.get(key);
        if (json === undefined) {
          json = JSON.stringify(athleteContext(frame, key.split(',')));
          entry.contexts.set(key, json);
        }
        return json;
      },
    };
  }
}

async function readFrameSource(db: Db, athleteId: string): Promise<FrameSource> {
  const source = await getAthleteContextSource(db, athleteId);
  // A valid token whose athlete is gone cannot happen (tokens cascade), but never answer with someone else's.
  if (!source) throw new NotFoundError('athlete not found');
  return source;
}

export async function loadAthleteFrame(db: Db, athleteId: string, now = new Date()): Promise<AthleteFrame> {
  const source = await readFrameSource(db, athleteId);
  return { ...source, today: localDateIn(now, source.timezone) };
}

/** oldest/newest with relative forms (today, -7d, this-week, …) resolved against the athlete's today. */
export function resolveBounds(query: { oldest?: string; newest?: string }, today: string): { oldest?: string; newest?: string } {
  const q = widenPeriod(query);
  return {
    oldest: q.oldest === undefined ? undefined : resolveDateBound(q.oldest, 'oldest', today),
    newest: q.newest === undefined ? undefined : resolveDateBound(q.newest, 'newest', today),
  };
}

export const hasRelativeBound = (q: { oldest?: string; newest?: string }): boolean => isRelativeDateBound(q.oldest) || isRelativeDateBound(q.newest);

const SWIM = /swim/i;

/** "4:12/km" (swims "1:45/100m") from a speed in m/s. */
export function paceOfSpeed(mps: number, workoutType: string): string {
  const swim = SWIM.test(workoutType);
  const secs = Math.round((swim ? 100 : 1000) / mps);
  return `${Math.floor(secs / 60)}:${String(secs % 60).padStart(2, '0')}${swim ? '/100m' : '/km'}`;
}

/** The settings of the sports among `workoutTypes`, each settings row once; unknown values left out. */
export function athleteContext(frame: AthleteFrame, workoutTypes: Iterable<string>): AthleteContext {
  const wanted = new Set(workoutTypes);
  const sports: SportContext[] = [];
  for (const s of frame.sports) {
    const sport = s.types.find((t) => wanted.has(t));
    if (!sport) continue;
    const t = s.thresholds;
    const entry: SportContext = { sport };
    if (t.thresholdPaceMps !== null) entry.thresholdPace = paceOfSpeed(t.thresholdPaceMps, sport);
    if (t.lthr !== null) entry.lthr = t.lthr;
    if (t.maxHr !== null) entry.maxHr = t.maxHr;
    if (t.ftp !== null) entry.ftp = t.ftp;
    if (t.hrZones) entry.hrZones = t.hrZones;
    if (t.paceZones) entry.paceZones = t.paceZones;
    if (t.powerZones) entry.powerZones = t.powerZones;
    sports.push(entry);
  }
  return AthleteContextSchema.parse({ timezone: frame.timezone, sports });
}
