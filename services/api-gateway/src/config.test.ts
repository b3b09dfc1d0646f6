import { describe, expect, it } from '@jest/globals';
import { ConfigError, loadConfig } from '@splits/config';
import { createLogger } from '@splits/telemetry';
import { TEST_ENCRYPTION_KEY, TEST_REDIS_URL, testQueuePrefix } from '@splits/testing';
import { GatewayConfigSchema } from './config.js';
import { openConnect } from './services/connect.service.js';

const issues = (env: Record<string, string>) => {
  try {
    loadConfig(GatewayConfigSchema, env);
    return [];
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as ConfigError).issues.map((i) => i.key);
  }
};

describe('gateway config: OAuth connect keys', () => {
  it('needs nothing when there is no OAuth app', () => {
    expect(issues({})).toEqual([]);
    expect(loadConfig(GatewayConfigSchema, {}).BACKFILL_WEEKS).toBe(26);
  });

  it('needs the client id and secret together, and the encryption key with them', () => {
    expect(issues({ INTERVALS_CLIENT_ID: '12', TOKEN_ENCRYPTION_KEY: TEST_ENCRYPTION_KEY })).toEqual(['INTERVALS_CLIENT_SECRET']);
    expect(issues({ INTERVALS_CLIENT_SECRET: 's' })).toEqual(['INTERVALS_CLIENT_ID']);
    expect(issues({ INTERVALS_CLIENT_ID: '12', INTERVALS_CLIENT_SECRET: 's' })).toEqual(['TOKEN_ENCRYPTION_KEY']);
    expect(issues({ INTERVALS_CLIENT_ID: '12', INTERVALS_CLIENT_SECRET: 's', TOKEN_ENCRYPTION_KEY: TEST_ENCRYPTION_KEY, TOKEN_ENCRYPTION_KEYS_OLD: 'old:short' })).toEqual([
      'TOKEN_ENCRYPTION_KEYS_OLD',
    ]);
  });

  it('takes an optional direct URL for the change feed, checked like DATABASE_URL', () => {
    expect(loadConfig(GatewayConfigSchema, {}).CHANGE_FEED_DATABASE_URL).toBeUndefined();
    expect(loadConfig(GatewayConfigSchema, { CHANGE_FEED_DATABASE_URL: 'postgres://splits@db:5432/splits' }).CHANGE_FEED_DATABASE_URL).toBe('postgres://splits@db:5432/splits');
    expect(issues({ CHANGE_FEED_DATABASE_URL: 'not a url' })).toEqual(['CHANGE_FEED_DATABASE_URL']);
  });

  it('has per-IP limits for sign-in codes and bad bearer tokens, positive integers', () => {
    expect(loadConfig(GatewayConfigSchema, {})).toMatchObject({ GATEWAY_LOGIN_LIMIT_PER_MIN: 10, GATEWAY_AUTH_FAILURE_LIMIT_PER_MIN: 20 });
    expect(loadConfig(GatewayConfigSchema, { GATEWAY_LOGIN_LIMIT_PER_MIN: '5' }).GATEWAY_LOGIN_LIMIT_PER_MIN).toBe(5);
    expect(issues({ GATEWAY_LOGIN_LIMIT_PER_MIN: '0', GATEWAY_AUTH_FAILURE_LIMIT_PER_MIN: 'many' })).toEqual(['GATEWAY_LOGIN_LIMIT_PER_MIN', 'GATEWAY_AUTH_FAILURE_LIMIT_PER_MIN']);
  });

  it('opens the connect deps only when configured, with the callback under PUBLIC_BASE_URL', async () => {
    const log = createLogger('api-gateway', 'silent');
    const db = {} as never;
    const queues = {} as never;
    expect(openConnect(loadConfig(GatewayConfigSchema, {}), db, log, queues)).toBeNull();

    const config = loadConfig(GatewayConfigSchema, {
      INTERVALS_CLIENT_ID: '12',
      INTERVALS_CLIENT_SECRET: 's',
      TOKEN_ENCRYPTION_KEY: TEST_ENCRYPTION_KEY,
      PUBLIC_BASE_URL: 'https://splits.example.com/',
      REDIS_URL: TEST_REDIS_URL,
      QUEUE_PREFIX: testQueuePrefix('gwcfg'),
      BACKFILL_WEEKS: '4',
    });
    const deps = openConnect(config, db, log, queues);
    expect(deps).toMatchObject({ clientId: '12', redirectUri: 'https://splits.example.com/connect/intervals/callback', backfillWeeks: 4, intervalsBaseUrl: 'https://intervals.icu' });
    expect(deps!.stateKey.equals(Buffer.from(TEST_ENCRYPTION_KEY, 'base64'))).toBe(false);
  });
});
