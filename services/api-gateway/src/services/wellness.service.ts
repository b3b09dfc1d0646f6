import { WellnessResponseSchema, type DateWindowQuery, type WellnessDay, type WellnessResponse } from '@splits/contracts';
import { listWellnessDays, type Db } from '@splits/db';
import { assertFits, resolveWindow } from './window.js';
import { loadAthleteFrame } from './athlete-context.js';

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const round = (v: number | null, digits: number) => (v === null ? null : Number(v.toFixed(digits)));

/** One Intervals.icu wellness row as the assistants see it; a value the source did not give stays null. */
export function toWellnessDay(date: string, raw: unknown): WellnessDay {
  const w = (raw ?? {}) as Record<string, unknown>;
  const ctl = num(w.ctl);
  const atl = num(w.atl);
  const sleepSecs = num(w.sleepSecs);
  return {
    date,
    fitness: round(ctl, 1),
    fatigue: round(atl, 1),
    form: ctl !== null && atl !== null ? round(ctl - atl, 1) : null,
    rampRate: round(num(w.rampRate), 1),
    restingHr: num(w.restingHR),
    hrv: num(w.hrv),
    hrvSdnn: num(w.hrvSDNN),
    sleepHours: sleepSecs === null ? null : round(sleepSecs / 3600, 2),
    sleepScore: num(w.sleepScore),
    weight: num(w.weight),
    readiness: num(w.readiness),
    steps: num(w.steps),
    feel: { soreness: num(w.soreness), fatigue: num(w.fatigue), stress: num(w.stress), mood: num(w.mood), motivation: num(w.motivation) },
  };
}

/** Daily wellness (fitness, fatigue, form, HRV, sleep, …) in a window; default the last 14 days. */
export async function getWellness(db: Db, athleteId: string, query: DateWindowQuery): Promise<WellnessResponse> {
  const { timezone, today } = await loadAthleteFrame(db, athleteId);
  const { oldest, newest } = resolveWindow(query, { defaultDays: 14, maxDays: 180, anchor: 'past', today });
  const rows = await listWellnessDays(db, athleteId, oldest, newest);
  const days = rows.map((r) => toWellnessDay(r.date, r.data));
  return assertFits(WellnessResponseSchema.parse({ window: { oldest, newest, timezone }, days, count: days.length }), 'ask for a narrower oldest/newest window');
}
