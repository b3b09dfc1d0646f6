/**
 * Fake Intervals.icu as its own process. Prints its base URL (INTERVALS_API_BASE_URL) on stdout;
 * the generated athletes and their API keys go to stderr as JSON.
 *   PORT (0 = any free port), FAKE_SEEDS=1,2 (one athlete per seed), FAKE_WEEKS=26,
 *   FAKE_API_KEY (key of the first athlete; others get key-<athleteId>), FAKE_ANALYSED_AFTER_FETCHES,
 *   FAKE_OAUTH_CLIENT_ID / FAKE_OAUTH_CLIENT_SECRET (the OAuth app; the first athlete approves /oauth/authorize)
 */
import { generateAthlete } from '../fakes/intervals/generator.js';
import { startFakeIntervals } from '../fakes/intervals/server.js';

const env = process.env;
const fetches = env.FAKE_ANALYSED_AFTER_FETCHES ? Number(env.FAKE_ANALYSED_AFTER_FETCHES) : undefined;
const fake = await startFakeIntervals({
  port: Number(env.PORT ?? 0),
  host: env.HOST ?? '127.0.0.1',
  analysedAfterFetches: fetches,
  oauth: { clientId: env.FAKE_OAUTH_CLIENT_ID, clientSecret: env.FAKE_OAUTH_CLIENT_SECRET },
});
const seeds = (env.FAKE_SEEDS ?? '1').split(',').map(Number);
const athletes = seeds.map((seed, i) => {
  const athlete = generateAthlete({ seed, weeks: Number(env.FAKE_WEEKS ?? 26) });
  const apiKey = i === 0 && env.FAKE_API_KEY ? env.FAKE_API_KEY : `key-${athlete.athleteId}`;
  fake.addAthlete(athlete, { apiKey });
  return { athleteId: athlete.athleteId, apiKey, activities: athlete.activities.length };
});
process.stdout.write(`${fake.url}\n`);
process.stderr.write(`${JSON.stringify({ fake: 'intervals', url: fake.url, athletes })}\n`);

const stop = () => void fake.close().then(() => process.exit(0));
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
