import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { getThresholds, listActivityIdsBetween, listPaceModels, listPlannedEvents, setClassification } from '@splits/db';
import { createIntervalsClient } from '@splits/intervals';
import { enqueue, enqueueBulk, relayOutbox } from '@splits/queue';
import { closedQueues, generateAthlete, makeNewActivity, waitFor } from '@splits/testing';
import { processFetchActivity } from './fetch-activity.processor.js';
import { processPollAthlete } from './poll.processor.js';
import { startHarness, type Harness } from './test-harness.js';
import { syncPollSchedules } from './poll.processor.js';
import { localToday, addDays } from './context.js';

const NOW = new Date();
const athlete = generateAthlete({ seed: 21, intervalsAthleteId: 'i210021', weeks: 6, now: NOW });
let maxWaits = 3;
let h: Harness;
let athleteId: string;

beforeAll(async () => {
  h = await startHarness('fetchw', { maxWaits: () => maxWaits });
  athleteId = await h.addAthlete(athlete, { timezone: 'Europe/Berlin' });
});
afterAll(async () => h.close());

const workoutOf = (activityId: string) =>
  h.t.db
    .selectFrom('workout_record')
    .select(['id', 'rev', 'provisional', 'record', 'deleted_at', 'session_type'])
    .where('intervals_activity_id', '=', activityId)
    .executeTakeFirst();
const hoursAgo = (n: number) => new Date(Date.now() - n * 3600_000);
/** Enqueues as the services do, but keeps the finished job (the catalog removes some at once) so the test can read it. */
const run = async <N extends Parameters<typeof enqueue>[1]>(queue: N, payload: Parameters<typeof enqueue<N>>[2], opts: object = {}) =>
  finished(queue, await enqueue(h.queues, queue, payload, { removeOnComplete: { age: 600 }, jobId: `${queue}-t${++jobs}`, ...opts }));
let jobs = 0;
const finished = async (queue: Parameters<typeof enqueue>[1], jobId: string) =>
  waitFor(
    async () => {
      const j = await h.queues[queue].getJob(jobId);
      // Re-read after the state check: the first snapshot may predate the result.
      return j && ((await j.isCompleted()) || (await j.isFailed())) ? h.queues[queue].getJob(jobId) : null;
    },
    { what: `${queue} ${jobId} to finish`, timeoutMs: 20_000 },
  );

