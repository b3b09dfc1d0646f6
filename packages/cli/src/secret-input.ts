import type { Readable, Writable } from 'node:stream';

/**
 * Credentials for `athlete add` without putting them on the command line, where `ps` and the shell
 * history would show them: `--api-key -` reads standard input (a pipe, or a hidden prompt on a
 * terminal), and SPLITS_INTERVALS_API_KEY / SPLITS_INTERVALS_OAUTH_TOKEN are read from the environment.
 */
export interface SecretIo {
  stdin: Readable & { isTTY?: boolean; setRawMode?: (raw: boolean) => unknown };
  stderr: Writable;
}

export const CREDENTIAL_ENV = { apiKey: 'SPLITS_INTERVALS_API_KEY', oauthToken: 'SPLITS_INTERVALS_OAUTH_TOKEN' } as const;
const OPTION = { apiKey: '--api-key', oauthToken: '--oauth-token' } as const;
type Kind = keyof typeof OPTION;

/**
 * The one credential `athlete add` stores. An option wins over the environment: `--api-key -` reads
 * standard input, `--api-key <value>` is taken as given (with a warning); with neither option, the
 * one of SPLITS_INTERVALS_API_KEY / SPLITS_INTERVALS_OAUTH_TOKEN that is set. Two credentials is a
 * usage error, none is left to the caller.
 */
export async function resolveCredential(
  flags: Partial<Record<Kind, string>>,
  env: Partial<Record<Kind, string>>,
  io: SecretIo,
  usage: (msg: string) => Error,
): Promise<{ kind: Kind; value: string } | null> {
  const given = (Object.keys(OPTION) as Kind[]).filter((k) => flags[k] !== undefined);
  if (given.length > 1) throw usage('give one of --api-key or --oauth-token, not both');
  const kind = given[0];
  if (kind) {
    const flag = flags[kind]!;
    if (flag !== '-') {
      io.stderr.write(`warning: ${OPTION[kind]} <value> leaves the secret in ps and the shell history; prefer ${OPTION[kind]} - (standard input) or ${CREDENTIAL_ENV[kind]}\n`);
      return { kind, value: flag };
    }
    const value = io.stdin.isTTY ? await promptHidden(io, `${OPTION[kind].slice(2)}: `) : firstLine(await readAll(io.stdin));
    if (!value) throw usage(`${OPTION[kind]} -: nothing was read from standard input`);
    return { kind, value };
  }
  const fromEnv = (Object.keys(CREDENTIAL_ENV) as Kind[]).filter((k) => env[k]);
  if (fromEnv.length > 1) throw usage(`both ${CREDENTIAL_ENV.apiKey} and ${CREDENTIAL_ENV.oauthToken} are set; set one`);
  return fromEnv[0] ? { kind: fromEnv[0], value: env[fromEnv[0]]!.trim() } : null;
}

async function readAll(stream: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(typeof c === 'string' ? Buffer.from(c) : (c as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}

const firstLine = (s: string) => (s.split(/\r?\n/).find((l) => l.trim() !== '') ?? '').trim();

/** Reads one line from a terminal without echoing it. Ctrl-C or Ctrl-D cancel (an empty answer). */
export function promptHidden(io: SecretIo, prompt: string): Promise<string> {
  const { stdin, stderr } = io;
  stderr.write(prompt);
  stdin.setRawMode?.(true);
  stdin.resume();
  return new Promise((resolve) => {
    let value = '';
    const done = (v: string) => {
      stdin.off('data', onData);
      stdin.setRawMode?.(false);
      stdin.pause();
      stderr.write('\n');
      resolve(v.trim());
    };
    const onData = (chunk: Buffer | string) => {
      for (const ch of String(chunk)) {
        if (ch === '\r' || ch === '\n') return done(value);
        if (ch === '\u0003' || ch === '\u0004') return done('');
        if (ch === '\u007f' || ch === '\b') value = value.slice(0, -1);
        else value += ch;
      }
    };
    stdin.on('data', onData);
  });
}
