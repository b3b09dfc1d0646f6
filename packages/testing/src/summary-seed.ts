import type { IntervalsEvent } from '@splits/contracts';
import { createAthlete, saveAthleteProfile, upsertActivitySource, upsertPlannedEvents, upsertWellnessDay, upsertWorkout, type Db } from '@splits/db';
import { addDays, classifySession, localDateIn, normalizeActivity } from '@splits/training';
import { generateStreams, streamsToWire, type FakeAthlete } from './fakes/intervals/generator.js';
import { TEST_ENCRYPTION_KEY } from './util.js';

/** A profile as an athlete might write it (for summary tests and benchmarks). */
export const SAMPLE_PROFILE = {
  about: 'Runner since 2015, 38 years old. Left Achilles gets sore above 70 km/week.',
  goals: [
    { name: 'Berlin Marathon', date: '2026-09-27', distance: 'Marathon', target: 'sub 3:15', priority: 'A' as const, notes: null },
    { name: 'City 10K', date: '2026-06-14', distance: '10 km', target: 'sub 42:00', priority: 'B' as const, notes: 'tune-up race' },
  ],
  rules: ['No two hard days in a row', 'Max 5 runs a week', 'Long run on Sunday only'],
  strategy: 'Base until May (easy volume, strides), then threshold focus; marathon-specific block from July.',
};

/**
 * Stores a generated athlete the way the pipeline would: every activity as a workout record,
 * every wellness day, a few planned workouts around today and (optionally) a profile and each run's
 * source with its time and distance streams (what best efforts are measured on).
 */
export async function seedSummaryAthlete(db: Db, fake: FakeAthlete, opts: { profile?: boolean; runSources?: boolean } = {}): Promise<string> {
  const { id } = await createAthlete(db, Buffer.from(TEST_ENCRYPTION_KEY, 'base64'), {
    name: fake.profile.name,
    timezone: fake.profile.timezone,
    intervalsAthleteId: fake.athleteId,
    authKind: 'api_key',
    credential: 'k',
  });
  for (const a of fake.activities) {
    const activity = { ...a.activity, icu_intervals: a.icu_intervals, icu_groups: a.icu_groups } as never;
    const record = normalizeActivity({ activity });
    // Classified as the classify worker would (rules only), so session types are real.
    await upsertWorkout(db, id, { ...record, sessionType: classifySession(record, activity).sessionType });
    // The source behind a run, as the fetch worker keeps it, with the streams best efforts are measured on.
    if (opts.runSources && a.plan.sport === 'Run') {
      const streams = streamsToWire(generateStreams(a.plan, a.profile, { latlng: false }), ['time', 'distance']);
      await upsertActivitySource(db, { athleteId: id, intervalsActivityId: a.activity.id, activity: a.activity, intervals: { icu_intervals: a.icu_intervals, icu_groups: a.icu_groups }, streams, wellness: null });
    }
  }
  for (const w of fake.wellness) await upsertWellnessDay(db, id, w.id, w);
  const today = localDateIn(fake.now, fake.profile.timezone);
  const events: IntervalsEvent[] = [-10, -3, 0, 2, 4, 6].map((d, i) => ({
    id: 900_000 + i,
    start_date_local: `${addDays(today, d)}T00:00:00`,
    category: 'WORKOUT',
    type: 'Run',
    name: i % 2 ? 'Threshold 3x10 min' : 'Easy run',
    description: '- 15m Z1\n- 3x10m Z4 2m Z1\n- 10m Z1',
    moving_time: 3600,
    distance: 12000,
    icu_training_load: 70,
  }));
  await upsertPlannedEvents(db, id, events);
  if (opts.profile) await saveAthleteProfile(db, id, SAMPLE_PROFILE, { source: 'edit' });
  return id;
}
