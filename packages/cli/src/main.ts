import { createInterface } from 'node:readline/promises';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { ConfigError, env, loadConfig, readDotEnv } from '@splits/config';
import { createDb, CredentialRotationError, ensureDatabase, migrateToLatest, parseKeyring } from '@splits/db';
import { createQueues, createRedis } from '@splits/queue';
import { createLogger } from '@splits/telemetry';
import * as cmd from './commands.js';
import { init, INIT_KEYS, InitError, SECRET_OPTIONS, type Ask, type InitKey } from './init.js';
import { CREDENTIAL_ENV, promptHidden, resolveCredential } from './secret-input.js';

const USAGE = `usage: pnpm splits <command> [--json] [--dotenv <path>]     (--dotenv: default .env)
  init [--force] [--no-prompt] [--telegram-bot-token <t>] [--llm-base-url <url> --llm-model <m> [--llm-api-key <k>]]
       [--intervals-client-id <id> --intervals-client-secret <s> [--intervals-webhook-secret <s>]]
       [--public-base-url <url>] [--dashboard-user <name>] [--telegram-api-root <url>]
              writes .env with generated secrets (never over an existing one without --force); asks on a terminal,
              otherwise takes the options or the same-named environment variables (TELEGRAM_BOT_TOKEN, LLM_API_KEY, …)
  athlete add --intervals-athlete-id <id> (--api-key - | --oauth-token -) [--telegram-chat-id <id>] [--name <name>] [--timezone <tz>]
              [--weeks <n>] [--no-backfill]        queues the import of the last n weeks (default 26)
              '-' reads the key from standard input (hidden prompt on a terminal); or set ${CREDENTIAL_ENV.apiKey}
              or ${CREDENTIAL_ENV.oauthToken} and give neither option. A key on the command line shows in ps.
  athlete list
  athlete remove <athleteId>                        deletes every row, queued job and grant of the athlete
  athlete export <athleteId>                        prints everything Splits holds for the athlete as one JSON document
  token create <athleteId> [--label <label>]      prints a gateway token once
  backfill <athleteId> [--weeks <n>] [--no-wait]  imports history with a progress bar (--json: one progress event per line)
  telegram link <athleteId>                        prints a one-time deep link (t.me/<bot>?start=<code>, 24 h); the bot is
                                                   TELEGRAM_BOT_USERNAME, else asked of Telegram (getMe) with TELEGRAM_BOT_TOKEN
  token list <athleteId>
  token revoke <athleteId> <tokenId>
  login-code <athleteId>                          one-time code for the OAuth sign-in page (15 min)
  jobs failed
  jobs retry <queue> <jobId> | jobs retry --all <queue>
  keys rotate [--batch-size <n>]                 re-encrypts every sealed column (SEALED_COLUMNS) under TOKEN_ENCRYPTION_KEY`;

const Schema = z.object({
  ...env.database,
  ...env.redis,
  ...env.encryption,
  ...env.intervals,
  /** `telegram link`: the bot's username, else asked of Telegram (getMe) with the token. */
  TELEGRAM_BOT_USERNAME: z.string().optional(),
  TELEGRAM_BOT_TOKEN: z.string().optional(),
  TELEGRAM_API_ROOT: env.telegram.TELEGRAM_API_ROOT,
  /** `athlete add` without --api-key / --oauth-token: the credential, kept off the command line. */
  [CREDENTIAL_ENV.apiKey]: z.string().optional(),
  [CREDENTIAL_ENV.oauthToken]: z.string().optional(),
});

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    json: { type: 'boolean', default: false },
    'intervals-athlete-id': { type: 'string' },
    'api-key': { type: 'string' },
    'oauth-token': { type: 'string' },
    'telegram-chat-id': { type: 'string' },
    name: { type: 'string' },
    timezone: { type: 'string' },
    label: { type: 'string' },
    weeks: { type: 'string', default: '26' },
    'no-backfill': { type: 'boolean', default: false },
    'no-wait': { type: 'boolean', default: false },
    'batch-size': { type: 'string' },
    dotenv: { type: 'string', default: '.env' },
    force: { type: 'boolean', default: false },
    all: { type: 'boolean', default: false },
    'no-prompt': { type: 'boolean', default: false },
    ...(Object.fromEntries(INIT_KEYS.map((k) => [optionOf(k), { type: 'string' }])) as Record<string, { type: 'string' }>),
    help: { type: 'boolean', short: 'h' },
  },
});

