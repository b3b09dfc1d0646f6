import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { sql } from 'kysely';
import { markReportWriteback, saveWorkoutReport, storeAthleteSummary, upsertWorkout } from '@splits/db';
import { enqueue, type Queues } from '@splits/queue';
import { closedQueues, generateAthlete, runRecord, waitFor, type FakeAthlete } from '@splits/testing';
import { processSweepReports, syncSweepReportsSchedule } from './sweep-reports.processor.js';
import { startHarness, type Harness } from './test-harness.js';

/**
 * The report sweep on a real database and Redis, with the fetch-worker's real write-report worker
 * behind it and the fake Intervals.icu as the activity's home.
 */
const GRACE_MS = 120_000;
let h: Harness;
let closed: Queues;
const now = new Date('2026-11-20T12:00:00Z');
const anna = generateAthlete({ seed: 43, intervalsAthleteId: 'i430043', weeks: 2, now });
const ben = generateAthlete({ seed: 44, intervalsAthleteId: 'i440044', weeks: 2, now });
const ids = new Map<FakeAthlete, string>();
const used = new Set<string>();

beforeAll(async () => {
  h = await startHarness('sweep', { sweepMinAgeMs: GRACE_MS });
  for (const a of [anna, ben]) ids.set(a, await h.addAthlete(a));
  closed = await closedQueues();
}, 60_000);
afterAll(async () => {
  await closed?.close();
  await h?.close();
});

const sweep = () => processSweepReports(h.deps, { minAgeMs: GRACE_MS });
/** A workout on an activity the fake Intervals.icu holds for this athlete. */
async function workout(a: FakeAthlete) {
  const activityId = String(a.activities.find((x) => !used.has(String(x.id)))!.id);
  used.add(activityId);
  const { id: workoutId } = await upsertWorkout(h.t.db, ids.get(a)!, { ...runRecord(activityId, '2026-11-19'), userReport: null });
  return { workoutId, activityId };
}
/** What the bot does first: the revision is saved in Postgres (its own transaction). */
const save = async (workoutId: string, text: string, ref: string) =>
  (await h.t.db.transaction().execute((trx) => saveWorkoutReport(trx, { workoutId, text, source: 'telegram', sourceRef: ref })))!;
/** Saved this long ago (past the grace period unless told otherwise). */
const age = (reportId: string, ms = GRACE_MS + 60_000) =>
  h.t.db.updateTable('workout_report').set({ created_at: sql`now() - make_interval(secs => ${ms / 1000})` }).where('id', '=', reportId).execute();
const status = async (reportId: string) =>
  (await h.t.db.selectFrom('workout_report').select('writeback_status').where('id', '=', reportId).executeTakeFirstOrThrow()).writeback_status;
const writeJob = (reportId: string, rev: number) => h.queues['write-report'].getJob(`rep-${reportId}-${rev}`);
const putsTo = (activityId: string) => h.fake.writes.filter((w) => w.method === 'PUT' && w.path === `/api/v1/activity/${activityId}`);
const summaryRequests = async (athleteId: string) =>
  (await h.queues['build-summary'].getJobs(['delayed', 'waiting', 'prioritized', 'active', 'completed'])).filter((j) => j.data.athleteId === athleteId);

