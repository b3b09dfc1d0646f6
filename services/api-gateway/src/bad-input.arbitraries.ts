import fc from 'fast-check';

/**
 * Test code (bad-input.property.int.test.ts): fast-check generators of bad input, guided by the
 * JSON Schema the gateway publishes (OpenAPI operations, MCP tools/list), so a new route or tool
 * parameter is covered without touching the tests. Most leaves are valid and a few are bad, so a
 * request often gets past the first check and reaches the service and Postgres.
 */

export interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  enum?: unknown[];
  const?: unknown;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  minItems?: number;
  maxItems?: number;
}

const pad = (n: number, width: number) => String(n).padStart(width, '0');

/** YYYY-MM-DD strings that look right and are not days: month 0 or 13+, day 0 or past the month's end. */
export const impossibleDate: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom('2024-02-30', '2024-13-01', '2023-02-29', '2024-04-31', '2024-00-10', '0000-01-01', '9999-99-99', '1900-02-29'),
  fc
    .tuple(fc.integer({ min: 0, max: 9999 }), fc.integer({ min: 0, max: 99 }), fc.integer({ min: 29, max: 99 }))
    .map(([y, m, d]) => `${pad(y, 4)}-${pad(m, 2)}-${pad(d, 2)}`),
);

/** Real days, some at the calendar's ends. */
export const realDate: fc.Arbitrary<string> = fc.oneof(
  fc.date({ min: new Date('2020-01-01T00:00:00Z'), max: new Date('2030-12-31T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10)),
  fc.constantFrom('0001-01-01', '9999-12-31', '2024-02-29', '2026-03-02'),
);

const hugeNumber = fc.constantFrom(1e20, -1e20, 2 ** 31, 2 ** 31 - 1, -(2 ** 31) - 1, 2 ** 53, 2 ** 63, Number.MAX_VALUE, 1e308, -1, -0, 0.5, Number.MIN_VALUE);
const numberText = fc.constantFrom('1e20', '-1', 'NaN', 'Infinity', '-Infinity', '0x10', '1e-7', ' 1', '', '9'.repeat(400), '2147483648', '9223372036854775808', '1.5', '00001', '+1');
const withNul = fc.tuple(fc.string({ maxLength: 8 }), fc.string({ maxLength: 8 })).map(([a, b]) => `${a}\u0000${b}`);
const loneSurrogate = fc.tuple(fc.string({ maxLength: 8 }), fc.integer({ min: 0xd800, max: 0xdfff })).map(([a, c]) => a + String.fromCharCode(c));
/** Past every maxLength; a real server refuses URLs much longer (Node's 16 KB header limit). */
const longText = fc.tuple(fc.constantFrom(300, 5_000, 60_000), fc.constantFrom('x', 'é', '🏃', '\u0000', '%')).map(([n, c]) => c.repeat(n));
const anyText = fc.string({ unit: 'binary', maxLength: 30 });
const wrongType = fc.constantFrom<unknown>(null, true, false, 0, {}, [], '', [[]], { a: {} }, [{}]);

/** JSON nested `depth` levels deep, built without recursion. */
function nested(depth: number, kind: 'array' | 'object'): unknown {
  let v: unknown = 1;
  for (let i = 0; i < depth; i++) v = kind === 'array' ? [v] : { a: v };
  return v;
}
const deepJson = fc.tuple(fc.integer({ min: 20, max: 1000 }), fc.constantFrom('array' as const, 'object' as const)).map(([d, k]) => nested(d, k));

/** Any bad JSON value: the review's cases and their neighbours. */
export const badValue: fc.Arbitrary<unknown> = fc.oneof(
  impossibleDate,
  hugeNumber,
  numberText,
  withNul,
  loneSurrogate,
  { arbitrary: longText, weight: 1 },
  anyText,
  wrongType,
  deepJson,
  fc.jsonValue({ maxDepth: 3 }),
  fc.array(fc.jsonValue({ maxDepth: 1 }), { minLength: 1, maxLength: 3 }),
);

/** Keys no schema has, some of them dangerous to naive merges. */
export const unknownKey = fc.oneof(fc.constantFrom('__proto__', 'constructor', 'prototype', 'x-extra', '', 'a\u0000b', 'id', '$where'), fc.string({ maxLength: 12 }));

const CANDIDATE_STRINGS = ['1', '12345', '9007199254740993', 'ext-1', 'plan.w1:tue', 'a', 'Run', 'Ride', '12:30', '07:05', 'abc', 'x', '- 30m Z2 HR'];

/** One schema from an allOf (zod writes two regexes on a string that way); patterns are all kept. */
function merge(schema: JsonSchema): JsonSchema & { patterns: string[] } {
  const parts = [schema, ...(schema.allOf ?? [])];
  const merged = Object.assign({}, ...parts) as JsonSchema;
  return { ...merged, patterns: parts.flatMap((p) => (p.pattern ? [p.pattern] : [])) };
}

function types(s: JsonSchema): string[] {
  if (Array.isArray(s.type)) return s.type;
  if (s.type) return [s.type];
  if (s.properties) return ['object'];
  if (s.items) return ['array'];
  return [];
}

/** A value the schema accepts (as far as its JSON Schema tells: refinements are invisible there). */
export function validFor(schema: JsonSchema, depth = 0): fc.Arbitrary<unknown> {
  const s = merge(schema);
  if (s.const !== undefined) return fc.constant(s.const);
  if (s.enum) return fc.constantFrom(...s.enum);
  const union = s.anyOf ?? s.oneOf;
  if (union) return fc.oneof(...union.map((u) => validFor(u, depth)));
  const ts = types(s);
  if (ts.length === 0) return fc.jsonValue({ maxDepth: 2 });
  return fc.oneof(
    ...ts.map((t): fc.Arbitrary<unknown> => {
      switch (t) {
        case 'null':
          return fc.constant(null);
        case 'boolean':
          return fc.boolean();
        case 'integer': {
          const min = Math.max(s.minimum ?? -1000, Number.MIN_SAFE_INTEGER);
          const max = Math.min(s.maximum ?? 1000, Number.MAX_SAFE_INTEGER);
          // The bounds themselves (int4's largest revision, the last page) are where overflows live.
          return fc.oneof(fc.integer({ min: Math.max(min, -1000), max: Math.max(Math.min(max, 1000), Math.max(min, -1000)) }), fc.constantFrom(min, max));
        }
        case 'number':
          return fc.double({ min: s.minimum ?? -1000, max: s.maximum ?? 1000, noNaN: true });
        case 'string':
          return validString(s);
        case 'array':
          return depth > 4
            ? fc.constant([])
            : fc.array(validFor(s.items ?? {}, depth + 1), { minLength: s.minItems ?? 0, maxLength: Math.max(s.minItems ?? 0, Math.min(s.maxItems ?? 2, 2)) });
        case 'object':
          return depth > 4 ? fc.constant({}) : fc.record(mapProps(s, (p) => validFor(p, depth + 1)), { requiredKeys: s.required ?? [] });
        default:
          return fc.jsonValue({ maxDepth: 1 });
      }
    }),
  );
}

function validString(s: JsonSchema & { patterns: string[] }): fc.Arbitrary<string> {
  const min = s.minLength ?? 0;
  const max = s.maxLength ?? 40;
  const fits = (v: string) => v.length >= min && v.length <= max && s.patterns.every((p) => new RegExp(p, 'u').test(v));
  const options: fc.Arbitrary<string>[] = CANDIDATE_STRINGS.filter(fits).map((v) => fc.constant(v));
  if (s.patterns.length === 0) options.push(fc.string({ minLength: min, maxLength: Math.max(min, Math.min(max, 40)) }));
  if (fits('2024-02-29')) options.push(realDate);
  return options.length ? fc.oneof(...options) : fc.constant('x');
}

function mapProps(s: JsonSchema, f: (p: JsonSchema) => fc.Arbitrary<unknown>): Record<string, fc.Arbitrary<unknown>> {
  return Object.fromEntries(Object.entries(s.properties ?? {}).map(([k, p]) => [k, f(p)]));
}

/**
 * Input for `schema`: one time in four valid as far as its JSON Schema tells, otherwise mostly valid
 * with bad leaves (each about one time in six), unknown keys, and any level replaced by a bad value
 * (an array where an object belongs, a string where a number does, …).
 */
export function inputFor(schema: JsonSchema): fc.Arbitrary<unknown> {
  return fc.oneof({ arbitrary: validFor(schema), weight: 1 }, { arbitrary: mutated(schema, 0), weight: 3 });
}

function mutated(schema: JsonSchema, depth: number): fc.Arbitrary<unknown> {
  const s = merge(schema);
  const ts = types(s);
  const union = s.anyOf ?? s.oneOf;
  let shaped: fc.Arbitrary<unknown>;
  if (union) shaped = fc.oneof(...union.map((u) => mutated(u, depth)));
  else if (ts.includes('object') && depth < 5) {
    shaped = fc
      .tuple(fc.record(mapProps(s, (p) => mutated(p, depth + 1)), { requiredKeys: s.required ?? [] }), fc.option(fc.dictionary(unknownKey, badValue, { maxKeys: 2 }), { freq: 4 }))
      .map(([known, extra]) => (extra ? Object.assign(Object.create(null) as object, known, extra) : known));
  } else if (ts.includes('array') && depth < 5) {
    const max = Math.min(s.maxItems ?? 3, 3);
    shaped = fc.oneof(
      { arbitrary: fc.array(mutated(s.items ?? {}, depth + 1), { minLength: s.minItems ?? 0, maxLength: Math.max(s.minItems ?? 0, max) }), weight: 6 },
      // One past the maximum, of valid items.
      { arbitrary: fc.constant(s.maxItems).chain((m) => (m === undefined ? fc.constant([] as unknown[]) : fc.array(validFor(s.items ?? {}, depth + 1), { minLength: m + 1, maxLength: m + 1 }))), weight: 1 },
    );
  } else shaped = validFor(s, depth);
  // At the top the shape is kept more often: a request whose whole body is a number is cheap to refuse.
  return fc.oneof({ arbitrary: shaped, weight: depth === 0 ? 9 : 5 }, { arbitrary: badValue, weight: 1 });
}

/** A query-string value for `v`: strings as they are, numbers printed, arrays as repeated keys, the rest as JSON. */
export function queryValue(v: unknown): string[] {
  if (v === undefined) return [];
  if (Array.isArray(v) && v.every((x) => typeof x !== 'object' || x === null)) return v.map((x) => String(x));
  if (typeof v === 'string') return [v];
  if (typeof v === 'number' || typeof v === 'boolean' || v === null) return [String(v)];
  return [JSON.stringify(v)];
}

/** Query strings no client should send: broken escapes, NULs, prototype keys, repeats. */
export const rawQuery = fc.constantFrom(
  '%',
  '%zz',
  '%00',
  'a=%E0%A4%A',
  '&&&=',
  '=',
  'a[b][c]=1',
  '__proto__=1',
  '__proto__[x]=1',
  'constructor[prototype][x]=1',
  'oldest=2024-02-30&oldest=2024-02-31',
  'limit=1&limit=2',
  `x=${'a'.repeat(20_000)}`,
);