function print(result: unknown, human: () => string) {
  console.log(values.json ? JSON.stringify(result, null, 2) : human());
}

async function run(): Promise<number> {
  const [group, action, ...rest] = positionals;
  if (values.help || !group) {
    console.log(USAGE);
    return group ? 0 : 2;
  }
  if (group === 'init') return runInit();
  const config = loadConfig(Schema, readDotEnv(values.dotenv, process.env));
  await ensureDatabase(config.DATABASE_URL, undefined, { timeoutMs: config.DATABASE_BOOT_TIMEOUT_MS });
  const db = createDb(config.DATABASE_URL, { poolSize: 2, applicationName: 'splits-cli' });
  const needsQueues = group === 'jobs' || group === 'backfill' || (group === 'athlete' && (action === 'add' || action === 'remove'));
  const redis = needsQueues ? createRedis(config.REDIS_URL) : null;
  const queues = redis ? createQueues(redis, config.QUEUE_PREFIX) : undefined;
  const deps = {
    db,
    encryptionKey: parseKeyring(config.TOKEN_ENCRYPTION_KEY, config.TOKEN_ENCRYPTION_KEYS_OLD),
    queues,
    intervalsBaseUrl: config.INTERVALS_API_BASE_URL,
    // Warnings only (a grant that could not be disconnected), on stderr: stdout carries the answer.
    log: createLogger('splits-cli', 'warn', process.stderr),
  };
  try {
    await migrateToLatest(db);
    if (group === 'login-code') {
      const r = await cmd.loginCode(deps, need(action, 'athleteId'));
      print(r, () => `${r.code}\n(one-time sign-in code for the Splits authorize page; valid until ${r.expiresAt})`);
      return 0;
    }
    const key = group === 'backfill' ? 'backfill' : `${group} ${action ?? ''}`.trim();
    switch (key) {
      case 'athlete add': {
        const credential = await resolveCredential(
          { apiKey: values['api-key'], oauthToken: values['oauth-token'] },
          { apiKey: config[CREDENTIAL_ENV.apiKey], oauthToken: config[CREDENTIAL_ENV.oauthToken] },
          { stdin: process.stdin, stderr: process.stderr },
          (msg) => new cmd.UsageError(msg),
        );
        const r = await cmd.athleteAdd(deps, {
          intervalsAthleteId: values['intervals-athlete-id'] ?? '',
          apiKey: credential?.kind === 'apiKey' ? credential.value : undefined,
          oauthToken: credential?.kind === 'oauthToken' ? credential.value : undefined,
          telegramChatId: values['telegram-chat-id'],
          name: values.name,
          timezone: values.timezone,
        });
        const bf = values['no-backfill'] ? null : await cmd.backfillStart(deps, r.id, Number(values.weeks));
        print({ ...r, backfill: bf }, () =>
          [
            `added athlete ${r.id} (Intervals.icu ${r.intervalsAthleteId})`,
            bf ? `importing the last ${values.weeks} weeks (since ${bf.oldest}); follow with: pnpm splits backfill ${r.id}` : null,
          ]
            .filter(Boolean)
            .join('\n'),
        );
        return 0;
      }
      case 'backfill': {
        const athleteId = need(action, 'athleteId');
        const started = await cmd.backfillStart(deps, athleteId, Number(values.weeks));
        if (values.json) console.log(JSON.stringify({ event: 'queued', ...started }));
        else console.log(`${started.alreadyRunning ? 'following the running' : 'queued a'} backfill of ${athleteId} since ${started.oldest} (job ${started.jobId})`);
        if (values['no-wait']) return 0;
        const bar = progressBar();
        const end = await cmd.backfillFollow(deps, started.jobId, (p) => {
          if (values.json) console.log(JSON.stringify({ event: 'progress', ...p }));
          else bar.update(p);
        });
        bar.done();
        if (end.state === 'failed') {
          if (values.json) console.log(JSON.stringify({ event: 'failed', reason: end.failedReason }));
          else console.error(`backfill failed: ${end.failedReason}`);
          return 1;
        }
        const r = end.result;
        if (values.json) console.log(JSON.stringify({ event: 'completed', ...r }));
        else
          console.log(
            `done: ${r.total} activities (${r.stored ?? 0} stored, ${r.skipped ?? 0} already there, ${r.unavailable ?? 0} unavailable), ${r.wellnessDays ?? 0} wellness days, ${r.events ?? 0} planned events`,
          );
        return 0;
      }
      case 'athlete list': {
        const r = await cmd.athleteList(deps);
        print(r, () =>
          r.length === 0
            ? 'no athletes'
            : r.map((a) => `${a.id}  ${a.intervalsAthleteId}  ${a.auth}  ${a.status}  telegram:${a.telegramChatId ?? '-'}  ${a.name ?? ''}`).join('\n'),
        );
        return 0;
      }
      case 'athlete remove': {
        const r = await cmd.athleteRemove(deps, need(rest[0], 'athleteId'));
        print(r, () =>
          [
            `removed athlete ${r.athleteId} and all their data: ${Object.entries(r.deleted).map(([t, n]) => `${t} ${n}`).join(', ')}; ${r.jobsRemoved} queued jobs`,
            { revoked: 'Intervals.icu access: the OAuth grant was disconnected', api_key_stays_valid: 'Intervals.icu access: a personal API key stays valid until the athlete regenerates it in Intervals.icu settings', revoke_failed: 'Intervals.icu access: could not disconnect the OAuth grant; the athlete can remove Splits under Intervals.icu settings → Connected apps', none: '' }[r.intervalsAccess],
            `stays on Intervals.icu: ${r.staysOnIntervals.join('; ')}`,
          ]
            .filter(Boolean)
            .join('\n'),
        );
        return 0;
      }
      case 'athlete export': {
        await cmd.athleteExport(deps, need(rest[0], 'athleteId'), (chunk) => process.stdout.write(chunk));
        process.stdout.write('\n');
        return 0;
      }
      case 'token list': {
        const r = await cmd.tokenList(deps, need(rest[0], 'athleteId'));
        print(r, () => (r.length ? r.map((t) => `${t.id}  ${t.revoked ? 'revoked' : 'active '}  ${t.createdAt}  ${t.label ?? ''}`).join('\n') : 'no tokens'));
        return 0;
      }
      case 'token revoke': {
        const r = await cmd.tokenRevoke(deps, need(rest[0], 'athleteId'), need(rest[1], 'tokenId'));
        print(r, () => `revoked ${r.revoked}`);
        return 0;
      }
      case 'token create': {
        const r = await cmd.tokenCreate(deps, need(rest[0], 'athleteId'), values.label);
        print(r, () => `${r.token}\n(shown once; store it now — Splits keeps only its hash)`);
        return 0;
      }
      case 'telegram link': {
        const r = await cmd.telegramLink(deps, need(rest[0], 'athleteId'), { username: config.TELEGRAM_BOT_USERNAME, token: config.TELEGRAM_BOT_TOKEN, apiRoot: config.TELEGRAM_API_ROOT });
        print(r, () => `${r.link}\n(one-time; expires ${r.expiresAt.toISOString()})`);
        return 0;
      }
      case 'jobs failed': {
        const r = await cmd.jobsFailed(deps);
        print(r, () => (r.length ? r.map((j) => `${j.queue}  ${j.jobId}  attempts:${j.attemptsMade}  ${j.failedReason}`).join('\n') : 'no failed jobs'));
        return 0;
      }
      case 'jobs retry': {
        if (values.all) {
          const r = await cmd.jobsRetryAll(deps, need(rest[0], 'queue'));
          print(r, () => `retrying ${r.retried} failed job(s) of ${r.queue}`);
          return 0;
        }
        const r = await cmd.jobsRetry(deps, need(rest[0], 'queue'), need(rest[1], 'jobId'));
        print(r, () => `retrying ${r.queue} ${r.retried}`);
        return 0;
      }
      case 'keys rotate': {
        const r = await cmd.keysRotate(deps, {
          batchSize: values['batch-size'] === undefined ? undefined : Number(values['batch-size']),
          onBatch: (p) => values.json || console.error(`  ${p.total} rows checked, ${p.rotated} re-encrypted`),
        });
        print(r, () =>
          [
            `${r.rotated} sealed value(s) re-encrypted under key ${r.keyId}; ${r.current} already current, ${r.empty} empty (${r.total} rows)`,
            ...Object.entries(r.columns).map(([col, c]) => `  ${col}: ${c.rotated} re-encrypted, ${c.current} current, ${c.empty} empty`),
          ].join('\n'),
        );
        return 0;
      }
      default:
        throw new cmd.UsageError(`unknown command: ${key}`);
    }
  } finally {
    await queues?.close();
    redis?.disconnect();
    await db.destroy();
  }
}