describe('report sweep', () => {
  it('a report saved while Redis refused its job is written back by the sweep, exactly once', async () => {
    const athleteId = ids.get(anna)!;
    const { workoutId, activityId } = await workout(anna);
    const r = await save(workoutId, 'Tempo felt easy; HR drifted in the last 10 minutes.', 'tg-1-101');
    // The bot's second step fails: Redis refuses the job, so nothing is queued.
    await expect(enqueue(closed, 'write-report', { reportId: r.id, rev: r.revision })).rejects.toThrow(/closed/i);
    expect(await writeJob(r.id, r.revision)).toBeUndefined();

    // Inside the grace period the request that saved it may still be queueing it: left alone.
    expect(await sweep()).toEqual({ pending: 0, summaries: 0 });
    expect(await writeJob(r.id, r.revision)).toBeUndefined();

    await age(r.id);
    // Held while two sweeps (two ticks, or two replicas) both see the revision pending: one job.
    await h.queues['write-report'].pause();
    expect(await sweep()).toEqual({ pending: 1, summaries: 1 });
    expect(await sweep()).toEqual({ pending: 1, summaries: 1 });
    const queued = (await h.queues['write-report'].getJobs(['waiting', 'prioritized', 'delayed'])).filter((j) => j.data.reportId === r.id);
    expect(queued.map((j) => j.id)).toEqual([`rep-${r.id}-1`]);
    await h.queues['write-report'].resume();

    await waitFor(async () => (await status(r.id)) === 'written', { what: 'the write-back', timeoutMs: 20_000 });
    await waitFor(async () => (await writeJob(r.id, r.revision))?.isCompleted(), { what: 'the job to complete' });
    expect(h.fake.fetchCount(activityId)).toBe(1);
    expect(putsTo(activityId)).toHaveLength(1);
    expect(JSON.stringify(putsTo(activityId)[0]!.body)).toContain('Tempo felt easy; HR drifted in the last 10 minutes.');
    expect(await h.queues['notify-telegram'].getJob(`ntf-${workoutId}-report-saved-1`)).toBeTruthy();
    // The summary (none built yet) gets the rebuild the lost request would have asked for.
    expect((await summaryRequests(athleteId)).map((j) => j.data.reason)).toEqual(['report']);

    // Written: later sweeps leave it alone, and Intervals.icu hears nothing more.
    expect(await sweep()).toEqual({ pending: 0, summaries: 0 });
    expect(h.fake.fetchCount(activityId)).toBe(1);
    expect(putsTo(activityId)).toHaveLength(1);
  }, 40_000);

  it('re-queues only what is still pending: written, failed and superseded revisions stay as they are', async () => {
    const benId = ids.get(ben)!;
    // Decided revisions whose jobs are long gone from Redis (removeOnComplete/removeOnFail), so
    // only their status keeps them out of the sweep.
    const decided: Array<{ id: string; revision: number }> = [];
    for (const [i, outcome] of (['written', 'failed', 'superseded'] as const).entries()) {
      const { workoutId } = await workout(ben);
      const r = await save(workoutId, `Decided ${outcome}.`, `tg-2-${200 + i}`);
      await markReportWriteback(h.t.db, r.id, outcome, outcome === 'failed' ? 'HTTP 422 on /activity' : null);
      await age(r.id);
      decided.push(r);
    }
    // A control in the same sweep: pending and old enough, so it is queued. Ben's summary was
    // built after it was saved, so no rebuild is asked for.
    const { workoutId, activityId } = await workout(ben);
    const pending = await save(workoutId, 'Long run, fuelled every 30 minutes.', 'tg-2-299');
    await age(pending.id);
    await storeAthleteSummary(h.t.db, benId, { document: {}, contentHash: 'h-ben', sizeChars: 2, buildMs: 1, reason: 'manual' });

    expect(await sweep()).toEqual({ pending: 1, summaries: 0 });
    expect(await writeJob(pending.id, pending.revision)).toBeTruthy();
    for (const r of decided) expect(await writeJob(r.id, r.revision)).toBeUndefined();
    expect(await summaryRequests(benId)).toEqual([]);
    await waitFor(async () => (await status(pending.id)) === 'written', { what: 'the control write-back', timeoutMs: 20_000 });
    expect(putsTo(activityId)).toHaveLength(1);
    expect(await Promise.all(decided.map((r) => status(r.id)))).toEqual(['written', 'failed', 'superseded']);
  }, 40_000);

  it('skips athletes without an active connection until they reconnect', async () => {
    const benId = ids.get(ben)!;
    const { workoutId } = await workout(ben);
    const r = await save(workoutId, 'Intervals in the rain.', 'tg-3-301');
    await age(r.id);
    await h.t.db.updateTable('intervals_connection').set({ status: 'broken' }).where('athlete_id', '=', benId).execute();
    expect(await sweep()).toEqual({ pending: 0, summaries: 0 });
    expect(await writeJob(r.id, r.revision)).toBeUndefined();

    await h.t.db.updateTable('intervals_connection').set({ status: 'active' }).where('athlete_id', '=', benId).execute();
    expect(await sweep()).toMatchObject({ pending: 1 });
    expect(await writeJob(r.id, r.revision)).toBeTruthy();
    await waitFor(async () => (await status(r.id)) === 'written', { what: 'the write-back after reconnecting', timeoutMs: 20_000 });
  }, 40_000);

  it('runs from one job scheduler, whatever the number of replicas', async () => {
    const schedulers = () => h.queues['sweep-reports'].getJobSchedulers(0, -1);
    // Each replica syncs at start; only the first creates it, and the others do not move its next run.
    expect(await syncSweepReportsSchedule(h.queues, 60_000)).toBe(true);
    const first = await waitFor(async () => (await h.queues['sweep-reports'].getCompleted()).at(0), { what: 'the first scheduled sweep' });
    expect(first.returnvalue).toEqual({ pending: 0, summaries: 0 });
    const before = (await schedulers()).map((s) => [s.key ?? s.id, Number(s.every), s.next]);
    expect(before).toEqual([['sweep-reports', 60_000, expect.any(Number)]]);
    expect(await syncSweepReportsSchedule(h.queues, 60_000)).toBe(false);
    expect((await schedulers()).map((s) => [s.key ?? s.id, Number(s.every), s.next])).toEqual(before);
    // A new period replaces it.
    expect(await syncSweepReportsSchedule(h.queues, 30_000)).toBe(true);
    expect((await schedulers()).map((s) => [s.key ?? s.id, Number(s.every)])).toEqual([['sweep-reports', 30_000]]);
  }, 30_000);
});
