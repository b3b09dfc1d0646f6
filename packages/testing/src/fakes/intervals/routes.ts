import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { paceCurvesOf } from './pace-curves.js';
import type { AthleteEntry, FakeIntervalsState, StoredActivity } from './state.js';
import { streamsToWire, generateStreams } from './streams.js';
import { addDays, localDate } from './time.js';

type Q = Record<string, string | undefined>;
type Req = FastifyRequest<{ Params: Record<string, string>; Querystring: Q }>;

export interface RouteHooks {
  /** Called for PUT/POST bodies that change state. */
  recordWrite(req: FastifyRequest, athleteId: string, body: unknown): void;
}

const fail = (reply: FastifyReply, status: number, error: string) => reply.code(status).send({ status, error });

function owner(state: FakeIntervalsState, req: FastifyRequest, reply: FastifyReply): string | null {
  const auth = state.authenticate(req.headers.authorization);
  req.fakeAuth = auth.kind;
  if (auth.denied) return fail(reply, 403, 'Access denied'), null;
  if (!auth.athleteId) return fail(reply, 401, 'Unauthorized'), null;
  return auth.athleteId;
}

/** Resolves `{id}` in /athlete/{id}/…: `0` is the credential's owner; anyone else is off limits. */
function athlete(state: FakeIntervalsState, req: Req, reply: FastifyReply): AthleteEntry | null {
  const me = owner(state, req, reply);
  if (!me) return null;
  const id = req.params.id ?? '';
  if (id === '0' || id === me || `i${id}` === me) return state.athletes.get(me) ?? null;
  if (state.athletes.has(id) || state.athletes.has(`i${id}`)) return fail(reply, 403, 'Access denied'), null;
  return fail(reply, 404, `Athlete not found: ${id}`), null;
}

function activity(state: FakeIntervalsState, req: Req, reply: FastifyReply): StoredActivity | null {
  const me = owner(state, req, reply);
  if (!me) return null;
  const st = state.activities.get(req.params.id ?? '');
  if (!st) return fail(reply, 404, `Activity not found: ${req.params.id}`), null;
  if (st.ownerId !== me) return fail(reply, 403, 'Access denied'), null;
  return st;
}

function pick(row: Record<string, unknown>, fields: string[] | null): Record<string, unknown> {
  if (!fields) return row;
  const out: Record<string, unknown> = {};
  for (const f of fields) if (row[f] !== null && row[f] !== undefined) out[f] = row[f];
  return out;
}

/** `newest` given as a date covers that whole day. */
const upper = (newest: string | undefined) => (newest ? (newest.length === 10 ? `${newest}T23:59:59` : newest) : '9999');

/** The athlete's sport settings (reference §3.6): from the profile unless a test replaced them. */
export function sportSettingsOf(e: AthleteEntry): Array<Record<string, unknown>> {
  if (e.sportSettings) return e.sportSettings;
  const { profile: p, athleteId } = e.athlete;
  return [
    { id: 1, athlete_id: athleteId, types: ['Run', 'VirtualRun', 'TrailRun'], lthr: p.lthr, max_hr: p.maxHr, hr_zones: p.hrZones, threshold_pace: p.thresholdPace, pace_units: 'MINS_KM', pace_zones: p.paceZones, ftp: null },
    { id: 2, athlete_id: athleteId, types: ['Ride', 'VirtualRide'], ftp: p.ftp, power_zones: p.powerZones, lthr: p.lthr, max_hr: p.maxHr, hr_zones: p.hrZones, sweet_spot_min: 84, sweet_spot_max: 97 },
    { id: 3, athlete_id: athleteId, types: ['Swim'], threshold_pace: p.swimThresholdPace, pace_units: 'SECS_100M', lthr: p.lthr, max_hr: p.maxHr },
  ];
}