describe('fetch-activity', () => {
  it('waits for the analysis, then stores source, record and wellness and hands it to classify', async () => {
    const a = makeNewActivity(athlete, { kind: 'threshold', at: hoursAgo(5) });
    h.fake.addActivity(athlete.athleteId, a, { analysedAfterFetches: 2 });
    await enqueue(h.queues, 'fetch-activity', { athleteId, intervalsActivityId: a.id, reason: 'ACTIVITY_UPLOADED' });
    const w = await waitFor(() => workoutOf(a.id), { what: 'workout row' });
    expect(h.fake.fetchCount(a.id)).toBe(3); // two unanalysed reads, re-delayed, then the analysed one
    expect(w.provisional).toBe(false);
    const rec = w.record as Record<string, number | null>;
    expect(rec.fitness).toEqual(expect.any(Number));
    expect(rec.fatigue).toEqual(expect.any(Number));
    const src = await h.t.db.selectFrom('activity_source').select(['activity', 'streams', 'source_rev']).where('intervals_activity_id', '=', a.id).executeTakeFirstOrThrow();
    expect((src.activity as { id: string }).id).toBe(a.id);
    expect(src.source_rev).toEqual(expect.any(String));
    const cls = await h.queues.classify.getJob(`cls-${w.id}-${w.rev}`);
    expect(cls?.data).toMatchObject({ workoutId: w.id, rev: w.rev, notify: true });
  });

  it('stores the record as provisional when the analysis never arrives within the bound', async () => {
    maxWaits = 1;
    const a = makeNewActivity(athlete, { kind: 'easy', at: hoursAgo(30) });
    h.fake.addActivity(athlete.athleteId, a, { analysedAfterFetches: 50 });
    await enqueue(h.queues, 'fetch-activity', { athleteId, intervalsActivityId: a.id, reason: 'ACTIVITY_UPLOADED' });
    const w = await waitFor(() => workoutOf(a.id), { what: 'provisional workout' });
    maxWaits = 3;
    expect(w.provisional).toBe(true);
    expect((w.record as { fitness: unknown }).fitness).toBeNull();
    expect(h.fake.fetchCount(a.id)).toBe(2);
  });

  it('does no work for a revision it already has; a rename is a new revision that keeps the classification', async () => {
    const a = makeNewActivity(athlete, { kind: 'intervals', at: hoursAgo(54) });
    h.fake.addActivity(athlete.athleteId, a, { analysedAfterFetches: 0 });
    await run('fetch-activity', { athleteId, intervalsActivityId: a.id, reason: 'ACTIVITY_UPLOADED' });
    const first = (await workoutOf(a.id))!;
    // Pretend the classifier ran.
    await setClassification(h.t.db, first.id, first.rev, { sessionType: 'Interval', classification: { method: 'rules', confidence: 0.9, reason: '5 x 3 min' } });

    const again = await run('fetch-activity', { athleteId, intervalsActivityId: a.id, reason: 'ACTIVITY_UPDATED' });
    expect(again.returnvalue).toEqual({ skipped: 'unchanged' });
    expect((await workoutOf(a.id))!.rev).toBe(first.rev);

    a.activity.name = 'Renamed: 5 x 3 min';
    const renamed = await run('fetch-activity', { athleteId, intervalsActivityId: a.id, reason: 'ACTIVITY_UPDATED' });
    const w = (await workoutOf(a.id))!;
    expect(renamed.returnvalue).toMatchObject({ workoutId: first.id, rev: first.rev + 1 });
    expect((w.record as { activityName: string; sessionType: string }).activityName).toBe('Renamed: 5 x 3 min');
    expect(w.record).toMatchObject({ sessionType: 'Interval', classification: { reason: '5 x 3 min' } });
    // Same laps: no new classification (and so no second announcement), only a summary rebuild.
    expect(await h.queues.classify.getJob(`cls-${w.id}-${w.rev}`)).toBeUndefined();
    const rows = await h.t.db.selectFrom('workout').select('id').where('intervals_activity_id', '=', a.id).execute();
    expect(rows).toHaveLength(1);
  });

  it('an upload webhook for an activity a first poll already imported silently asks for its card; an edit does not', async () => {
    const a = makeNewActivity(athlete, { kind: 'easy', at: hoursAgo(3) });
    h.fake.addActivity(athlete.athleteId, a, { analysedAfterFetches: 0 });
    await run('fetch-activity', { athleteId, intervalsActivityId: a.id, reason: 'backfill' });
    const w = (await workoutOf(a.id))!;
    expect((await h.queues.classify.getJob(`cls-${w.id}-${w.rev}`))?.data.notify).toBe(false);
    const card = () => h.queues['notify-telegram'].getJob(`ntf-${w.id}-new`);
    // Not classified yet: the pending classify job announces it (it reads the upload from the inbox).
    expect((await run('fetch-activity', { athleteId, intervalsActivityId: a.id, reason: 'ACTIVITY_UPLOADED' })).returnvalue).toEqual({ skipped: 'unchanged' });
    expect(await card()).toBeUndefined();
    await setClassification(h.t.db, w.id, w.rev, { sessionType: 'Easy' });
    await run('fetch-activity', { athleteId, intervalsActivityId: a.id, reason: 'ACTIVITY_UPDATED' });
    expect(await card()).toBeUndefined();
    await run('fetch-activity', { athleteId, intervalsActivityId: a.id, reason: 'ACTIVITY_UPLOADED' });
    expect((await card())?.data).toMatchObject({ workoutId: w.id, kind: 'new' });
  });

  it('re-delays the job by a Retry-After longer than the client waits in-line, then completes', async () => {
    const a = makeNewActivity(athlete, { kind: 'easy', at: hoursAgo(78) });
    h.fake.addActivity(athlete.athleteId, a, { analysedAfterFetches: 0 });
    h.fake.failNext(new RegExp(`/activity/${a.id}$`), 429, { retryAfterSec: 1 });
    const t0 = Date.now();
    await enqueue(h.queues, 'fetch-activity', { athleteId, intervalsActivityId: a.id, reason: 'ACTIVITY_UPLOADED' });
    await waitFor(() => workoutOf(a.id), { what: 'workout after 429' });
    expect(Date.now() - t0).toBeGreaterThanOrEqual(1000);
    const statuses = h.fake.requests.filter((r) => r.path === `/api/v1/activity/${a.id}`).map((r) => r.status);
    expect(statuses.slice(0, 2)).toEqual([429, 200]);
  });

  it('ACTIVITY_DELETED and a 404 on re-fetch both remove the record from view', async () => {
    const a = makeNewActivity(athlete, { kind: 'easy', at: hoursAgo(100) });
    const b = makeNewActivity(athlete, { kind: 'easy', at: hoursAgo(101) });
    for (const x of [a, b]) {
      h.fake.addActivity(athlete.athleteId, x, { analysedAfterFetches: 0 });
      await run('fetch-activity', { athleteId, intervalsActivityId: x.id, reason: 'ACTIVITY_UPLOADED' });
    }
    await run('fetch-activity', { athleteId, intervalsActivityId: a.id, reason: 'ACTIVITY_DELETED' });
    expect((await workoutOf(a.id))!.deleted_at).toBeInstanceOf(Date);

    h.fake.deleteActivity(b.id);
    const job = await run('fetch-activity', { athleteId, intervalsActivityId: b.id, reason: 'ACTIVITY_UPDATED' });
    expect(await job.isCompleted()).toBe(true);
    expect((await workoutOf(b.id))!.deleted_at).toBeInstanceOf(Date);
  });

  it('records a Strava-sourced stub as unavailable with the reason, without a crash or a record', async () => {
    const a = makeNewActivity(athlete, { kind: 'easy', at: hoursAgo(120) });
    a.activity = { id: a.id, icu_athlete_id: athlete.athleteId, start_date_local: '2026-11-01T08:00:00', source: 'STRAVA', _note: 'STRAVA activities are not available via the API' } as never;
    h.fake.addActivity(athlete.athleteId, a, { analysedAfterFetches: 0 });
    const job = await run('fetch-activity', { athleteId, intervalsActivityId: a.id, reason: 'ACTIVITY_UPLOADED' });
    expect(job.returnvalue).toEqual({ skipped: 'unavailable' });
    const src = await h.t.db.selectFrom('activity_source').select('source_rev').where('intervals_activity_id', '=', a.id).executeTakeFirstOrThrow();
    expect(src.source_rev).toMatch(/^unavailable:strava/);
    expect(await workoutOf(a.id)).toBeUndefined();
  });

  it('a refused credential (401) marks the connection broken and stops, without retries', async () => {
    const other = generateAthlete({ seed: 22, intervalsAthleteId: 'i220022', weeks: 1, now: NOW });
    const otherId = await h.addAthlete(other);
    const a = makeNewActivity(other, { kind: 'easy', at: hoursAgo(3) });
    h.fake.addActivity(other.athleteId, a, { analysedAfterFetches: 0 });
    h.fake.failNext(new RegExp(`/activity/${a.id}$`), 401);
    const job = await run('fetch-activity', { athleteId: otherId, intervalsActivityId: a.id, reason: 'ACTIVITY_UPLOADED' });
    expect(await job.isFailed()).toBe(true);
    expect(job.attemptsMade).toBe(1);
    expect(job.failedReason).not.toMatch(/k-fetchw/);
    const conn = await h.t.db.selectFrom('intervals_connection').select(['status', 'status_reason']).where('athlete_id', '=', otherId).executeTakeFirstOrThrow();
    expect(conn).toEqual({ status: 'broken', status_reason: expect.stringContaining('401') });
    // Later work for the athlete stops at once, without calling Intervals.icu.
    const before = h.fake.requests.length;
    const next = await run('sync-settings', { athleteId: otherId }, { delay: 0 });
    expect(next.failedReason).toMatch(/connection is broken/);
    expect(h.fake.requests.length).toBe(before);
  });
});

