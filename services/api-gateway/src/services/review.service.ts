import { ReviewResponseSchema, type ReviewDay, type ReviewItem, type ReviewQuery, type ReviewResponse, type WorkoutRecord } from '@splits/contracts';
import { listPlannedEvents, listWorkoutRecords, type Db, type PlannedEventRow } from '@splits/db';
import { checkReps, isoWeekLabel, plannedWorkReps, sportFamily, type RepSettings } from '@splits/training';
import { loadAthleteFrame, type AthleteFrame } from './athlete-context.js';
import { assertFits, resolveWindow } from './window.js';

/** The most workouts one review reads: a 92-day window of twice-a-day training. */
const MAX_WORKOUTS = 300;

const pct = (done: number | null | undefined, planned: number | null | undefined) =>
  typeof done === 'number' && typeof planned === 'number' && planned > 0 ? Math.round((done / planned) * 100) : undefined;
const km = (m: number | null) => (m === null ? undefined : Math.round(m / 10) / 100);
const defined = <T extends object>(o: T): T => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined && v !== null)) as T;

/** Same sport: the same type, or the same family (Run, TrailRun and VirtualRun are all runs). */
function sameSport(plannedType: string | null, workoutType: string): boolean {
  if (!plannedType) return false;
  if (plannedType === workoutType) return true;
  const family = sportFamily(plannedType);
  return family !== 'other' && family === sportFamily(workoutType);
}

function settingsFor(frame: AthleteFrame, type: string | null): RepSettings {
  const s = frame.sports.find((x) => type !== null && x.types.includes(type))?.thresholds;
  return s ? { thresholdPaceMps: s.thresholdPaceMps, lthr: s.lthr, maxHr: s.maxHr, hrZones: s.hrZones } : {};
}

/**
 * Pairs each planned workout with what was done that day: first the activity Intervals.icu itself
 * paired with the event, then the same sport on the same day, nearest in planned duration. What is
 * left is missed (a past day), still planned (today or later) or unplanned.
 */
function pairDay(planned: PlannedEventRow[], done: WorkoutRecord[]): { p?: PlannedEventRow; w?: WorkoutRecord }[] {
  const free = new Set(done);
  const pairs: { p?: PlannedEventRow; w?: WorkoutRecord }[] = [];
  const open: PlannedEventRow[] = [];
  for (const p of planned) {
    const w = [...free].find((r) => r.planned?.eventId !== null && r.planned?.eventId !== undefined && String(r.planned.eventId) === p.intervals_event_id);
    if (w) {
      free.delete(w);
      pairs.push({ p, w });
    } else open.push(p);
  }
  for (const p of open) {
    const candidates = [...free].filter((r) => sameSport(p.type, r.workoutType));
    const w = candidates.sort((a, b) => Math.abs((a.movingTime ?? 0) - (p.moving_time ?? 0)) - Math.abs((b.movingTime ?? 0) - (p.moving_time ?? 0)))[0];
    if (w) free.delete(w);
    pairs.push({ p, w });
  }
  for (const w of free) pairs.push({ w });
  return pairs;
}

