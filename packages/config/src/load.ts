import { readFileSync, existsSync } from 'node:fs';
import { z } from 'zod';

/** Raised when the environment does not satisfy a service's schema; lists every bad key at once. */
export class ConfigError extends Error {
  constructor(readonly issues: { key: string; message: string }[]) {
    super(`invalid configuration:\n${issues.map((i) => `  - ${i.key}: ${i.message}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/**
 * Validate `env` against `schema` once and return a frozen object.
 * Empty strings count as unset, so `FOO=` in a .env file falls back to the default.
 */
export function loadConfig<S extends z.ZodObject>(schema: S, env: Record<string, string | undefined>): Readonly<z.infer<S>> {
  const cleaned: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) if (v !== undefined && v !== '') cleaned[k] = v;
  const result = schema.safeParse(cleaned);
  if (!result.success) {
    throw new ConfigError(
      result.error.issues.map((i) => ({ key: i.path.join('.') || '(root)', message: i.message })),
    );
  }
  return Object.freeze(result.data);
}

/** Minimal .env reader (KEY=VALUE, # comments, optional quotes); real environment variables win. */
export function readDotEnv(path: string, env: Record<string, string | undefined>): Record<string, string | undefined> {
  if (!existsSync(path)) return env;
  const out: Record<string, string | undefined> = {};
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    const m = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*?)\s*$/.exec(line);
    if (!m || line.trimStart().startsWith('#')) continue;
    out[m[1]!] = m[2]!.replace(/^(['"])(.*)\1$/, '$2');
  }
  return { ...out, ...env };
}
