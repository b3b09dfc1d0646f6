/**
 * What never leaves a process in a log line or a span: values under secret-sounding keys, the bot
 * token in Telegram's `/bot<token>/<method>` URLs, and secret query parameters (`?code=…`,
 * `access_token=…`). One owner for both logs (logger.ts) and traces (span-redaction.ts).
 */
export const REDACTED = '[redacted]';

/** Key names compared without case, `-` or `_`: `Authorization`, `set-cookie`, `client_secret`, `apiKey`… */
const SECRET_KEYS = new Set([
  'authorization',
  'proxyauthorization',
  'cookie',
  'setcookie',
  'password',
  'passwd',
  'secret',
  'clientsecret',
  'token',
  'accesstoken',
  'refreshtoken',
  'idtoken',
  'bottoken',
  'apikey',
  'xapikey',
  'credential',
  'credentialenc',
  'secretenc',
  'privatekey',
  'encryptionkey',
]);
/** Any key ending in one of these is secret too (`webhookSecret`, `TELEGRAM_BOT_TOKEN`, `LLM_API_KEY`). */
const SECRET_SUFFIXES = ['secret', 'token', 'password', 'apikey', 'authorization', 'cookie', 'credential'];
/** Query parameters whose values are secret, compared as keys are, plus OAuth's one-time `code`. */
const SECRET_PARAMS = new Set(['code', 'key', 'sig', 'signature']);

const normalise = (key: string) => key.replace(/[-_]/g, '').toLowerCase();

export function isSecretKey(key: string): boolean {
  const k = normalise(key);
  return SECRET_KEYS.has(k) || SECRET_SUFFIXES.some((s) => k.endsWith(s));
}

const isSecretParam = (name: string) => SECRET_PARAMS.has(normalise(name)) || isSecretKey(name);

// `/bot<digits>:<secret>` (a Telegram bot token, `:` possibly percent-encoded) up to the next `/`, `?` or `#`.
const BOT_TOKEN = /\/bot\d+(?::|%3A)[^/?#\s"']+/gi;
// `name=value` at the start or after `?`, `&` or `;`: whole URLs, bare query strings (`url.query`),
// form bodies, error messages quoting a URL.
const QUERY_PARAM = /(^|[?&;])([^=&#?\s"']+)=([^&#\s"']*)/g;

/** The string with bot tokens and secret query values replaced; the rest (host, path, other parameters) stays. */
export function redactString(s: string): string {
  // Cheap pre-checks: most strings hold neither a `/bot` path nor a `name=value` pair.
  let out = s;
  if (out.includes('/bot')) out = out.replace(BOT_TOKEN, `/bot${REDACTED}`);
  if (out.includes('=')) out = out.replace(QUERY_PARAM, (m, sep: string, name: string, value: string) => (value && isSecretParam(safeDecode(name)) ? `${sep}${name}=${REDACTED}` : m));
  return out;
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

const MAX_DEPTH = 8;

/**
 * A copy of `value` with secret keys' values replaced and every string passed through redactString,
 * at any depth (bounded), keys matched without case. Copy-on-write: what holds no secret comes back
 * as the same object, so the common log line costs one walk and no allocation. Plain objects, arrays
 * and errors are walked; other class instances (a fastify request, a Buffer) are left to serializers.
 */
export function redactDeep<T>(value: T, depth = 0): T {
  if (typeof value === 'string') return redactString(value) as T;
  if (value === null || typeof value !== 'object' || depth >= MAX_DEPTH) return value;
  if (Array.isArray(value)) {
    let copy: unknown[] | null = null;
    for (let i = 0; i < value.length; i++) {
      const v = redactDeep(value[i], depth + 1);
      if (v !== value[i]) (copy ??= value.slice())[i] = v;
    }
    return (copy ?? value) as T;
  }
  if (value instanceof URL) return redactString(value.href) as T;
  if (value instanceof Error) return redactError(value, depth) as T;
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return value;
  let copy: Record<string, unknown> | null = null;
  for (const key of Object.keys(value)) {
    const v = (value as Record<string, unknown>)[key];
    const next = v !== null && v !== undefined && v !== '' && isSecretKey(key) ? REDACTED : redactDeep(v, depth + 1);
    if (next !== v) (copy ??= { ...(value as Record<string, unknown>) })[key] = next;
  }
  return (copy ?? value) as T;
}

/** An error as pino's serializer shows it (type, message, stack, own fields, cause), redacted. */
export function redactError(err: Error, depth = 0): Record<string, unknown> {
  const out: Record<string, unknown> = { type: err.constructor?.name ?? err.name, message: err.message, stack: err.stack };
  for (const key of Object.keys(err)) if (!(key in out)) out[key] = (err as unknown as Record<string, unknown>)[key];
  if (err.cause !== undefined) out.cause = err.cause;
  return redactDeep(out, depth);
}
