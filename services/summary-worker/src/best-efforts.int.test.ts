import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { pino } from 'pino';
import { getAthleteSummary, upsertActivitySource } from '@splits/db';
import { localDateIn, type AthleteSummaryDocument, type BestEffort } from '@splits/training';
import { createTestDatabase, generateAthlete, generateStreams, seedSummaryAthlete, streamsToWire, type TestDatabase } from '@splits/testing';
import { processBuildSummary } from './build-summary.processor.js';

const log = pino({ level: 'silent' });
// 30 weeks of training up to mid-July; the summary is read in December: 20 weeks without a session.
const lastTraining = new Date('2026-07-19T20:00:00Z');
const now = new Date('2026-12-05T12:00:00Z');
const athlete = generateAthlete({ seed: 47, intervalsAthleteId: 'i470047', weeks: 30, now: lastTraining });
const tz = athlete.profile.timezone;
const runs = athlete.activities.filter((a) => a.plan.sport === 'Run');
const races = runs.filter((a) => a.plan.race);
// An easy run whose stored distance stream jumps 800 m in one second at sample 1000.
const spiky = runs.filter((a) => a.plan.kind === 'easy').at(-1)!;
let t: TestDatabase;
let athleteId: string;

const build = () => processBuildSummary({ athleteId, reason: 'manual' }, { db: t.db, log, now: () => now });
const doc = async () => (await getAthleteSummary(t.db, athleteId))!.document as unknown as AthleteSummaryDocument;
const effort = (d: AthleteSummaryDocument, name: string) => d.running.bestEfforts.find((e) => e.effort === name) as BestEffort;
const workoutIdOf = async (activityId: string) =>
  (await t.db.selectFrom('workout').select('id').where('athlete_id', '=', athleteId).where('intervals_activity_id', '=', activityId).executeTakeFirstOrThrow()).id;

beforeAll(async () => {
  t = await createTestDatabase('besteffort');
  athleteId = await seedSummaryAthlete(t.db, athlete, { runSources: true });
  const wire = streamsToWire(generateStreams(spiky.plan, spiky.profile, { latlng: false }), ['time', 'distance']);
  const dist = wire.find((s) => s.type === 'distance')!;
  dist.data = (dist.data as number[]).map((d, i) => (i >= 1000 ? d + 800 : d));
  await upsertActivitySource(t.db, { athleteId, intervalsActivityId: spiky.activity.id, activity: spiky.activity, intervals: null, streams: wire, wellness: null });
}, 120_000);
afterAll(async () => {
  await t.drop();
});

describe('best efforts, races and gaps in the summary', () => {
  it('takes the best 5K and 10K from the raced stretch inside runs with a warm-up and a cool-down', async () => {
    expect(races.length).toBeGreaterThan(2);
    await build();
    const d = await doc();
    // Independent of the detection: each race's raced block is its plan's work segment, run at a known speed.
    const raced = (metres: number) =>
      races
        .map((r) => ({ r, work: r.plan.segments.find((s) => s.role === 'work')! }))
        .filter((x) => x.work.secs * x.work.speed >= metres * 0.99)
        .map((x) => ({ id: x.r.activity.id, secs: metres / x.work.speed }))
        .sort((a, b) => a.secs - b.secs)[0]!;
    for (const [name, metres] of [
      ['5K', 5000],
      ['10K', 10_000],
    ] as const) {
      const want = raced(metres);
      const got = effort(d, name);
      expect(got).toMatchObject({ race: true, workoutId: await workoutIdOf(want.id), distance: metres / 1000 });
      const [h, m, s] = got.time.split(':').map(Number) as [number, number, number];
      expect(Math.abs(h * 3600 + m * 60 + s - want.secs) / want.secs).toBeLessThan(0.02);
      // Inside a longer activity: a warm-up before it, and more run after it.
      expect(got.startKm).toBeGreaterThan(1);
      expect(got.runKm!).toBeGreaterThan(metres / 1000 + got.startKm - 0.05);
    }
    expect(d.running.bestEfforts.map((e) => e.effort)).toEqual(expect.arrayContaining(['400 m', '1K', '1 mile', '5K', '10K', '5 min', '20 min', '60 min']));
  });

  it('makes no record from a GPS spike', async () => {
    const d = await doc();
    const spikyId = await workoutIdOf(spiky.activity.id);
    expect(d.running.bestEfforts.filter((e) => e.workoutId === spikyId)).toEqual([]);
    const stored = await t.db.selectFrom('workout_best_effort').select(['efforts', 'basis']).where('workout_id', '=', spikyId).executeTakeFirstOrThrow();
    const e400 = (stored.efforts as { label: string; timeSec: number }[]).find((e) => e.label === '400 m')!;
    // The easy run's own pace (≤ 0.8 × threshold speed), not 800 m in a second.
    expect(e400.timeSec).toBeGreaterThan(400 / (athlete.profile.thresholdPace * 0.85));
    expect(stored.basis).toBe('streams');
  });

  it('flags the 20-week gap with the last date and says how old the VDOT evidence is; empty weeks are one line', async () => {
    const d = await doc();
    const last = localDateIn(Date.parse(athlete.activities.at(-1)!.activity.start_date), tz);
    const gap = d.condition.flags.find((f) => f.code === 'training_gap');
    expect(gap?.message).toContain(`the last session was ${last}`);
    expect(d.history.consistency.daysSinceLastSession).toBeGreaterThan(130);
    const empty = d.history.weeks.filter((w) => w.sessions === 0 && !w.inProgress);
    expect(empty).toHaveLength(1);
    expect(empty[0]!.week).toMatch(/^2026-W\d\d…W4[89]$/);
    if (d.running.vdot !== null) expect(d.condition.flags.map((f) => f.code)).toContain('vdot_before_break');
  });

  it('measures each run once: stored efforts are reused until the source is fetched again', async () => {
    const raceId = await workoutIdOf(races.at(-1)!.activity.id);
    const runsInYear = runs.filter((r) => now.getTime() - Date.parse(r.activity.start_date) < 365 * 86_400_000).length;
    expect(Number((await t.db.selectFrom('workout_best_effort').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n)).toBe(runsInYear);
    // A marker in the stored row survives a rebuild: the build read it rather than measuring again.
    const marker = [{ label: '5K', kind: 'distance', distanceM: 5000, timeSec: 601, startSec: 0, startM: 0 }];
    await t.db.updateTable('workout_best_effort').set({ efforts: JSON.stringify(marker) }).where('workout_id', '=', raceId).execute();
    await build();
    expect(effort(await doc(), '5K')).toMatchObject({ workoutId: raceId, time: '0:10:01' });
    // Fetched again (as the fetch worker does on a new revision): measured again from the streams.
    const race = races.at(-1)!;
    const wire = streamsToWire(generateStreams(race.plan, race.profile, { latlng: false }), ['time', 'distance']);
    await upsertActivitySource(t.db, { athleteId, intervalsActivityId: race.activity.id, activity: race.activity, intervals: null, streams: wire, wellness: null });
    await build();
    expect(effort(await doc(), '5K').time).not.toBe('0:10:01');
  });
});