describe('a fetch or backfill that failed for good', () => {
  const failedFor = (queue: 'fetch-activity' | 'backfill-athlete', jobId: string) =>
    waitFor(async () => (await h.queues[queue].getJob(jobId))?.isFailed(), { what: `${jobId} to use its attempts`, timeoutMs: 20_000 });

  it('does not swallow the next webhook for that activity: it runs and stores it, and the failure stays visible', async () => {
    const a = makeNewActivity(athlete, { kind: 'easy', at: hoursAgo(100) });
    h.fake.addActivity(athlete.athleteId, a, { analysedAfterFetches: 0 });
    const jobId = `act-${athleteId}-${a.id}`;
    // Intervals.icu answers 500 until the job's attempts run out (two here, with a short backoff).
    h.fake.failNext(new RegExp(`/activity/${a.id}$`), 500, { times: 1_000 });
    await enqueue(h.queues, 'fetch-activity', { athleteId, intervalsActivityId: a.id, reason: 'ACTIVITY_UPLOADED' }, { attempts: 2, backoff: { type: 'fixed', delay: 10 } });
    await failedFor('fetch-activity', jobId);
    expect(await workoutOf(a.id)).toBeUndefined();
    h.fake.reset();

    // The athlete edits the activity: the webhook's job is added the way the ingress adds it.
    await enqueueBulk(h.queues, 'fetch-activity', [{ payload: { athleteId, intervalsActivityId: a.id, reason: 'ACTIVITY_UPDATED' }, opts: { delay: 0 } }]);
    const w = await waitFor(() => workoutOf(a.id), { what: 'the workout from the later webhook' });
    expect(w.provisional).toBe(false);
    const failed = (await h.queues['fetch-activity'].getFailed()).filter((j) => j.id!.startsWith(`${jobId}-failed-`));
    expect(failed).toHaveLength(1);
    expect(failed[0]!.data.reason).toBe('ACTIVITY_UPLOADED');
  });

  it('does not swallow the next poll for that activity', async () => {
    const a = makeNewActivity(athlete, { kind: 'easy', at: hoursAgo(20) });
    h.fake.addActivity(athlete.athleteId, a, { analysedAfterFetches: 0 });
    // A permanent answer (422) fails the job at once, without spending its other attempts.
    h.fake.failNext(new RegExp(`/activity/${a.id}/streams`), 422);
    await enqueue(h.queues, 'fetch-activity', { athleteId, intervalsActivityId: a.id, reason: 'ACTIVITY_UPLOADED' }, { delay: 0 });
    await failedFor('fetch-activity', `act-${athleteId}-${a.id}`);
    await run('poll-athlete', { athleteId });
    await waitFor(() => workoutOf(a.id), { what: 'the workout from the next poll' });
  });

  it('a reconnect after a failed backfill imports the history', async () => {
    const b = generateAthlete({ seed: 43, intervalsAthleteId: 'i430043', weeks: 2, now: NOW });
    const bid = await h.addAthlete(b);
    const oldest = addDays(localToday('UTC'), -10);
    h.fake.failNext(new RegExp(`/athlete/${b.athleteId}/activities`), 500, { times: 1_000 });
    await enqueue(h.queues, 'backfill-athlete', { athleteId: bid, oldest }, { attempts: 2, backoff: { type: 'fixed', delay: 10 } });
    await failedFor('backfill-athlete', `bf-${bid}`);
    h.fake.reset();

    // As connect.service does when the athlete connects again.
    await enqueue(h.queues, 'backfill-athlete', { athleteId: bid, oldest });
    const done = await waitFor(async () => {
      const j = await h.queues['backfill-athlete'].getJob(`bf-${bid}`);
      return (await j?.isCompleted()) ? h.queues['backfill-athlete'].getJob(`bf-${bid}`) : null;
    }, { what: 'the second backfill', timeoutMs: 30_000 });
    const expected = b.activities.filter((a) => a.activity.start_date_local.slice(0, 10) >= oldest).length;
    expect(expected).toBeGreaterThan(0);
    expect(done!.returnvalue).toMatchObject({ phase: 'done', stored: expected });
    expect(await h.t.db.selectFrom('workout').select('id').where('athlete_id', '=', bid).execute()).toHaveLength(expected);
  }, 60_000);
});