function item(pair: { p?: PlannedEventRow; w?: WorkoutRecord }, date: string, today: string, frame: AthleteFrame): ReviewItem {
  const { p, w } = pair;
  const reps = p ? plannedWorkReps(p.description, settingsFor(frame, p.type)) : null;
  const out: ReviewItem = { status: p && w ? 'done' : w ? 'unplanned' : date < today ? 'missed' : 'planned' };
  if (p) {
    out.planned = defined({
      id: p.intervals_event_id,
      name: p.name ?? undefined,
      type: p.type ?? undefined,
      movingTime: p.moving_time ?? undefined,
      distance: km(p.distance),
      load: p.load ?? undefined,
      target: reps?.label,
    });
  }
  if (w) {
    out.done = defined({
      id: w.id,
      name: w.activityName ?? undefined,
      workoutType: w.workoutType,
      sessionType: w.sessionType,
      movingTime: w.movingTime ?? undefined,
      distance: w.distance ?? undefined,
      load: w.load ?? undefined,
    });
  }
  if (p && w) {
    const compliance = defined({
      duration: pct(w.movingTime, p.moving_time),
      distance: pct(w.distance, p.distance === null ? null : p.distance / 1000),
      load: pct(w.load, p.load),
      intervalsIcu: w.planned?.compliance === null || w.planned?.compliance === undefined ? undefined : Math.round(w.planned.compliance),
    });
    if (Object.keys(compliance).length > 0) out.compliance = compliance;
    if (reps) {
      const work = (w.intervals ?? []).filter((i) => i.role === 'work');
      const checks = checkReps(reps.reps, work.map((i) => ({ pace: i.pace, avgHr: i.avg_hr })));
      out.reps = checks
        ? { aligned: true, checks }
        : {
            aligned: false,
            note: `planned ${reps.reps.length} work reps, found ${work.length} work intervals${work.length === 0 && !w.intervals?.length ? ' (no laps recorded)' : ''}: not compared rep by rep`,
          };
    }
  }
  return out;
}

type Totals = { sessions: number; movingTime: number; distance: number; load: number };
const zero = (): Totals => ({ sessions: 0, movingTime: 0, distance: 0, load: 0 });
const add = (t: Totals, movingTime: number | null | undefined, distance: number | null | undefined, load: number | null | undefined) => {
  t.sessions += 1;
  t.movingTime += movingTime ?? 0;
  t.distance = Math.round((t.distance + (distance ?? 0)) * 100) / 100;
  t.load += Math.round(load ?? 0);
};

/**
 * Plan vs actual in a window (default this week, Monday to Sunday, in the athlete's time zone):
 * every day with something planned or done, and totals per ISO week.
 */
export async function getReview(db: Db, athleteId: string, query: ReviewQuery, now = new Date()): Promise<ReviewResponse> {
  const frame = await loadAthleteFrame(db, athleteId, now);
  const { today, timezone } = frame;
  const q = query.oldest === undefined && query.newest === undefined ? { oldest: 'this-week' } : query;
  const { oldest, newest } = resolveWindow(q, { defaultDays: 7, maxDays: 92, anchor: 'past', today });
  const [events, { records }] = await Promise.all([
    listPlannedEvents(db, athleteId, oldest, newest),
    listWorkoutRecords(db, athleteId, { oldest, newest, limit: MAX_WORKOUTS, offset: 0 }),
  ]);
  const planned = events.filter((e) => e.category === 'WORKOUT');
  const dates = [...new Set([...planned.map((e) => e.local_date), ...records.map((r) => r.localDate ?? r.date.slice(0, 10))])].sort();
  const days: ReviewDay[] = [];
  const weeks = new Map<string, { week: string; planned: Totals; done: Totals; missed: number; unplanned: number }>();
  for (const date of dates) {
    const done = records.filter((r) => (r.localDate ?? r.date.slice(0, 10)) === date).sort((a, b) => a.date.localeCompare(b.date));
    const items = pairDay(planned.filter((e) => e.local_date === date), done).map((pair) => item(pair, date, today, frame));
    days.push({ date, items });
    const label = isoWeekLabel(date);
    const week = weeks.get(label) ?? { week: label, planned: zero(), done: zero(), missed: 0, unplanned: 0 };
    weeks.set(label, week);
    for (const it of items) {
      if (it.planned) add(week.planned, it.planned.movingTime, it.planned.distance, it.planned.load);
      if (it.done) add(week.done, it.done.movingTime, it.done.distance, it.done.load);
      if (it.status === 'missed') week.missed += 1;
      if (it.status === 'unplanned') week.unplanned += 1;
    }
  }
  const body = ReviewResponseSchema.parse({ window: { oldest, newest, timezone }, days, weeks: [...weeks.values()] });
  return assertFits(body, 'ask for a narrower oldest/newest window');
}
