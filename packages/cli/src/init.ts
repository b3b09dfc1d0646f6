import { randomBytes } from 'node:crypto';
import { chmodSync, copyFileSync, existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { env as fragments, readDotEnv } from '@splits/config';
import { checkConfig } from './config-check.js';

/**
 * `pnpm splits init`: the first .env of a self-hosted Splits. Secrets are generated, defaults are
 * written, and what only the person knows (the Telegram bot, an LLM, an Intervals.icu OAuth app) is
 * asked for on a terminal or taken from options (or the same-named environment variables) otherwise.
 * The Telegram token is checked with getMe, which also gives the bot's username for deep links.
 * The result is checked against every service's config schema before anything is written.
 */
export interface InitOptions {
  envFile: string;
  force: boolean;
  /** Answers given up front (options or environment); a question with an answer is not asked. */
  given: Partial<Record<InitKey, string>>;
}

/** Asks one question on the terminal; '' means Enter (skip or keep the default). */
export type Ask = (question: string, o?: { secret?: boolean }) => Promise<string>;

export const INIT_KEYS = [
  'TELEGRAM_BOT_TOKEN',
  'TELEGRAM_API_ROOT',
  'LLM_BASE_URL',
  'LLM_MODEL',
  'LLM_API_KEY',
  'INTERVALS_CLIENT_ID',
  'INTERVALS_CLIENT_SECRET',
  'INTERVALS_WEBHOOK_SECRET',
  'PUBLIC_BASE_URL',
  'DASHBOARD_USER',
] as const;
export type InitKey = (typeof INIT_KEYS)[number];

/** Options that carry a secret: they show in `ps` and the shell history, so they are warned about. */
export const SECRET_OPTIONS: Partial<Record<InitKey, string>> = {
  TELEGRAM_BOT_TOKEN: '--telegram-bot-token',
  LLM_API_KEY: '--llm-api-key',
  INTERVALS_CLIENT_SECRET: '--intervals-client-secret',
  INTERVALS_WEBHOOK_SECRET: '--intervals-webhook-secret',
};

export class InitError extends Error {
  constructor(
    readonly code: 'exists' | 'telegram' | 'invalid',
    message: string,
  ) {
    super(message);
  }
}

export interface InitResult {
  envFile: string;
  /** Where the replaced file was kept (--force), else null. */
  backup: string | null;
  generated: string[];
  /** Secrets carried over from the replaced file, because stored data or Intervals.icu depend on them. */
  kept: string[];
  telegram: { username: string } | null;
  llm: { baseUrl: string; model: string } | null;
  oauth: boolean;
  publicBaseUrl: string;
  next: string[];
}

const DEFAULT_PUBLIC_BASE_URL = fragments.publicBaseUrl.PUBLIC_BASE_URL.parse(undefined);
const DEFAULT_TELEGRAM_API_ROOT = fragments.telegram.TELEGRAM_API_ROOT.parse(undefined);
const EXAMPLE = new URL('../../../.env.example', import.meta.url);

export async function init(opts: InitOptions, ask: Ask | null, say: (line: string) => void): Promise<InitResult> {
  const { envFile, force } = opts;
  if (existsSync(envFile) && !force) {
    const envOpt = envFile === '.env' ? '' : ` --dotenv ${envFile}`;
    throw new InitError('exists', `${envFile} already exists; nothing was changed. \`pnpm splits init${envOpt} --force\` replaces it (the old one is kept as ${envFile}.bak).`);
  }
  const given = { ...opts.given };
  const answer = async (key: InitKey, question: string, o: { secret?: boolean } = {}): Promise<string | undefined> => {
    if (given[key] !== undefined) return given[key] || undefined;
    if (!ask) return undefined;
    return (await ask(question, o)).trim() || undefined;
  };
  const values: Record<string, string> = {};
  if (ask) say(`Writing ${envFile}: the secrets are generated; a few questions follow (Enter skips an optional part).`);

  // Telegram: asked again on a terminal until getMe accepts the token or the question is skipped.
  const apiRoot = given.TELEGRAM_API_ROOT ?? DEFAULT_TELEGRAM_API_ROOT;
  let telegram: InitResult['telegram'] = null;
  for (;;) {
    const token = await answer('TELEGRAM_BOT_TOKEN', 'Telegram bot token from @BotFather (Enter: no Telegram for now): ', { secret: true });
    if (!token) break;
    try {
      telegram = await verifyTelegramToken(apiRoot, token);
      values.TELEGRAM_BOT_TOKEN = token;
      values.TELEGRAM_BOT_USERNAME = telegram.username;
      if (apiRoot !== DEFAULT_TELEGRAM_API_ROOT) values.TELEGRAM_API_ROOT = apiRoot;
      say(`Telegram: the token belongs to @${telegram.username}.`);
      break;
    } catch (err) {
      if (!ask || given.TELEGRAM_BOT_TOKEN !== undefined) throw err;
      say(`${(err as Error).message} Try again, or press Enter to go on without Telegram.`);
    }
  }

  const llmBaseUrl = await answer('LLM_BASE_URL', 'OpenAI-compatible LLM API address, e.g. https://api.openai.com/v1 (Enter: classify by rules only): ');
  let llm: InitResult['llm'] = null;
  if (llmBaseUrl) {
    const model = await answer('LLM_MODEL', 'LLM model, e.g. gpt-4o-mini: ');
    const key = await answer('LLM_API_KEY', 'LLM API key (Enter: none, e.g. a local server): ', { secret: true });
    Object.assign(values, { LLM_BASE_URL: llmBaseUrl, ...(model && { LLM_MODEL: model }), ...(key && { LLM_API_KEY: key }) });
    if (model) llm = { baseUrl: llmBaseUrl, model };
  } else if (given.LLM_MODEL || given.LLM_API_KEY) {
    // Given without an address: written as given, so the check below names what is missing.
    Object.assign(values, { ...(given.LLM_MODEL && { LLM_MODEL: given.LLM_MODEL }), ...(given.LLM_API_KEY && { LLM_API_KEY: given.LLM_API_KEY }) });
  }

  const clientId = await answer('INTERVALS_CLIENT_ID', 'Intervals.icu OAuth app client id, from its Manage App page (Enter: athletes connect with API keys): ');
  const clientSecret = clientId ? await answer('INTERVALS_CLIENT_SECRET', 'OAuth app client secret: ', { secret: true }) : given.INTERVALS_CLIENT_SECRET;
  if (clientId) values.INTERVALS_CLIENT_ID = clientId;
  if (clientSecret) values.INTERVALS_CLIENT_SECRET = clientSecret;
  const webhookSecret = clientId
    ? await answer('INTERVALS_WEBHOOK_SECRET', 'Webhook Secret from Manage App (Enter: generate one to paste there): ', { secret: true })
    : given.INTERVALS_WEBHOOK_SECRET;
  const publicBaseUrl =
    (await answer('PUBLIC_BASE_URL', `Public address of the api-gateway, for assistants${clientId ? ' and the OAuth redirect' : ''} (Enter: ${DEFAULT_PUBLIC_BASE_URL}): `)) ??
    DEFAULT_PUBLIC_BASE_URL;
  values.PUBLIC_BASE_URL = publicBaseUrl;
  values.DASHBOARD_USER = given.DASHBOARD_USER || 'admin';

  // Secrets: generated, except those the replaced file held that stored data or Intervals.icu rely on.
  const old = existsSync(envFile) ? readDotEnv(envFile, {}) : {};
  const generated: string[] = [];
  const kept: string[] = [];
  if (old.TOKEN_ENCRYPTION_KEY) {
    values.TOKEN_ENCRYPTION_KEY = old.TOKEN_ENCRYPTION_KEY;
    if (old.TOKEN_ENCRYPTION_KEYS_OLD) values.TOKEN_ENCRYPTION_KEYS_OLD = old.TOKEN_ENCRYPTION_KEYS_OLD;
    kept.push('TOKEN_ENCRYPTION_KEY');
  } else {
    values.TOKEN_ENCRYPTION_KEY = randomBytes(32).toString('base64');
    generated.push('TOKEN_ENCRYPTION_KEY');
  }
  if (webhookSecret) values.INTERVALS_WEBHOOK_SECRET = webhookSecret;
  else if (old.INTERVALS_WEBHOOK_SECRET) {
    values.INTERVALS_WEBHOOK_SECRET = old.INTERVALS_WEBHOOK_SECRET;
    kept.push('INTERVALS_WEBHOOK_SECRET');
  } else {
    values.INTERVALS_WEBHOOK_SECRET = randomBytes(24).toString('base64url');
    generated.push('INTERVALS_WEBHOOK_SECRET');
  }
  values.DASHBOARD_PASSWORD = randomBytes(18).toString('base64url');
  generated.push('DASHBOARD_PASSWORD');

  // What `pnpm start` would refuse is refused here, before anything is written.
  const plan = checkConfig(values);
  if (plan.problems.length) {
    throw new InitError(
      'invalid',
      `not written, ${envFile} would not start:\n${plan.problems.map((p) => `  ${p.key}: ${p.reasons.map((r) => r.message).join('; ')} (fix: ${p.fix})`).join('\n')}`,
    );
  }
  for (const v of Object.values(values)) if (/[\r\n]/.test(v)) throw new InitError('invalid', 'a value holds a line break; a .env line cannot');

  const text = renderEnv(values, new Date());
  let backup: string | null = null;
  if (existsSync(envFile)) {
    backup = `${envFile}.bak`;
    copyFileSync(envFile, backup);
    chmodSync(backup, 0o600);
    const tmp = `${envFile}.tmp-${process.pid}`;
    writeFileSync(tmp, text, { mode: 0o600 });
    renameSync(tmp, envFile);
  } else {
    // 'wx': a file that appeared meanwhile is not overwritten.
    writeFileSync(envFile, text, { flag: 'wx', mode: 0o600 });
  }

  const envOpt = envFile === '.env' ? '' : ` --dotenv ${envFile}`;
  const next = [
    `pnpm start${envOpt}`,
    `pnpm splits${envOpt} athlete add --intervals-athlete-id i123456 --api-key -${telegram ? ' --telegram-chat-id <chat>' : ''}`,
    `pnpm splits${envOpt} token create <athleteId>`,
    ...(telegram ? [`pnpm splits${envOpt} telegram link <athleteId>`] : []),
  ];
  return { envFile, backup, generated, kept, telegram, llm, oauth: Boolean(clientId), publicBaseUrl, next };
}

/** getMe with the token: Telegram's answer, or why it could not be had (never the token itself). */
export async function verifyTelegramToken(apiRoot: string, token: string): Promise<{ username: string }> {
  if (!fragments.telegram.TELEGRAM_BOT_TOKEN.safeParse(token).success) {
    throw new InitError('telegram', 'That is not a Telegram bot token: it looks like <bot id>:<secret>, as @BotFather gives it.');
  }
  let res: Response;
  try {
    res = await fetch(`${apiRoot.replace(/\/+$/, '')}/bot${token}/getMe`, { signal: AbortSignal.timeout(15_000) });
  } catch (err) {
    const cause = (err as { cause?: { code?: string } }).cause?.code ?? (err as Error).name;
    throw new InitError('telegram', `Could not reach Telegram at ${apiRoot} to check the token (${cause}).`);
  }
  const body = (await res.json().catch(() => null)) as { ok?: boolean; description?: string; result?: { username?: string } } | null;
  if (res.status === 401 || res.status === 404) {
    throw new InitError('telegram', 'Telegram does not know this bot token (401 Unauthorized): copy it again from @BotFather (/mybots → API Token).');
  }
  if (!res.ok || !body?.ok || !body.result?.username) {
    throw new InitError('telegram', `Telegram's getMe failed (${res.status}${body?.description ? ` ${body.description}` : ''}).`);
  }
  return { username: body.result.username };
}

/**
 * The .env text: .env.example with the values filled in (a commented `# KEY=` line becomes `KEY=value`),
 * so the written file carries the same explanations; keys the example lacks are added at the end.
 */
export function renderEnv(values: Record<string, string>, now: Date, example = existsSync(EXAMPLE) ? readFileSync(EXAMPLE, 'utf8') : ''): string {
  const left = new Map(Object.entries(values));
  // The example's opening paragraph speaks about this command; the written file gets its own.
  const body = example.startsWith('#') && example.includes('\n\n') ? example.slice(example.indexOf('\n\n') + 2) : example;
  const lines = body.split('\n').map((line) => {
    const m = /^(#\s*)?([A-Z][A-Z0-9_]*)=/.exec(line);
    if (!m || !left.has(m[2]!)) return line;
    const value = left.get(m[2]!)!;
    left.delete(m[2]!);
    return `${m[2]}=${value}`;
  });
  while (lines.length && lines.at(-1) === '') lines.pop();
  const extra = [...left.entries()].map(([k, v]) => `${k}=${v}`);
  return [
    `# Written by \`pnpm splits init\` on ${now.toISOString().slice(0, 10)}. It holds secrets: keep it private and out of git.`,
    '# TOKEN_ENCRYPTION_KEY opens every stored Intervals.icu credential: back it up with this file; rotate it with `pnpm splits keys rotate`.',
    '',
    ...lines,
    ...(extra.length ? ['', ...extra] : []),
    '',
  ].join('\n');
}
