import { describe, expect, it } from '@jest/globals';
import { readdirSync, readFileSync } from 'node:fs';
import { parse } from 'yaml';

// docker-compose cannot run on these machines (no Docker engine); this checks what can be checked.
describe('docker-compose.yml', () => {
  const compose = parse(readFileSync(new URL('../docker-compose.yml', import.meta.url), 'utf8'), { merge: true }) as {
    services: Record<string, { environment?: Record<string, string>; build?: { args?: { SERVICE?: string } }; image?: string }>;
  };

  it('names every service folder, plus Postgres and Redis', () => {
    const folders = readdirSync(new URL('../services', import.meta.url));
    for (const f of folders) expect(Object.keys(compose.services)).toContain(f);
    expect(Object.keys(compose.services)).toEqual(expect.arrayContaining(['postgres', 'redis']));
  });

  it('points every app service at the compose Postgres and Redis', () => {
    for (const f of readdirSync(new URL('../services', import.meta.url))) {
      const env = compose.services[f]!.environment ?? {};
      expect(env.DATABASE_URL).toMatch(/@postgres:5432\//);
      expect(env.REDIS_URL).toBe('redis://redis:6379');
      expect(compose.services[f]!.build?.args?.SERVICE).toBe(f);
    }
  });
});
