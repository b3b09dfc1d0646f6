import { describe, it, expect } from '@jest/globals';
import { z } from 'zod';
import { loadConfig, ConfigError } from './load.js';
import * as env from './fragments.js';

describe('loadConfig', () => {
  const schema = z.object({ ...env.database, ...env.webhookSecret, ...env.encryption, ...env.ports.ingress });

  it('applies defaults and freezes', () => {
    const cfg = loadConfig(schema, {
      INTERVALS_WEBHOOK_SECRET: 'supersecret',
      TOKEN_ENCRYPTION_KEY: Buffer.alloc(32, 1).toString('base64'),
    });
    expect(cfg.DATABASE_URL).toBe('postgres://postgres@127.0.0.1:5432/splits');
    expect(cfg.INGRESS_PORT).toBe(3001);
    expect(Object.isFrozen(cfg)).toBe(true);
  });

  it('lists every bad key at once', () => {
    let err: unknown;
    try {
      loadConfig(schema, { INGRESS_PORT: 'abc', TOKEN_ENCRYPTION_KEY: 'short', INTERVALS_WEBHOOK_SECRET: '' });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    const keys = (err as ConfigError).issues.map((i) => i.key).sort();
    expect(keys).toEqual(['INGRESS_PORT', 'INTERVALS_WEBHOOK_SECRET', 'TOKEN_ENCRYPTION_KEY']);
    expect((err as Error).message).not.toContain('short');
  });
});
