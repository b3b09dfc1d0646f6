import type { FakeActivity, FakeActivityJson } from './activity.js';
import type { FakeWellness } from './fitness.js';
import type { FakeAthlete } from './generator.js';

/** When a freshly added activity counts as analysed (gets icu_ctl/icu_atl). */
export interface AnalysisDelay {
  analysedAfterFetches?: number;
  analysedAfterMs?: number;
}

export interface StoredActivity {
  fa: FakeActivity;
  ownerId: string;
  fetches: number;
  addedAt: number;
  delay: AnalysisDelay;
}

export type FakeEvent = Record<string, unknown> & { id: number; start_date_local: string; category: string };

export interface AthleteEntry {
  athlete: FakeAthlete;
  /** Newest first, as the list endpoint answers. */
  activities: StoredActivity[];
  wellness: Map<string, FakeWellness>;
  wellnessDays: string[];
  events: Map<number, FakeEvent>;
  /** Replaces the sport settings derived from the profile (tests change thresholds with it). */
  sportSettings?: Array<Record<string, unknown>>;
}

export type AuthKind = 'basic' | 'bearer' | 'none' | 'invalid';

export class FakeIntervalsState {
  readonly athletes = new Map<string, AthleteEntry>();
  readonly activities = new Map<string, StoredActivity>();
  readonly credentials = new Map<string, string>();
  private readonly oauthTokens = new Map<string, string>();
  private nextEventId = 90_000_001;

  addAthlete(athlete: FakeAthlete, creds: { apiKey?: string; bearer?: string }): void {
    const entry: AthleteEntry = {
      athlete,
      activities: [],
      wellness: new Map(athlete.wellness.map((w) => [w.id, w])),
      wellnessDays: athlete.wellness.map((w) => w.id),
      events: new Map(),
    };
    this.athletes.set(athlete.athleteId, entry);
    if (creds.apiKey) this.credentials.set(`basic:${creds.apiKey}`, athlete.athleteId);
    if (creds.bearer) this.credentials.set(`bearer:${creds.bearer}`, athlete.athleteId);
    for (const fa of athlete.activities) this.addActivity(athlete.athleteId, fa, {});
  }

  /** A token from the OAuth exchange; replaces the athlete's previous one (one active token per athlete and app). */
  issueOAuthToken(athleteId: string, token: string): void {
    const previous = this.oauthTokens.get(athleteId);
    if (previous) this.credentials.delete(`bearer:${previous}`);
    this.oauthTokens.set(athleteId, token);
    this.credentials.set(`bearer:${token}`, athleteId);
  }

  addActivity(athleteId: string, fa: FakeActivity, delay: AnalysisDelay): StoredActivity {
    const entry = this.athletes.get(athleteId);
    if (!entry) throw new Error(`fake intervals: unknown athlete ${athleteId}; addAthlete first`);
    const existing = this.activities.get(fa.id);
    if (existing && existing.ownerId !== athleteId) throw new Error(`fake intervals: activity id ${fa.id} already belongs to ${existing.ownerId}`);
    const st: StoredActivity = { fa, ownerId: athleteId, fetches: 0, addedAt: Date.now(), delay };
    this.activities.set(fa.id, st);
    const list = entry.activities.filter((a) => a.fa.id !== fa.id);
    const key = fa.activity.start_date;
    const at = list.findIndex((a) => a.fa.activity.start_date < key);
    list.splice(at < 0 ? list.length : at, 0, st);
    entry.activities = list;
    return st;
  }

  /** The activity is gone (GET answers 404, the list no longer has it). */
  deleteActivity(activityId: string): boolean {
    const st = this.activities.get(activityId);
    if (!st) return false;
    this.activities.delete(activityId);
    const entry = this.athletes.get(st.ownerId);
    if (entry) entry.activities = entry.activities.filter((a) => a.fa.id !== activityId);
    return true;
  }

  /** Credential → owning athlete id; the raw credential never leaves this function. */
  authenticate(header: string | undefined): { kind: AuthKind; athleteId?: string; denied?: boolean } {
    if (!header) return { kind: 'none' };
    const [scheme, value = ''] = header.split(' ', 2);
    if (scheme?.toLowerCase() === 'basic') {
      const decoded = Buffer.from(value, 'base64').toString('utf8');
      const sep = decoded.indexOf(':');
      if (decoded.slice(0, sep) !== 'API_KEY') return { kind: 'invalid' };
      const id = this.credentials.get(`basic:${decoded.slice(sep + 1)}`);
      return id ? { kind: 'basic', athleteId: id } : { kind: 'invalid' };
    }
    if (scheme?.toLowerCase() === 'bearer') {
      const id = this.credentials.get(`bearer:${value}`);
      if (id) return { kind: 'bearer', athleteId: id };
      // Intervals.icu answers a personal API key sent as a Bearer token with 403 "Access denied".
      if (this.credentials.has(`basic:${value}`)) return { kind: 'bearer', denied: true };
      return { kind: 'invalid' };
    }
    return { kind: 'invalid' };
  }

  isAnalysed(st: StoredActivity): boolean {
    const { analysedAfterFetches: n, analysedAfterMs: ms } = st.delay;
    if (n !== undefined && st.fetches < n) return false;
    if (ms !== undefined && Date.now() - st.addedAt < ms) return false;
    return true;
  }

  /** The activity as served now: without icu_ctl/icu_atl until analysed, with intervals on request. */
  view(st: StoredActivity, withIntervals: boolean): Record<string, unknown> {
    const a: Record<string, unknown> = { ...st.fa.activity };
    if (!this.isAnalysed(st)) {
      delete a.icu_ctl;
      delete a.icu_atl;
    }
    if (withIntervals) {
      a.icu_intervals = st.fa.icu_intervals;
      a.icu_groups = st.fa.icu_groups;
    }
    return a;
  }

  upsertEvents(entry: AthleteEntry, inputs: Array<Record<string, unknown>>, upsert: boolean): FakeEvent[] {
    return inputs.map((input) => {
      const externalId = typeof input.external_id === 'string' ? input.external_id : null;
      const match = upsert && externalId ? [...entry.events.values()].find((e) => e.external_id === externalId) : undefined;
      const id = match?.id ?? this.nextEventId++;
      const { file_contents: _f, file_contents_base64: _b, filename: _n, workout: _w, ...fields } = input;
      const ev: FakeEvent = {
        id,
        athlete_id: entry.athlete.athleteId,
        start_date_local: '',
        end_date_local: null,
        category: 'WORKOUT',
        type: null,
        name: null,
        description: null,
        external_id: null,
        moving_time: null,
        icu_training_load: null,
        distance: null,
        indoor: false,
        oauth_client_id: null,
        ...(match ?? {}),
        ...fields,
        updated: new Date().toISOString().replace('Z', '+00:00'),
      } as FakeEvent;
      ev.id = id;
      entry.events.set(id, ev);
      return ev;
    });
  }

  deleteEvents(entry: AthleteEntry, doomed: Array<{ id?: unknown; external_id?: unknown }>): number {
    let n = 0;
    for (const d of doomed) {
      for (const ev of [...entry.events.values()]) {
        if ((d.id !== undefined && ev.id === Number(d.id)) || (d.external_id !== undefined && ev.external_id === d.external_id)) {
          entry.events.delete(ev.id);
          n++;
        }
      }
    }
    return n;
  }
}

export type { FakeActivityJson };