describe('a record stored but not handed on (the process died or Redis refused after the commit)', () => {
  const job = { id: 'direct', updateData: async () => undefined, moveToDelayed: async () => undefined };

  it('is classified anyway: the retry finds the revision stored, the outbox relay queues its classify job', async () => {
    const a = makeNewActivity(athlete, { kind: 'threshold', at: hoursAgo(9) });
    h.fake.addActivity(athlete.athleteId, a, { analysedAfterFetches: 0 });
    const payload = { athleteId, intervalsActivityId: a.id, reason: 'ACTIVITY_UPLOADED', waits: 0 };
    const closed = await closedQueues();
    await expect(processFetchActivity(payload, job, undefined, { ...h.deps, queues: closed })).rejects.toThrow(/closed/i);
    await closed.close();
    const w = (await workoutOf(a.id))!;
    expect(w).toBeDefined();
    const cls = () => h.queues.classify.getJob(`cls-${w.id}-${w.rev}`);

    // The job's retry sees "revision already stored" and does nothing itself (before the outbox, that
    // left the workout unclassified, unannounced and out of the summary for good)...
    expect(await processFetchActivity(payload, job, undefined, h.deps)).toEqual({ skipped: 'unchanged' });
    expect(await cls()).toBeUndefined();
    // ...the classify job committed with the record, and the relay adds it (other work of this file
    // may be in flight, so at least one).
    expect(await relayOutbox({ db: h.t.db, queues: h.queues, log: h.deps.log, minAgeMs: 0 })).toBeGreaterThanOrEqual(1);
    expect((await cls())?.data).toEqual({ workoutId: w.id, rev: w.rev, notify: true });
    expect(await h.t.db.selectFrom('job_outbox').select('id').execute()).toEqual([]);
  });

  it('a poll that marked a workout deleted gets its summary rebuild from the outbox', async () => {
    const p = generateAthlete({ seed: 47, intervalsAthleteId: 'i470047', weeks: 1, now: NOW });
    const pid = await h.addAthlete(p);
    const opts = { lookbackDays: 3, reconcileDays: 7 };
    // Everything in the window stored: a poll then has nothing to fetch.
    await waitFor(async () => (await processPollAthlete({ athleteId: pid }, h.deps, opts)).changed === 0, { what: 'the window stored', timeoutMs: 20_000 });
    const [victim] = await listActivityIdsBetween(h.t.db, pid, new Date(Date.now() - 2 * 86_400_000), new Date());
    expect(victim).toBeDefined();
    h.fake.deleteActivity(victim!);
    const closed = await closedQueues();
    await expect(processPollAthlete({ athleteId: pid }, { ...h.deps, queues: closed }, opts)).rejects.toThrow(/closed/i);
    await closed.close();
    expect((await workoutOf(victim!))!.deleted_at).toBeInstanceOf(Date);
    const sum = () => h.queues['build-summary'].getDeduplicationJobId(`sum-${pid}`);
    await h.queues['build-summary'].obliterate({ force: true });
    // A retried poll no longer sees the workout as gone; the rebuild staged with the deletion remains.
    expect((await processPollAthlete({ athleteId: pid }, h.deps, opts)).deleted).toBe(0);
    expect(await sum()).toBeFalsy();
    expect(await relayOutbox({ db: h.t.db, queues: h.queues, log: h.deps.log, minAgeMs: 0 })).toBeGreaterThanOrEqual(1);
    expect(await sum()).toBeTruthy();
  }, 40_000);
});

