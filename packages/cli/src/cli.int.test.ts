import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { createTestDatabase, TEST_ENCRYPTION_KEY, type TestDatabase } from '@splits/testing';
import { consumeLoginCode, findAthleteIdByToken } from '@splits/db';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../../..', import.meta.url));
let t: TestDatabase;

async function splits(args: string[]) {
  const { stdout } = await run('node', ['--import', 'tsx', 'packages/cli/src/main.ts', ...args], {
    cwd: root,
    env: { ...process.env, NODE_OPTIONS: '', DATABASE_URL: t.url, TOKEN_ENCRYPTION_KEY: TEST_ENCRYPTION_KEY },
  });
  return stdout;
}

beforeAll(async () => {
  t = await createTestDatabase('cli');
});
afterAll(async () => {
  await t.drop();
});

describe('pnpm splits', () => {
  it('adds and lists an athlete, issues a token that resolves to it, removes it', async () => {
    const added = JSON.parse(await splits(['athlete', 'add', '--intervals-athlete-id', 'i4242', '--api-key', 'k-secret-1', '--telegram-chat-id', '777', '--json']));
    expect(added.id).toMatch(/^ath_/);
    const list = JSON.parse(await splits(['athlete', 'list', '--json']));
    expect(list).toEqual([expect.objectContaining({ id: added.id, intervalsAthleteId: 'i4242', auth: 'api_key', telegramChatId: '777' })]);
    expect(JSON.stringify(list)).not.toContain('k-secret-1');
    const tok = JSON.parse(await splits(['token', 'create', added.id, '--json']));
    expect(await findAthleteIdByToken(t.db, tok.token)).toBe(added.id);
    await splits(['athlete', 'remove', added.id]);
    expect(JSON.parse(await splits(['athlete', 'list', '--json']))).toEqual([]);
  }, 60_000);

  it('issues a one-time sign-in code and lists and revokes gateway tokens', async () => {
    const added = JSON.parse(await splits(['athlete', 'add', '--intervals-athlete-id', 'i4343', '--api-key', 'k-secret-2', '--json']));
    const { code } = JSON.parse(await splits(['login-code', added.id, '--json']));
    expect(code).toMatch(/^[A-Z2-9]{5}-[A-Z2-9]{5}$/);
    expect(await consumeLoginCode(t.db, code)).toBe(added.id);
    expect(await consumeLoginCode(t.db, code)).toBeNull();
    const tok = JSON.parse(await splits(['token', 'create', added.id, '--json']));
    expect(JSON.parse(await splits(['token', 'list', added.id, '--json']))).toEqual([expect.objectContaining({ id: tok.id, revoked: false })]);
    await splits(['token', 'revoke', added.id, tok.id]);
    expect(await findAthleteIdByToken(t.db, tok.token)).toBeNull();
  }, 60_000);

  it('rejects a bad command with a usage error and exit code 2', async () => {
    await expect(splits(['athlete', 'add', '--intervals-athlete-id', 'nope', '--api-key', 'x'])).rejects.toMatchObject({ code: 2 });
  }, 30_000);
});