function optionOf(key: InitKey): string {
  return key.toLowerCase().replaceAll('_', '-');
}

async function runInit(): Promise<number> {
  const opts = values as Record<string, string | boolean | undefined>;
  const given: Partial<Record<InitKey, string>> = {};
  for (const key of INIT_KEYS) {
    const flag = opts[optionOf(key)];
    if (typeof flag === 'string') {
      if (SECRET_OPTIONS[key] && flag) console.error(`warning: ${SECRET_OPTIONS[key]} <value> leaves the secret in ps and the shell history; prefer the prompt or ${key} in the environment`);
      given[key] = flag;
    } else if (process.env[key] !== undefined) given[key] = process.env[key];
  }
  const interactive = Boolean(process.stdin.isTTY && process.stderr.isTTY) && !values['no-prompt'];
  const ask: Ask = async (question, o) => {
    if (o?.secret) return promptHidden({ stdin: process.stdin, stderr: process.stderr }, question);
    const rl = createInterface({ input: process.stdin, output: process.stderr });
    try {
      return await rl.question(question);
    } finally {
      rl.close();
    }
  };
  const r = await init({ envFile: values.dotenv, force: values.force, given }, interactive ? ask : null, (line) => console.error(line));
  print(r, () =>
    [
      `Wrote ${r.envFile} (readable by you only)${r.backup ? `; the old one is ${r.backup}` : ''}.`,
      r.generated.length ? `  generated: ${r.generated.join(', ')}` : null,
      r.kept.length ? `  kept from the old file: ${r.kept.join(', ')} (stored credentials and Intervals.icu depend on them)` : null,
      `  Telegram: ${r.telegram ? `@${r.telegram.username} (token checked with getMe; TELEGRAM_BOT_USERNAME set for deep links)` : 'off, telegram-worker will not run'}`,
      `  LLM: ${r.llm ? `${r.llm.model} at ${r.llm.baseUrl}` : 'off, classification by rules only'}`,
      `  Intervals.icu OAuth app: ${
        r.oauth
          ? `on; on its Manage App page register the redirect ${r.publicBaseUrl}/connect/intervals/callback, and as Webhook Secret the INTERVALS_WEBHOOK_SECRET in ${r.envFile}`
          : 'off, athletes connect with their API keys'
      }`,
      `  dashboard: sign in as ${given.DASHBOARD_USER || 'admin'} with DASHBOARD_PASSWORD from ${r.envFile}`,
      '',
      'Next:',
      ...r.next.map((c) => `  ${c}`),
    ]
      .filter((l) => l !== null)
      .join('\n'),
  );
  return 0;
}

