import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readDotEnv } from '@splits/config';
import { startFakeTelegram, type FakeTelegram } from '@splits/testing';
import { checkConfig } from './config-check.js';
import { init, InitError, renderEnv, type Ask } from './init.js';

let telegram: FakeTelegram;
let dir: string;
beforeAll(async () => {
  telegram = await startFakeTelegram();
  dir = mkdtempSync(join(tmpdir(), 'splits-init-'));
});
afterAll(async () => {
  await telegram.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A terminal that answers from a script and records what it was asked. */
function terminal(answers: string[]) {
  const asked: Array<{ question: string; secret: boolean }> = [];
  const ask: Ask = async (question, o) => {
    asked.push({ question, secret: Boolean(o?.secret) });
    if (!answers.length) throw new Error(`unexpected question: ${question}`);
    return answers.shift()!;
  };
  return { ask, asked };
}
const said: string[] = [];
const say = (l: string) => void said.push(l);
const file = (name: string) => join(dir, name);

describe('pnpm splits init', () => {
  it('on a terminal: asks again after a token Telegram refuses, then for the LLM, the OAuth app and the public address', async () => {
    const tty = terminal([
      '123:not-the-token',
      telegram.token,
      '',
      'client-7',
      'client-secret-7',
      '',
      'https://splits.example.com',
    ]);
    const r = await init({ envFile: file('tty.env'), force: false, given: { TELEGRAM_API_ROOT: telegram.url } }, tty.ask, say);
    expect(tty.asked.map((a) => [a.question.split(' ').slice(0, 3).join(' '), a.secret])).toEqual([
      ['Telegram bot token', true],
      ['Telegram bot token', true],
      ['OpenAI-compatible LLM API', false],
      ['Intervals.icu OAuth app', false],
      ['OAuth app client', true],
      ['Webhook Secret from', true],
      ['Public address of', false],
    ]);
    expect(said.some((l) => l.startsWith('Telegram does not know this bot token'))).toBe(true);
    expect(r).toMatchObject({ telegram: { username: telegram.bot.username }, llm: null, oauth: true, publicBaseUrl: 'https://splits.example.com' });
    const env = readDotEnv(file('tty.env'), {});
    expect(env).toMatchObject({
      TELEGRAM_BOT_TOKEN: telegram.token,
      TELEGRAM_BOT_USERNAME: telegram.bot.username,
      TELEGRAM_API_ROOT: telegram.url,
      INTERVALS_CLIENT_ID: 'client-7',
      INTERVALS_CLIENT_SECRET: 'client-secret-7',
      PUBLIC_BASE_URL: 'https://splits.example.com',
      DASHBOARD_USER: 'admin',
    });
    expect(env.INTERVALS_WEBHOOK_SECRET).toMatch(/^[\w-]{32}$/);
    expect(Buffer.from(env.TOKEN_ENCRYPTION_KEY!, 'base64')).toHaveLength(32);
    expect(env.DASHBOARD_PASSWORD!.length).toBeGreaterThanOrEqual(20);
    // Every service would start from it, the telegram-worker included.
    expect(checkConfig(env)).toMatchObject({ problems: [], services: expect.arrayContaining(['telegram-worker']) });
    expect(statSync(file('tty.env')).mode & 0o777).toBe(0o600);
    expect(telegram.calls.filter((c) => c.method === 'getMe')).toHaveLength(1);
  });

  it('without a terminal: takes what is given, asks nothing, and leaves the optional parts off', async () => {
    const r = await init({ envFile: file('plain.env'), force: false, given: {} }, null, say);
    expect(r).toMatchObject({ telegram: null, llm: null, oauth: false, generated: ['TOKEN_ENCRYPTION_KEY', 'INTERVALS_WEBHOOK_SECRET', 'DASHBOARD_PASSWORD'], kept: [] });
    expect(r.next).toEqual([
      `pnpm start --dotenv ${file('plain.env')}`,
      `pnpm splits --dotenv ${file('plain.env')} athlete add --intervals-athlete-id i123456 --api-key -`,
      `pnpm splits --dotenv ${file('plain.env')} token create <athleteId>`,
    ]);
    const env = readDotEnv(file('plain.env'), {});
    expect(env.TELEGRAM_BOT_TOKEN).toBe('');
    expect(checkConfig(env)).toMatchObject({ problems: [], services: expect.not.arrayContaining(['telegram-worker']) });

    const llm = await init(
      { envFile: file('llm.env'), force: false, given: { LLM_BASE_URL: 'http://127.0.0.1:9/v1', LLM_MODEL: 'small', LLM_API_KEY: 'llm-key-1' } },
      null,
      say,
    );
    expect(llm.llm).toEqual({ baseUrl: 'http://127.0.0.1:9/v1', model: 'small' });
    expect(readDotEnv(file('llm.env'), {})).toMatchObject({ LLM_BASE_URL: 'http://127.0.0.1:9/v1', LLM_MODEL: 'small', LLM_API_KEY: 'llm-key-1' });
  });

  it('refuses what would not start, and a token Telegram refuses, writing nothing', async () => {
    await expect(init({ envFile: file('half.env'), force: false, given: { INTERVALS_CLIENT_ID: 'c' } }, null, say)).rejects.toThrow(/INTERVALS_CLIENT_SECRET/);
    await expect(init({ envFile: file('half.env'), force: false, given: { LLM_BASE_URL: 'http://127.0.0.1:9/v1' } }, null, say)).rejects.toThrow(/LLM_MODEL/);
    const refused = init({ envFile: file('half.env'), force: false, given: { TELEGRAM_BOT_TOKEN: '123:wrong', TELEGRAM_API_ROOT: telegram.url } }, null, say);
    await expect(refused).rejects.toBeInstanceOf(InitError);
    await expect(refused).rejects.toMatchObject({ code: 'telegram' });
    const unreachable = init({ envFile: file('half.env'), force: false, given: { TELEGRAM_BOT_TOKEN: telegram.token, TELEGRAM_API_ROOT: 'http://127.0.0.1:9' } }, null, say);
    await expect(unreachable).rejects.toThrow(/Could not reach Telegram at http:\/\/127.0.0.1:9/);
    await expect(unreachable).rejects.not.toThrow(telegram.token);
    expect(() => statSync(file('half.env'))).toThrow();
  });

  it('never overwrites a .env without --force; with it keeps the key that opens stored credentials and the webhook secret', async () => {
    writeFileSync(file('old.env'), 'TOKEN_ENCRYPTION_KEY=b2xkLWtleS1vbGQta2V5LW9sZC1rZXktb2xkLWtleSE=\nINTERVALS_WEBHOOK_SECRET=pasted-into-manage-app\nLLM_MODEL=x\n');
    await expect(init({ envFile: file('old.env'), force: false, given: {} }, null, say)).rejects.toMatchObject({ code: 'exists' });
    expect(readFileSync(file('old.env'), 'utf8')).toContain('LLM_MODEL=x');

    const r = await init({ envFile: file('old.env'), force: true, given: {} }, null, say);
    expect(r).toMatchObject({ backup: file('old.env.bak'), kept: ['TOKEN_ENCRYPTION_KEY', 'INTERVALS_WEBHOOK_SECRET'], generated: ['DASHBOARD_PASSWORD'] });
    expect(readDotEnv(file('old.env'), {})).toMatchObject({
      TOKEN_ENCRYPTION_KEY: 'b2xkLWtleS1vbGQta2V5LW9sZC1rZXktb2xkLWtleSE=',
      INTERVALS_WEBHOOK_SECRET: 'pasted-into-manage-app',
    });
    expect(readFileSync(file('old.env.bak'), 'utf8')).toContain('LLM_MODEL=x');
    expect(statSync(file('old.env.bak')).mode & 0o777).toBe(0o600);
  });

  it('writes the example with the values filled in: each key once, commented keys uncommented, unknown keys appended', () => {
    const example = '# header\n\nA=\n# about B\n# B=default\nC=keep\n';
    expect(renderEnv({ A: '1', B: '2', D: '4' }, new Date('2026-12-06T10:00:00Z'), example)).toBe(
      [
        '# Written by `pnpm splits init` on 2026-12-06. It holds secrets: keep it private and out of git.',
        '# TOKEN_ENCRYPTION_KEY opens every stored Intervals.icu credential: back it up with this file; rotate it with `pnpm splits keys rotate`.',
        '',
        'A=1',
        '# about B',
        'B=2',
        'C=keep',
        '',
        'D=4',
        '',
      ].join('\n'),
    );
  });

  it('.env.example holds every key init writes', () => {
    const example = readFileSync(new URL('../../../.env.example', import.meta.url), 'utf8');
    for (const key of ['TOKEN_ENCRYPTION_KEY', 'INTERVALS_WEBHOOK_SECRET', 'DASHBOARD_USER', 'DASHBOARD_PASSWORD', 'PUBLIC_BASE_URL', 'TELEGRAM_BOT_TOKEN', 'TELEGRAM_BOT_USERNAME', 'TELEGRAM_API_ROOT', 'LLM_BASE_URL', 'LLM_MODEL', 'LLM_API_KEY', 'INTERVALS_CLIENT_ID', 'INTERVALS_CLIENT_SECRET']) {
      expect(example).toMatch(new RegExp(`^(# )?${key}=`, 'm'));
    }
  });
});