describe('wellness, calendar, settings, scope', () => {
  it('sync-wellness stores the days Intervals.icu has, never a projected future day', async () => {
    const today = localToday('Europe/Berlin');
    const yesterday = addDays(today, -1);
    const future = addDays(today, 20);
    await run('sync-wellness', { athleteId, dates: [yesterday] }, { delay: 0 });
    await run('sync-wellness', { athleteId, dates: [future] }, { delay: 0 });
    const rows = await h.t.db.selectFrom('wellness_day').select(['date', 'data']).where('athlete_id', '=', athleteId).where('date', 'in', [yesterday, future]).execute();
    expect(rows.map((r) => r.date)).toEqual([yesterday]);
    expect((rows[0]!.data as { id: string }).id).toBe(yesterday);
  });

  it('sync-calendar makes the stored window equal the calendar: new events appear, deleted ones disappear', async () => {
    const client = createIntervalsClient({ baseUrl: h.fake.url, auth: { kind: 'api_key', secret: 'k-fetchw-1' } });
    const day = addDays(localToday('Europe/Berlin'), 2);
    const [ev] = await client.upsertEvents('0', [{ category: 'WORKOUT', type: 'Run', start_date_local: `${day}T00:00:00`, name: 'Tempo 3x10', external_id: 'splits-test-1', description: '- 10m Z2 HR' }]);
    await run('sync-calendar', { athleteId }, { delay: 0 });
    let rows = await listPlannedEvents(h.t.db, athleteId, day, day);
    expect(rows.map((r) => [r.intervals_event_id, r.name, r.external_id])).toContainEqual([String(ev!.id), 'Tempo 3x10', 'splits-test-1']);

    await client.deleteEvents('0', [{ id: ev!.id }]);
    await run('sync-calendar', { athleteId }, { delay: 0 });
    rows = await listPlannedEvents(h.t.db, athleteId, day, day);
    expect(rows.map((r) => r.intervals_event_id)).not.toContain(String(ev!.id));
  });

  it('sync-settings stores thresholds and zones that classification reads', async () => {
    h.fake.setSportSettings(athlete.athleteId, [
      { id: 11, types: ['Run', 'TrailRun'], lthr: 171, max_hr: 192, threshold_pace: 4.0, hr_zones: [140, 152, 160, 171, 180, 186, 192], pace_zones: [77.5, 87.7, 94.3, 100, 103.4, 111.5, 999] },
      { id: 12, types: ['Ride'], ftp: 265, lthr: 165, power_zones: [55, 75, 90, 105, 120, 150, 999] },
    ]);
    await run('sync-settings', { athleteId }, { delay: 0 });
    expect(await getThresholds(h.t.db, athleteId, 'TrailRun')).toMatchObject({ lthr: 171, maxHr: 192, thresholdPaceMps: 4.0, ftp: null, hrZones: [140, 152, 160, 171, 180, 186, 192] });
    expect(await getThresholds(h.t.db, athleteId, 'Ride')).toMatchObject({ ftp: 265, powerZones: [55, 75, 90, 105, 120, 150, 999] });
    expect(await getThresholds(h.t.db, athleteId, 'Swim')).toBeNull();
  });

  it('sync-pace-model stores Intervals.icu\'s critical-speed model once a day and asks for a recalibration when it moved', async () => {
    const curveRequests = () => h.fake.requests.filter((r) => r.path.includes('/pace-curves.json')).length;
    const before = curveRequests();
    const first = await run('sync-pace-model', { athleteId, reason: 'daily' }, { delay: 0 });
    expect(first.returnvalue).toMatchObject({ stored: true, changed: true });
    const models = await listPaceModels(h.t.db, athleteId, 'Run', '2000-01-01');
    expect(models).toEqual([expect.objectContaining({ fetchedOn: new Date().toISOString().slice(0, 10), criticalSpeed: expect.any(Number), r2: expect.any(Number) })]);
    // The fake fits the athlete's own 6 weeks: CS sits near their threshold pace.
    expect(models[0]!.criticalSpeed! / athlete.profile.thresholdPace).toBeGreaterThan(0.85);
    expect(models[0]!.criticalSpeed! / athlete.profile.thresholdPace).toBeLessThan(1.2);
    expect(await h.queues.recalibrate.getJobs(['waiting', 'delayed', 'active', 'completed'])).not.toHaveLength(0);
    // Once a day: a second daily read asks Intervals.icu nothing; after a hard session it reads again.
    const again = await run('sync-pace-model', { athleteId, reason: 'daily' }, { delay: 0 });
    expect(again.returnvalue).toEqual({ skipped: 'already read today' });
    expect(curveRequests()).toBe(before + 1);
    const hard = await run('sync-pace-model', { athleteId, reason: 'hard_session' }, { delay: 0 });
    expect(hard.returnvalue).toMatchObject({ stored: true, changed: false });
    expect(curveRequests()).toBe(before + 2);
  });

  it('APP_SCOPE_CHANGED applies the newest change; deauthorised forgets the token', async () => {
    const other = generateAthlete({ seed: 23, intervalsAthleteId: 'i230023', weeks: 1, now: NOW });
    const otherId = await h.addAthlete(other, { authKind: 'oauth' });
    const insert = async (key: string, payload: object) =>
      (await h.t.db
        .insertInto('webhook_inbox')
        .values({ dedupe_key: key, type: 'APP_SCOPE_CHANGED', intervals_athlete_id: other.athleteId, athlete_id: otherId, activity_id: null, status: 'accepted', payload: JSON.stringify(payload) })
        .returning('id')
        .executeTakeFirstOrThrow()).id;
    const first = await insert('scope-1', { athlete_id: other.athleteId, type: 'APP_SCOPE_CHANGED', scope: 'ACTIVITY:WRITE,WELLNESS:READ', deauthorized: false, client_id: 315 });
    await run('update-connection', { athleteId: otherId, inboxId: first });
    let conn = await h.t.db.selectFrom('intervals_connection').select(['status', 'scopes', 'credential_enc']).where('athlete_id', '=', otherId).executeTakeFirstOrThrow();
    expect(conn).toMatchObject({ status: 'active', scopes: 'ACTIVITY:WRITE,WELLNESS:READ' });

    const second = await insert('scope-2', { athlete_id: other.athleteId, type: 'APP_SCOPE_CHANGED', scope: '', deauthorized: true, client_id: 315 });
    await run('update-connection', { athleteId: otherId, inboxId: second });
    // The older event handled late changes nothing: the newest stored change wins.
    await run('update-connection', { athleteId: otherId, inboxId: `${first}` }, { jobId: `con-late-${first}` });
    conn = await h.t.db.selectFrom('intervals_connection').select(['status', 'scopes', 'credential_enc']).where('athlete_id', '=', otherId).executeTakeFirstOrThrow();
    expect(conn).toEqual({ status: 'revoked', scopes: '', credential_enc: '' });
  });
});