/** A one-line progress bar on a terminal; plain lines (one per phase and per 10%) otherwise. */
function progressBar() {
  const tty = process.stderr.isTTY;
  let lastLine = '';
  return {
    update(p: cmd.BackfillProgress) {
      const width = 30;
      const frac = p.total > 0 ? Math.min(1, p.done / p.total) : p.phase === 'done' ? 1 : 0;
      const filled = Math.round(frac * width);
      const line = `${p.phase.padEnd(10)} [${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${p.done}/${p.total} activities`;
      if (tty) process.stderr.write(`\r${line}`);
      else {
        const step = `${p.phase}:${Math.floor(frac * 10)}`;
        if (step !== lastLine) console.error(line);
        lastLine = step;
      }
    },
    done() {
      if (tty) process.stderr.write('\n');
    },
  };
}

function need(v: string | undefined, what: string): string {
  if (!v) throw new cmd.UsageError(`missing <${what}>`);
  return v;
}

try {
  process.exitCode = await run();
} catch (err) {
  if (err instanceof InitError) {
    console.error(values.json ? JSON.stringify({ error: { code: err.code, message: err.message } }) : err.message);
    process.exitCode = err.code === 'exists' ? 2 : 1;
  } else if (err instanceof CredentialRotationError) {
    console.error(values.json ? JSON.stringify({ error: { code: 'unknown_key', message: err.message } }) : `keys rotate stopped: ${err.message}`);
    process.exitCode = 1;
  } else if (err instanceof ConfigError || err instanceof cmd.UsageError) {
    console.error(values.json ? JSON.stringify({ error: { code: 'usage', message: err.message } }) : `${err.message}\n\n${USAGE}`);
    process.exitCode = 2;
  } else {
    console.error(values.json ? JSON.stringify({ error: { code: 'internal', message: (err as Error).message } }) : (err as Error).message);
    process.exitCode = 1;
  }
}