export function registerIntervalsRoutes(app: FastifyInstance, state: FakeIntervalsState, hooks: RouteHooks): void {
  const base = '/api/v1';

  app.get(`${base}/athlete/:id`, async (req: Req, reply) => {
    const e = athlete(state, req, reply);
    if (!e) return reply;
    const { profile: p, athleteId } = e.athlete;
    return {
      id: athleteId,
      name: p.name,
      sex: p.sex,
      timezone: p.timezone,
      city: p.city,
      icu_resting_hr: p.restingHr,
      icu_weight: p.weight,
      sportSettings: sportSettingsOf(e),
    };
  });

  app.get(`${base}/athlete/:id/sport-settings`, async (req: Req, reply) => {
    const e = athlete(state, req, reply);
    if (!e) return reply;
    return sportSettingsOf(e);
  });

  app.get(`${base}/athlete/:id/pace-curves.json`, async (req: Req, reply) => {
    const e = athlete(state, req, reply);
    if (!e) return reply;
    const q = req.query as Record<string, string | undefined>;
    if (!q.type) return fail(reply, 422, "Required parameter 'type' is missing");
    return paceCurvesOf(e.activities, q.type, q.curves ?? '42d');
  });

  app.get(`${base}/athlete/:id/activities`, async (req: Req, reply) => {
    const e = athlete(state, req, reply);
    if (!e) return reply;
    const { oldest, newest, limit, fields } = req.query;
    if (!oldest) return fail(reply, 422, "Required parameter 'oldest' is missing");
    const hi = upper(newest);
    const max = limit ? Number(limit) : Infinity;
    const cols = fields ? fields.split(',') : null;
    const out: Array<Record<string, unknown>> = [];
    for (const st of e.activities) {
      const local = st.fa.activity.start_date_local;
      if (local > hi) continue;
      if (local < oldest) break;
      out.push(pick(state.view(st, false), cols));
      if (out.length >= max) break;
    }
    return out;
  });

  const wellnessRow = (e: AthleteEntry, date: string) => e.wellness.get(date) ?? { id: date, ctl: null, atl: null, rampRate: null, weight: null, restingHR: null, hrv: null, sleepSecs: null, sleepScore: null, steps: null };

  const wellnessList = async (req: Req, reply: FastifyReply) => {
    const e = athlete(state, req, reply);
    if (!e) return reply;
    const oldest = req.query.oldest ?? e.wellnessDays[0] ?? '';
    const newest = req.query.newest ?? e.wellnessDays[e.wellnessDays.length - 1] ?? oldest;
    return e.wellnessDays.filter((d) => d >= oldest && d <= newest.slice(0, 10)).map((d) => wellnessRow(e, d));
  };
  app.get(`${base}/athlete/:id/wellness`, wellnessList);
  app.get(`${base}/athlete/:id/wellness.json`, wellnessList);
  app.get(`${base}/athlete/:id/wellness/:date`, async (req: Req, reply) => {
    const e = athlete(state, req, reply);
    if (!e) return reply;
    return wellnessRow(e, String(req.params.date).slice(0, 10));
  });

  app.get(`${base}/athlete/:id/events`, async (req: Req, reply) => {
    const e = athlete(state, req, reply);
    if (!e) return reply;
    const oldest = (req.query.oldest ?? localDate(new Date(), e.athlete.profile.timezone)).slice(0, 10);
    const newest = (req.query.newest ?? addDays(oldest, 6)).slice(0, 10);
    const cats = req.query.category ? req.query.category.split(',') : null;
    return [...e.events.values()]
      .filter((ev) => {
        const d = ev.start_date_local.slice(0, 10);
        return d >= oldest && d <= newest && (!cats || cats.includes(ev.category));
      })
      .sort((a, b) => (a.start_date_local < b.start_date_local ? -1 : a.start_date_local > b.start_date_local ? 1 : a.id - b.id));
  });
  app.get(`${base}/athlete/:id/events/:eventId`, async (req: Req, reply) => {
    const e = athlete(state, req, reply);
    if (!e) return reply;
    return e.events.get(Number(req.params.eventId)) ?? fail(reply, 404, 'Event not found');
  });

  const writeEvents = async (req: Req, reply: FastifyReply, upsert: boolean) => {
    const e = athlete(state, req, reply);
    if (!e) return reply;
    const body = Array.isArray(req.body) ? req.body : req.body && typeof req.body === 'object' ? [req.body] : null;
    if (!body) return fail(reply, 400, 'Expected a JSON array of events');
    for (const ev of body as Array<Record<string, unknown>>) {
      if (typeof ev !== 'object' || !ev || typeof ev.start_date_local !== 'string' || typeof ev.category !== 'string') {
        return fail(reply, 422, 'Each event needs category and start_date_local');
      }
    }
    hooks.recordWrite(req, e.athlete.athleteId, req.body);
    const saved = state.upsertEvents(e, body as Array<Record<string, unknown>>, upsert);
    return Array.isArray(req.body) ? saved : saved[0];
  };
  app.post(`${base}/athlete/:id/events/bulk`, async (req: Req, reply) => writeEvents(req, reply, req.query.upsert === 'true'));
  app.post(`${base}/athlete/:id/events`, async (req: Req, reply) => writeEvents(req, reply, false));
  app.put(`${base}/athlete/:id/events/bulk-delete`, async (req: Req, reply) => {
    const e = athlete(state, req, reply);
    if (!e) return reply;
    if (!Array.isArray(req.body)) return fail(reply, 400, 'Expected a JSON array of {id} or {external_id}');
    hooks.recordWrite(req, e.athlete.athleteId, req.body);
    return { eventsDeleted: state.deleteEvents(e, req.body as Array<{ id?: unknown; external_id?: unknown }>) };
  });

  // The OAuth grant behind the bearer token ends (an API key cannot be revoked this way: 403).
  app.delete(`${base}/disconnect-app`, async (req, reply) => {
    const header = req.headers.authorization ?? '';
    const me = owner(state, req, reply);
    if (!me) return reply;
    if (!/^bearer /i.test(header)) return fail(reply, 403, 'Access denied');
    hooks.recordWrite(req, me, null);
    state.credentials.delete(`bearer:${header.slice(7)}`);
    return reply.code(200).send({});
  });

  app.get(`${base}/activity/:id`, async (req: Req, reply) => {
    const st = activity(state, req, reply);
    if (!st) return reply;
    const view = state.view(st, req.query.intervals === 'true');
    st.fetches++;
    return view;
  });

  app.put(`${base}/activity/:id`, async (req: Req, reply) => {
    const st = activity(state, req, reply);
    if (!st) return reply;
    if (!req.body || typeof req.body !== 'object' || Array.isArray(req.body)) return fail(reply, 400, 'Expected a JSON object');
    hooks.recordWrite(req, st.ownerId, req.body);
    for (const [k, v] of Object.entries(req.body as Record<string, unknown>)) {
      if (k === 'id' || k === 'icu_athlete_id') continue;
      // "To clear a numeric field supply -1."
      st.fa.activity[k] = v === -1 ? null : v;
    }
    return state.view(st, false);
  });

  app.get(`${base}/activity/:id/:sub`, async (req: Req, reply) => {
    const sub = req.params.sub ?? '';
    if (sub === 'intervals') {
      const st = activity(state, req, reply);
      if (!st) return reply;
      return { id: st.fa.id, analyzed: st.fa.activity.analyzed, icu_intervals: st.fa.icu_intervals, icu_groups: st.fa.icu_groups };
    }
    // Streams need an extension ("at least one character"): /streams.json; bare /streams is a 404.
    if (!sub.startsWith('streams') || sub.length < 8) return fail(reply, 404, 'Not Found');
    const st = activity(state, req, reply);
    if (!st) return reply;
    const types = req.query.types ? req.query.types.split(',') : null;
    reply.type('application/json');
    return streamJson(st, types);
  });

  /** Serialised streams are cached: regenerating and stringifying dominates under load. */
  const streamCache = new Map<string, string>();
  function streamJson(st: StoredActivity, types: string[] | null): string {
  const key = `${st.fa.id}|${st.fa.plan.seed}|${types?.join(',') ?? '*'}`;
  let json = streamCache.get(key);
  if (json === undefined) {
    json = JSON.stringify(streamsToWire(generateStreams(st.fa.plan, st.fa.profile), types));
    if (streamCache.size >= 64) streamCache.delete(streamCache.keys().next().value as string);
    streamCache.set(key, json);
  }
  return json;
  }
}

declare module 'fastify' {
  interface FastifyRequest {
    fakeAuth?: 'basic' | 'bearer' | 'none' | 'invalid';
  }
}
