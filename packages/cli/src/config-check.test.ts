import { describe, expect, it } from '@jest/globals';
import { TEST_ENCRYPTION_KEY } from '@splits/testing';
import { checkConfig, formatProblems, SERVICE_CONFIG } from './config-check.js';

const WHOLE = {
  INTERVALS_WEBHOOK_SECRET: 'webhook-secret-1',
  TOKEN_ENCRYPTION_KEY: TEST_ENCRYPTION_KEY,
  DASHBOARD_USER: 'admin',
  DASHBOARD_PASSWORD: 'dash-password-1',
};
const TELEGRAM = { TELEGRAM_BOT_TOKEN: '123:abc' };
const keysOf = (env: Record<string, string>) => checkConfig(env).problems.map((p) => p.key);

describe('pnpm start: the config check before anything starts', () => {
  it('names every missing key of every service at once, each with the service that needs it, and starts nothing', () => {
    const plan = checkConfig({});
    expect(plan.services).toEqual([]);
    expect(plan.problems).toEqual([
      { key: 'DASHBOARD_PASSWORD', reasons: [{ message: 'missing', services: ['dashboard'] }], fix: expect.any(String) },
      { key: 'DASHBOARD_USER', reasons: [{ message: 'missing', services: ['dashboard'] }], fix: expect.any(String) },
      { key: 'INTERVALS_WEBHOOK_SECRET', reasons: [{ message: 'missing', services: ['webhook-ingress'] }], fix: expect.any(String) },
      { key: 'TOKEN_ENCRYPTION_KEY', reasons: [{ message: 'missing', services: ['fetch-worker'] }], fix: expect.any(String) },
    ]);
  });

  it('one key wrong for several services is one problem naming them all', () => {
    const plan = checkConfig({ ...WHOLE, ...TELEGRAM, DATABASE_URL: 'not a url', REDIS_URL: 'nor this' });
    expect(plan.problems.map((p) => p.key)).toEqual(['DATABASE_URL', 'REDIS_URL']);
    const [db, redis] = plan.problems;
    expect(db!.reasons).toEqual([
      // The dashboard too: its overview counts the inbox backlog.
      { message: expect.any(String), services: ['webhook-ingress', 'fetch-worker', 'classify-worker', 'summary-worker', 'telegram-worker', 'api-gateway', 'dashboard', 'web'] },
    ]);
    expect(redis!.reasons[0]!.services).toEqual(Object.keys(SERVICE_CONFIG));
    const text = formatProblems(plan, { envFile: '.env', envFileExists: true });
    expect(text.split('\n').filter((l) => l.includes('DATABASE_URL'))).toHaveLength(1);
  });

  it('keeps different complaints about one key apart, and never shows a value', () => {
    const { TOKEN_ENCRYPTION_KEY: _k, ...noKey } = WHOLE;
    const oauth = checkConfig({ ...noKey, INTERVALS_CLIENT_ID: 'c1', INTERVALS_CLIENT_SECRET: 's1' }).problems;
    expect(oauth).toEqual([
      {
        key: 'TOKEN_ENCRYPTION_KEY',
        reasons: [
          { message: 'missing', services: ['fetch-worker'] },
          { message: expect.stringContaining('required for OAuth connect'), services: ['api-gateway'] },
        ],
        fix: expect.any(String),
      },
    ]);
    const plan = checkConfig({ ...WHOLE, TOKEN_ENCRYPTION_KEY: 'short-secret-value', INTERVALS_CLIENT_ID: 'c1', INTERVALS_CLIENT_SECRET: 'client-secret-value' });
    const key = plan.problems.find((p) => p.key === 'TOKEN_ENCRYPTION_KEY')!;
    expect(key.reasons.map((r) => r.services)).toEqual([['fetch-worker', 'api-gateway', 'web']]);
    const text = formatProblems(plan, { envFile: '.env', envFileExists: true });
    expect(text).not.toContain('short-secret-value');
    expect(text).not.toContain('client-secret-value');
  });

  it('with no .env the fix is `pnpm splits init`; with one, the file and the README', () => {
    const none = formatProblems(checkConfig({}, { initWouldFix: true }), { envFile: '.env', envFileExists: false });
    expect(none).toContain('There is no .env yet: `pnpm splits init` writes one');
    expect(none).toMatch(/TOKEN_ENCRYPTION_KEY +missing \(fetch-worker\)\n +fix: `pnpm splits init` writes it/);
    const some = formatProblems(checkConfig({}), { envFile: 'conf/.env', envFileExists: true });
    expect(some).toContain('Set them in conf/.env');
    expect(some).toContain('`pnpm splits init --dotenv conf/.env --force`');
    expect(some).toContain('openssl rand -base64 32');
  });

  it('a whole configuration starts every service; Telegram, an LLM and an OAuth app are each said once when off', () => {
    expect(checkConfig({ ...WHOLE, ...TELEGRAM, LLM_BASE_URL: 'http://127.0.0.1:1/v1', LLM_MODEL: 'm', INTERVALS_CLIENT_ID: 'c', INTERVALS_CLIENT_SECRET: 's' })).toEqual({
      services: Object.keys(SERVICE_CONFIG),
      problems: [],
      optional: [],
    });
    const bare = checkConfig(WHOLE);
    expect(bare.services).toEqual(['webhook-ingress', 'fetch-worker', 'classify-worker', 'summary-worker', 'api-gateway', 'dashboard', 'web']);
    expect(bare.optional).toHaveLength(3);
    expect(bare.optional[0]).toMatch(/^Telegram: off .*telegram-worker is not started/);
    expect(bare.optional[1]).toMatch(/^LLM: off .*rules only/);
    expect(bare.optional[2]).toMatch(/^Intervals.icu OAuth app: off .*API keys only/);
    // An empty value is unset, as in every service.
    expect(checkConfig({ ...WHOLE, TELEGRAM_BOT_TOKEN: '' }).services).not.toContain('telegram-worker');
  });

  it('half of an optional part is a problem, not silently off', () => {
    expect(keysOf({ ...WHOLE, TELEGRAM_BOT_TOKEN: 'nope' })).toEqual(['TELEGRAM_BOT_TOKEN']);
    expect(keysOf({ ...WHOLE, LLM_BASE_URL: 'http://127.0.0.1:1/v1' })).toEqual(['LLM_MODEL']);
    expect(keysOf({ ...WHOLE, LLM_API_KEY: 'k' })).toEqual(['LLM_BASE_URL']);
    expect(keysOf({ ...WHOLE, LLM_FALLBACK_MODEL: 'm' })).toEqual(['LLM_FALLBACK_BASE_URL']);
    expect(keysOf({ ...WHOLE, INTERVALS_CLIENT_ID: 'c' })).toEqual(['INTERVALS_CLIENT_SECRET']);
  });
});
