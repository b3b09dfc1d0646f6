import { describe, expect, it } from '@jest/globals';
import { IntervalsActivitySchema, IntervalsIntervalsDtoSchema, IntervalsWellnessSchema } from '@splits/contracts';
import { generateAthlete, generateStreams, makeNewActivity, RUN_KINDS } from './generator.js';

const now = new Date('2026-05-01T12:00:00Z');
const athlete = generateAthlete({ seed: 11, now });

describe('generateAthlete', () => {
  it('is deterministic: same seed and now give identical data, another seed differs', () => {
    const again = generateAthlete({ seed: 11, now });
    expect(JSON.stringify(again.activities.map((a) => [a.activity, a.icu_intervals, a.icu_groups]))).toBe(
      JSON.stringify(athlete.activities.map((a) => [a.activity, a.icu_intervals, a.icu_groups])),
    );
    expect(again.wellness).toEqual(athlete.wellness);
    const other = generateAthlete({ seed: 12, now });
    expect(other.athleteId).not.toBe(athlete.athleteId);
    expect(other.activities[0]?.id).not.toBe(athlete.activities[0]?.id);
  });

  it('spans 26+ weeks with 4–7 sessions a week and one wellness row per day', () => {
    const first = Date.parse(athlete.activities[0]!.activity.start_date);
    const last = Date.parse(athlete.activities.at(-1)!.activity.start_date);
    expect((last - first) / 86_400_000).toBeGreaterThanOrEqual(26 * 7 - 7);
    expect(athlete.activities.length).toBeGreaterThanOrEqual(26 * 4);
    expect(athlete.activities.length).toBeLessThanOrEqual(27 * 7);
    expect(last).toBeLessThan(now.getTime());
    expect(athlete.wellness.length).toBeGreaterThanOrEqual(26 * 7);
    expect(athlete.wellness.at(-1)!.id).toBe('2026-05-01');
    for (const w of athlete.wellness) IntervalsWellnessSchema.parse(w);
    expect(athlete.wellness.some((w) => w.hrv === null)).toBe(true);
    expect(athlete.wellness.some((w) => typeof w.hrv === 'number')).toBe(true);
  });

  it('takes more sessions a week when asked (doubles included): 6–8 a week is ~1,800 workouts in 5 years', () => {
    const busy = generateAthlete({ seed: 503, weeks: 52, now, sessionsPerWeek: { min: 6, max: 8 } });
    expect(busy.activities.length).toBeGreaterThanOrEqual(53 * 6 - 8);
    expect(busy.activities.length).toBeLessThanOrEqual(53 * 8);
    const perDay = new Map<string, number>();
    for (const a of busy.activities) perDay.set(a.activity.start_date_local.slice(0, 10), (perDay.get(a.activity.start_date_local.slice(0, 10)) ?? 0) + 1);
    expect([...perDay.values()].some((n) => n === 2)).toBe(true);
    // The default athlete is untouched by the option's existence.
    expect(generateAthlete({ seed: 503, weeks: 26, now }).activities.length).toBeLessThanOrEqual(27 * 7);
  });

  it('contains every run structure plus rides with power, swims and strength', () => {
    const kinds = new Set(athlete.activities.map((a) => a.plan.kind));
    for (const k of RUN_KINDS) expect(kinds).toContain(k);
    const rides = athlete.activities.filter((a) => a.activity.type === 'Ride' || a.activity.type === 'VirtualRide');
    expect(rides.length).toBeGreaterThan(0);
    for (const r of rides) {
      expect(r.activity.icu_average_watts).toBeGreaterThan(50);
      expect(r.activity.icu_weighted_avg_watts).toBeGreaterThanOrEqual(r.activity.icu_average_watts as number);
      expect((r.activity.icu_zone_times as Array<{ id: string }>).map((z) => z.id)).toEqual(['Z1', 'Z2', 'Z3', 'Z4', 'Z5', 'Z6', 'Z7', 'SS']);
    }
    const swim = athlete.activities.find((a) => a.activity.type === 'Swim')!;
    expect(swim.activity.pool_length).toBeGreaterThan(0);
    expect(swim.activity.lengths).toBe(Math.round((swim.activity.distance as number) / (swim.activity.pool_length as number)));
    const strength = athlete.activities.find((a) => a.activity.type === 'WeightTraining')!;
    expect(strength.activity.distance).toBeNull();
    expect(athlete.activities.filter((a) => a.activity.race === true).every((a) => a.plan.kind === 'race')).toBe(true);
  });

  it('uses Intervals.icu field names and units', () => {
    for (const a of athlete.activities) IntervalsActivitySchema.parse(a.activity);
    const long = athlete.activities.find((a) => a.plan.kind === 'long')!.activity;
    expect(long.id).toMatch(/^i\d{9}$/);
    expect(long.start_date).toMatch(/Z$/);
    expect(long.distance).toBeGreaterThan(17_500);
    expect(long.distance).toBeLessThan(31_000);
    expect(long.average_speed).toBeCloseTo((long.distance as number) / (long.moving_time as number), 2);
    expect(long.average_cadence).toBeGreaterThan(76);
    expect(long.average_cadence).toBeLessThan(95);
    expect(long.icu_intensity).toBeGreaterThan(50); // a percent, not a fraction
    const zones = long.icu_hr_zone_times as number[];
    expect(zones.reduce((a, b) => a + b, 0)).toBe(long.moving_time);
  });

  it('builds threshold intervals (3–4 x 8–10 min) that agree with the streams', () => {
    const thr = athlete.activities.find((a) => a.plan.kind === 'threshold')!;
    IntervalsIntervalsDtoSchema.parse({ id: thr.id, icu_intervals: thr.icu_intervals, icu_groups: thr.icu_groups });
    const work = thr.icu_intervals.filter((i) => i.type === 'WORK');
    expect(work.length).toBeGreaterThanOrEqual(3);
    expect(work.length).toBeLessThanOrEqual(4);
    for (const w of work) expect(w.moving_time).toBeGreaterThanOrEqual(8 * 60 - 5);
    const group = thr.icu_groups.find((g) => g.id === work[0]!.group_id)!;
    expect(group.count).toBe(work.length);
    expect(thr.activity.interval_summary).toContain(`${work.length}x ${(thr.activity.interval_summary as string[])[0]!.split(' ')[1]} ${group.average_heartrate}bpm`);
    const s = generateStreams(thr.plan, thr.profile);
    expect(s.time.length).toBe(thr.activity.moving_time);
    const w0 = work[0]!;
    const dist = s.distance![w0.end_index - 1]! - s.distance![w0.start_index - 1]!;
    expect(dist).toBeCloseTo(w0.distance as number, 0);
    const hr = s.heartrate.slice(w0.start_index, w0.end_index);
    expect(Math.round(hr.reduce((a, b) => a + b, 0) / hr.length)).toBe(w0.average_heartrate);
    expect(generateStreams(thr.plan, thr.profile)).toEqual(s);
  });

  it('computes icu_ctl/icu_atl with a 42/7-day model matching the wellness rows', () => {
    const last = athlete.activities.at(-1)!;
    const day = athlete.wellness.find((w) => w.id === last.activity.start_date_local.slice(0, 10))!;
    const sameDayLater = athlete.activities.filter((a) => a.activity.start_date_local.slice(0, 10) === day.id && a.activity.start_date > last.activity.start_date);
    if (sameDayLater.length === 0) expect(last.activity.icu_ctl).toBeCloseTo(day.ctl, 3);
    const prev = athlete.wellness[athlete.wellness.indexOf(day) - 1]!;
    const dayLoad = day.ctlLoad as number;
    expect(day.ctl).toBeCloseTo(prev.ctl + (dayLoad - prev.ctl) * (1 - Math.exp(-1 / 42)), 3);
    expect(day.atl).toBeCloseTo(prev.atl + (dayLoad - prev.atl) * (1 - Math.exp(-1 / 7)), 3);
  });

  it('makeNewActivity hands out fresh ids and continues fitness', () => {
    const a = makeNewActivity(athlete, { kind: 'threshold', at: new Date('2026-05-01T15:00:00Z') });
    const b = makeNewActivity(athlete, { kind: 'easy', at: new Date('2026-05-01T16:00:00Z') });
    expect(a.id).not.toBe(b.id);
    expect(athlete.activities.some((x) => x.id === a.id)).toBe(false);
    expect(a.activity.start_date).toBe('2026-05-01T15:00:00Z');
    expect(a.icu_intervals.filter((i) => i.type === 'WORK').length).toBeGreaterThanOrEqual(3);
    expect(a.activity.icu_ctl).toBeGreaterThan(athlete.wellness.at(-2)!.ctl * 0.9);
  });
});
