import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFile, spawn } from 'node:child_process';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { createTestDatabase, dropQueuePrefix, startFakeTelegram, TEST_ENCRYPTION_KEY, TEST_REDIS_URL, testQueuePrefix, type TestDatabase } from '@splits/testing';
import { consumeLoginCode, createAthlete, findAthleteIdByToken, getIntervalsCredential, parseEncryptionKey, parseKeyring } from '@splits/db';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../../..', import.meta.url));
let t: TestDatabase;
// `athlete add` queues a backfill: keep it out of the machine's default queue namespace.
const prefix = testQueuePrefix('cli');

async function splits(args: string[], env: Record<string, string> = {}) {
  const { stdout } = await run('node', ['--import', 'tsx', 'packages/cli/src/main.ts', ...args], {
    cwd: root,
    env: { ...process.env, NODE_OPTIONS: '', DATABASE_URL: t.url, REDIS_URL: TEST_REDIS_URL, QUEUE_PREFIX: prefix, TOKEN_ENCRYPTION_KEY: TEST_ENCRYPTION_KEY, ...env },
  });
  return stdout;
}

/** The CLI with `input` piped to its standard input, as `printf %s "$KEY" | pnpm splits …` does. */
function splitsWithInput(args: string[], input: string, env: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('node', ['--import', 'tsx', 'packages/cli/src/main.ts', ...args], {
      cwd: root,
      env: { ...process.env, NODE_OPTIONS: '', DATABASE_URL: t.url, REDIS_URL: TEST_REDIS_URL, QUEUE_PREFIX: prefix, TOKEN_ENCRYPTION_KEY: TEST_ENCRYPTION_KEY, ...env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(input);
  });
}

beforeAll(async () => {
  t = await createTestDatabase('cli');
});
afterAll(async () => {
  await t.drop();
  await dropQueuePrefix(TEST_REDIS_URL, prefix);
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
    const exported = JSON.parse(await splits(['athlete', 'export', added.id]));
    expect(exported).toMatchObject({ athleteId: added.id, tables: { athlete: [{ id: added.id }], athlete_consent: [{ kind: 'privacy_notice', source: 'operator' }] } });
    expect(JSON.stringify(exported.tables)).not.toContain('k-secret-1');
    // Remove takes everything: rows (counted per table), the queued backfill, the token.
    const removed = JSON.parse(await splits(['athlete', 'remove', added.id, '--json']));
    expect(removed).toMatchObject({ athleteId: added.id, deleted: { athlete: 1, api_token: 1, telegram_link: 1 }, intervalsAccess: 'api_key_stays_valid' });
    expect(removed.jobsRemoved).toBeGreaterThanOrEqual(1);
    expect(await findAthleteIdByToken(t.db, tok.token)).toBeNull();
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

  it('athlete add reads the API key from standard input (--api-key -), so it never sits on the command line', async () => {
    const KEY = 'k-stdin-5f0d9c1e';
    const args = ['athlete', 'add', '--intervals-athlete-id', 'i6161', '--api-key', '-', '--no-backfill', '--json'];
    expect(args.join(' ')).not.toContain(KEY);
    const r = await splitsWithInput(args, `${KEY}\n`);
    expect(r).toMatchObject({ code: 0, stderr: '' });
    const added = JSON.parse(r.stdout);
    expect(r.stdout).not.toContain(KEY);
    const row = await t.db.selectFrom('intervals_connection').select(['auth_kind', 'credential_enc']).where('athlete_id', '=', added.id).executeTakeFirstOrThrow();
    expect(row.auth_kind).toBe('api_key');
    expect(row.credential_enc).not.toContain(KEY);
    expect((await getIntervalsCredential(t.db, parseKeyring(TEST_ENCRYPTION_KEY), added.id))?.secret).toBe(KEY);

    // Nothing on standard input: a usage error, no athlete.
    const empty = await splitsWithInput(['athlete', 'add', '--intervals-athlete-id', 'i6162', '--api-key', '-', '--no-backfill', '--json'], '');
    expect(empty.code).toBe(2);
    expect(JSON.parse(empty.stderr).error.message).toContain('standard input');
    expect(await t.db.selectFrom('intervals_connection').select('athlete_id').where('intervals_athlete_id', '=', 'i6162').execute()).toEqual([]);
  }, 60_000);

  it('athlete add takes the credential from SPLITS_INTERVALS_API_KEY or SPLITS_INTERVALS_OAUTH_TOKEN when no option names one', async () => {
    const byKey = JSON.parse(await splits(['athlete', 'add', '--intervals-athlete-id', 'i6263', '--no-backfill', '--json'], { SPLITS_INTERVALS_API_KEY: 'k-env-77a1' }));
    const byToken = JSON.parse(await splits(['athlete', 'add', '--intervals-athlete-id', 'i6264', '--no-backfill', '--json'], { SPLITS_INTERVALS_OAUTH_TOKEN: 'tok-env-88b2' }));
    const keys = parseKeyring(TEST_ENCRYPTION_KEY);
    expect(await getIntervalsCredential(t.db, keys, byKey.id)).toMatchObject({ authKind: 'api_key', secret: 'k-env-77a1' });
    expect(await getIntervalsCredential(t.db, keys, byToken.id)).toMatchObject({ authKind: 'oauth', secret: 'tok-env-88b2' });
    // Both set is ambiguous: refused, not guessed.
    await expect(
      splits(['athlete', 'add', '--intervals-athlete-id', 'i6265', '--no-backfill'], { SPLITS_INTERVALS_API_KEY: 'a-key-1', SPLITS_INTERVALS_OAUTH_TOKEN: 'a-tok-1' }),
    ).rejects.toMatchObject({ code: 2 });
  }, 60_000);

  it('rejects a bad command with a usage error and exit code 2', async () => {
    await expect(splits(['athlete', 'add', '--intervals-athlete-id', 'nope', '--api-key', 'x'])).rejects.toMatchObject({ code: 2 });
  }, 30_000);

  it('keys rotate re-encrypts every credential under the new key, is idempotent, and names a connection no key opens', async () => {
    const NEW = Buffer.alloc(32, 42).toString('base64');
    const added = JSON.parse(await splits(['athlete', 'add', '--intervals-athlete-id', 'i5151', '--api-key', 'k-rotate-me', '--no-backfill', '--json']));
    const rotate = (env: Record<string, string>) => splits(['keys', 'rotate', '--batch-size', '1', '--json'], { TOKEN_ENCRYPTION_KEY: NEW, ...env });

    // Earlier tests in this file may have left athletes: every connection counts.
    const n = (await t.db.selectFrom('intervals_connection').select('athlete_id').where('credential_enc', '!=', '').execute()).length;
    const first = JSON.parse(await rotate({ TOKEN_ENCRYPTION_KEYS_OLD: TEST_ENCRYPTION_KEY }));
    expect(first).toEqual({
      keyId: parseKeyring(NEW).current.kid,
      total: n,
      rotated: n,
      current: 0,
      empty: 0,
      columns: {
        'intervals_connection.credential_enc': { total: n, rotated: n, current: 0, empty: 0 },
        'oauth_client.secret_enc': { total: 0, rotated: 0, current: 0, empty: 0 },
      },
    });
    expect((await getIntervalsCredential(t.db, parseKeyring(NEW), added.id))?.secret).toBe('k-rotate-me');
    // Idempotent, and the old key is no longer needed.
    expect(JSON.parse(await rotate({}))).toMatchObject({ rotated: 0, current: n });

    const stray = await createAthlete(t.db, parseEncryptionKey(Buffer.alloc(32, 43).toString('base64')), {
      intervalsAthleteId: 'i5152', authKind: 'oauth', credential: 'stray-secret-token',
    });
    const failed = await rotate({}).then(() => null, (e: { code: number; stderr: string; stdout: string }) => e);
    expect(failed?.code).toBe(1);
    const body = JSON.parse(failed!.stderr);
    expect(body.error.code).toBe('unknown_key');
    expect(body.error.message).toContain(stray.id);
    expect(body.error.message).toContain('i5152');
    expect(failed!.stderr + failed!.stdout).not.toContain('stray-secret-token');
  }, 60_000);
  it('telegram link: the configured bot, else the one getMe names; with neither it says what to set and issues no code', async () => {
    const tg = await startFakeTelegram();
    try {
      const { id } = await createAthlete(t.db, parseEncryptionKey(TEST_ENCRYPTION_KEY), { intervalsAthleteId: 'i17017', authKind: 'api_key', credential: 'k' });
      const codes = async () => Number((await t.db.selectFrom('telegram_link_code').select((eb) => eb.fn.countAll().as('n')).where('athlete_id', '=', id).executeTakeFirstOrThrow()).n);
      const noBot = { TELEGRAM_BOT_USERNAME: '', TELEGRAM_BOT_TOKEN: '' };

      const named = JSON.parse(await splits(['telegram', 'link', id, '--json'], { ...noBot, TELEGRAM_BOT_USERNAME: '@my_splits_bot' }));
      expect(named.link).toMatch(/^https:\/\/t\.me\/my_splits_bot\?start=[A-Za-z0-9_-]{8,64}$/);
      const asked = JSON.parse(await splits(['telegram', 'link', id, '--json'], { ...noBot, TELEGRAM_BOT_TOKEN: tg.token, TELEGRAM_API_ROOT: tg.url }));
      expect(asked.link).toMatch(new RegExp(`^https://t\\.me/${tg.bot.username}\\?start=`));
      expect(tg.calls.filter((c) => c.method === 'getMe')).toHaveLength(1);
      expect(await codes()).toBe(2);

      const neither = await splitsWithInput(['telegram', 'link', id], '', noBot);
      expect(neither.code).toBe(1);
      expect(neither.stderr).toContain('set TELEGRAM_BOT_USERNAME');
      expect(neither.stdout).not.toContain('t.me');
      const refused = await splitsWithInput(['telegram', 'link', id], '', { ...noBot, TELEGRAM_BOT_TOKEN: '42:NotTheFakesToken', TELEGRAM_API_ROOT: tg.url });
      expect(refused.code).toBe(1);
      expect(refused.stderr).toMatch(/does not know this bot token[\s\S]*Set TELEGRAM_BOT_USERNAME/);
      expect(refused.stderr).not.toContain('NotTheFakesToken');
      expect(await codes()).toBe(2);
    } finally {
      await tg.close();
    }
  }, 60_000);
});
