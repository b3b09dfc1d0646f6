import { z } from 'zod';

/**
 * Building blocks of request schemas: only what Postgres can store and compare gets past them, so
 * bad input is a 400 (or an MCP tool error) at the edge, never a database error and a 500.
 */

/** The largest Postgres `integer` (int4): revisions and versions are kept in such columns. */
export const PG_INT4_MAX = 2_147_483_647;

/** The furthest a page may skip: more workouts than anyone records in a lifetime. */
export const MAX_OFFSET = 100_000;

/**
 * True when Postgres can store the text as it is: no NUL (U+0000; `text` and `jsonb` refuse it)
 * and no unpaired UTF-16 surrogate (`jsonb` refuses its \ud800 escape; `text` would get U+FFFD).
 */
export function isStorableText(s: string): boolean {
  return !/[\u0000\uD800-\uDFFF]/u.test(s);
}

/**
 * Any text the athlete or assistant sends: refused, not stripped, when it holds a NUL or an
 * unpaired surrogate. Stripping would change the athlete's words (kept verbatim) and keys
 * (externalId) behind their back; no real text contains either.
 */
export const TextSchema = z.string().refine(isStorableText, { error: 'must not contain NUL (\\u0000) characters or unpaired surrogates' });

/** True when every string in a JSON value, keys included, is storable text (for values kept as jsonb). */
export function isStorableJson(value: unknown): boolean {
  const stack = [value];
  while (stack.length > 0) {
    const v = stack.pop();
    if (typeof v === 'string') {
      if (!isStorableText(v)) return false;
    } else if (Array.isArray(v)) stack.push(...v);
    else if (v !== null && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) {
        if (!isStorableText(k)) return false;
        stack.push(x);
      }
    }
  }
  return true;
}
