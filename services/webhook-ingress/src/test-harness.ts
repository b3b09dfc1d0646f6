import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import type { Redis } from 'ioredis';
import { createAthlete, parseEncryptionKey, type Db } from '@splits/db';
import { createQueues, createRedis, type Queues } from '@splits/queue';
import { createLogger, type Logger } from '@splits/telemetry';
import { createTestDatabase, TEST_ENCRYPTION_KEY, TEST_REDIS_URL, testQueuePrefix, type TestDatabase } from '@splits/testing';
import { buildApp, type AppDeps } from './app.js';

export const SECRET = 'ingress-test-secret-7f3a9c';
export const INTERVALS_ATHLETE_ID = 'i317960';

/** Captures every log line the app writes, to assert what never appears in them. */
export function memoryLogger(): { log: Logger; lines: string[] } {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk, _enc, done) {
      lines.push(String(chunk));
      done();
    },
  });
  return { log: createLogger('webhook-ingress', 'trace', sink), lines };
}

export interface Harness {
  t: TestDatabase;
  db: Db;
  redis: Redis;
  queues: Queues;
  prefix: string;
  athleteId: string;
  log: Logger;
  logLines: string[];
  app: FastifyInstance;
  /** Another app on the same database and queues, e.g. with a counting batcher. */
  build(overrides?: Partial<AppDeps>): Promise<FastifyInstance>;
  close(): Promise<void>;
}

/** One database and one queue prefix per test file, an athlete, and the app (fastify demo's test/helper.ts). */
export async function startHarness(label: string, opts: { redisUrl?: string } = {}): Promise<Harness> {
  const t = await createTestDatabase(label);
  const prefix = testQueuePrefix(label);
  const redis = createRedis(opts.redisUrl ?? TEST_REDIS_URL, { failFast: true });
  const queues = createQueues(redis, prefix);
  const { log, lines } = memoryLogger();
  const { id: athleteId } = await createAthlete(t.db, parseEncryptionKey(TEST_ENCRYPTION_KEY), {
    intervalsAthleteId: INTERVALS_ATHLETE_ID,
    authKind: 'oauth',
    credential: 'oauth-access-token',
  });
  const apps: FastifyInstance[] = [];
  const build = async (overrides: Partial<AppDeps> = {}) => {
    const app = buildApp({ db: t.db, queues, redis, log, secret: SECRET, fetchDelayMs: 60_000, ...overrides });
    apps.push(app);
    await app.ready();
    return app;
  };
  const app = await build();
  return {
    t,
    db: t.db,
    redis,
    queues,
    prefix,
    athleteId,
    log,
    logLines: lines,
    app,
    build,
    async close() {
      for (const a of apps) await a.close();
      await queues.close();
      if (redis.status === 'ready') {
        const keys = await redis.keys(`${prefix}:*`);
        if (keys.length > 0) await redis.del(...keys);
      }
      await redis.quit().catch(() => redis.disconnect());
      await t.drop();
    },
  };
}

let seq = 0;
/** An ACTIVITY_UPLOADED delivery shaped like reference §1.6 A. */
export function uploadedBody(activityId = `i${140_000_000 + ++seq}`, opts: { athlete?: string; secret?: string } = {}) {
  return {
    secret: opts.secret ?? SECRET,
    events: [
      {
        athlete_id: opts.athlete ?? INTERVALS_ATHLETE_ID,
        type: 'ACTIVITY_UPLOADED',
        timestamp: '2026-04-16T07:40:42.089+00:00',
        activity: { id: activityId, start_date_local: '2026-04-16T09:02:09', type: 'Run', distance: 4497.53, moving_time: 2179 },
      },
    ],
  };
}