describe('polling and backfill', () => {
  it('a poll produces the work a webhook would, once per revision, and notices deletions', async () => {
    const p = generateAthlete({ seed: 31, intervalsAthleteId: 'i310031', weeks: 1, now: NOW });
    const pid = await h.addAthlete(p);
    const poll = async () => (await run('poll-athlete', { athleteId: pid })).returnvalue;
    const firstJob = await run('poll-athlete', { athleteId: pid });
    expect(firstJob.failedReason).toBeUndefined();
    const first = firstJob.returnvalue;
    expect(first.changed).toBeGreaterThan(0);
    expect(first.changed).toBe(first.listed);
    await waitFor(async () => {
      const n = await h.t.db.selectFrom('workout').select((eb) => eb.fn.countAll<string>().as('n')).where('athlete_id', '=', pid).executeTakeFirstOrThrow();
      return Number(n.n) === first.listed;
    }, { what: 'every polled activity stored', timeoutMs: 30_000 });

    const fetchesBefore = h.fake.requests.filter((r) => /^\/api\/v1\/activity\/[^/]+$/.test(r.path)).length;
    const second = await poll();
    expect(second.changed).toBe(0);
    const latest = await h.t.db.selectFrom('workout').select('intervals_activity_id').where('athlete_id', '=', pid).orderBy('start_date', 'desc').executeTakeFirstOrThrow();
    const newest = [latest.intervals_activity_id];
    expect(h.fake.deleteActivity(newest[0]!)).toBe(true);
    const fresh = makeNewActivity(p, { kind: 'easy', at: hoursAgo(1) });
    h.fake.addActivity(p.athleteId, fresh, { analysedAfterFetches: 0 });
    const third = await poll();
    expect(third).toMatchObject({ changed: 1, deleted: 1 });
    await waitFor(() => workoutOf(fresh.id), { what: 'the new activity' });
    // Only the new activity was read again.
    const fetchesAfter = h.fake.requests.filter((r) => /^\/api\/v1\/activity\/[^/]+$/.test(r.path)).length;
    expect(fetchesAfter - fetchesBefore).toBe(1);
    // History found by the first poll is imported silently; what a later poll finds is news.
    const w = (await workoutOf(fresh.id))!;
    const cls = await h.queues.classify.getJob(`cls-${w.id}-${w.rev}`);
    expect(cls?.data.notify).toBe(true);
    const old = await h.t.db.selectFrom('workout').select(['id', 'rev']).where('athlete_id', '=', pid).where('intervals_activity_id', '!=', fresh.id).executeTakeFirstOrThrow();
    expect((await h.queues.classify.getJob(`cls-${old.id}-${old.rev}`))?.data.notify).toBe(false);
    expect((await workoutOf(newest[0]!))!.deleted_at).toBeInstanceOf(Date);
    const conn = await h.t.db.selectFrom('intervals_connection').select(['poll_cursor', 'last_polled_at']).where('athlete_id', '=', pid).executeTakeFirstOrThrow();
    expect(conn.last_polled_at).toBeInstanceOf(Date);
    expect(conn.poll_cursor).toBeInstanceOf(Date);
  }, 60_000);

  it('a backfill imports activities, wellness and planned events with progress, without announcements; a repeat does only what is missing', async () => {
    const b = generateAthlete({ seed: 41, intervalsAthleteId: 'i410041', weeks: 8, now: NOW });
    const bid = await h.addAthlete(b, { timezone: 'America/New_York' });
    const oldest = addDays(localToday('America/New_York'), -42);
    const expected = b.activities.filter((a) => a.activity.start_date_local.slice(0, 10) >= oldest).length;
    const progress: Array<{ phase: string; done: number; total: number }> = [];
    const job = await h.queues['backfill-athlete'].add('backfill-athlete', { athleteId: bid, oldest }, { jobId: 'bf-test-1' });
    const poller = setInterval(async () => {
      const j = await h.queues['backfill-athlete'].getJob(job.id!);
      if (j?.progress && typeof j.progress === 'object') progress.push(j.progress as never);
    }, 50);
    const done = await finished('backfill-athlete', job.id!).finally(() => clearInterval(poller));
    expect(done.returnvalue).toMatchObject({ phase: 'done', total: expected, done: expected, stored: expected, skipped: 0 });
    expect(done.returnvalue.wellnessDays).toBeGreaterThanOrEqual(42);
    expect(progress.some((p) => p.phase === 'activities' && p.done > 0 && p.done < p.total) || progress.length > 0).toBe(true);
    const stored = await h.t.db.selectFrom('workout').select('id').where('athlete_id', '=', bid).execute();
    expect(stored).toHaveLength(expected);
    const classify = await h.queues.classify.getJobs(['waiting', 'delayed', 'prioritized']);
    const mine = classify.filter((j) => stored.some((s) => s.id === j.data.workoutId));
    expect(mine.length).toBe(expected);
    expect(mine.every((j) => j.data.notify === false)).toBe(true);

    const again = await h.queues['backfill-athlete'].add('backfill-athlete', { athleteId: bid, oldest }, { jobId: 'bf-test-2' });
    const r2 = await finished('backfill-athlete', again.id!);
    expect(r2.returnvalue).toMatchObject({ stored: 0, skipped: expected });
  }, 90_000);

  it('poll schedules follow the active connections', async () => {
    const r = await syncPollSchedules(h.deps, { pollEveryMs: 300_000, reconcileEveryMs: 3_600_000 });
    const schedulers = await h.queues['poll-athlete'].getJobSchedulers(0, -1);
    const active = await h.t.db.selectFrom('intervals_connection').select('athlete_id').where('status', '=', 'active').execute();
    expect(r.scheduled).toBe(active.length);
    expect(schedulers.map((s) => s.key ?? s.id).sort()).toEqual(active.map((a) => `poll-${a.athlete_id}`).sort());
    const every = Object.fromEntries(schedulers.map((s) => [s.key ?? s.id, s.every]));
    expect(Number(every[`poll-${athleteId}`])).toBe(300_000);
    // A second sync changes nothing (no extra immediate runs); a revoked connection loses its schedule.
    // (An upsert would move each scheduler's next run to now; untouched ones keep theirs.)
    const nextRuns = async () => Object.fromEntries((await h.queues['poll-athlete'].getJobSchedulers(0, -1)).map((s) => [s.key ?? s.id, s.next]));
    // Let the first, immediate runs finish: running moves a scheduler's next run on.
    await waitFor(async () => (await h.queues['poll-athlete'].getJobCountByTypes('waiting', 'active', 'prioritized')) === 0, { what: 'the first polls', timeoutMs: 30_000 });
    const before = await nextRuns();
    expect(await syncPollSchedules(h.deps, { pollEveryMs: 300_000, reconcileEveryMs: 3_600_000 })).toMatchObject({ removed: 0 });
    expect(await nextRuns()).toEqual(before);
    await h.t.db.updateTable('intervals_connection').set({ status: 'revoked' }).where('athlete_id', '=', athleteId).execute();
    expect(await syncPollSchedules(h.deps, { pollEveryMs: 300_000, reconcileEveryMs: 3_600_000 })).toMatchObject({ removed: 1 });
    await h.t.db.updateTable('intervals_connection').set({ status: 'active' }).where('athlete_id', '=', athleteId).execute();
  });
});
