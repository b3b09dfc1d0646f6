import { describe, expect, it } from '@jest/globals';
import { z } from 'zod';
import { compileJsonWriter, topLevelOf } from './serialize.js';
import { SummaryResponseSchema } from './gateway.js';

const Page = z.object({ items: z.array(z.object({ a: z.number() })), count: z.number().int(), note: z.string().optional(), next: z.number().nullable() });

describe('compileJsonWriter', () => {
  it('writes what JSON.stringify of the parsed value writes, with raw fields spliced in', () => {
    const write = compileJsonWriter(Page, ['items']);
    const json = write({ items: '[{"a":1},{"a":2}]', count: 2, next: null });
    expect(json).toBe(JSON.stringify(Page.parse({ items: [{ a: 1 }, { a: 2 }], count: 2, next: null })));
    expect(JSON.parse(write({ items: '[]', count: 0, note: 'n', next: 3 }))).toEqual({ items: [], count: 0, note: 'n', next: 3 });
  });

  it('lets nothing outside the schema leave: unknown keys are dropped and bad values refused', () => {
    const write = compileJsonWriter(SummaryResponseSchema, ['summary']);
    const value = { version: 3, builtAt: '2026-01-01T00:00:00.000Z', part: 1, parts: 1, unchanged: false, summary: '{"x":1}', secret: 'k' };
    expect(JSON.parse(write(value))).toEqual({ version: 3, builtAt: '2026-01-01T00:00:00.000Z', part: 1, parts: 1, unchanged: false, summary: { x: 1 } });
    expect(() => write({ ...value, version: 1.5 })).toThrow();
  });
});

describe('topLevelOf', () => {
  it('keeps the contract’s top-level keys, required and optional as they are there', () => {
    const json = z.toJSONSchema(topLevelOf(Page)) as { properties: Record<string, unknown>; required: string[] };
    expect(Object.keys(json.properties)).toEqual(['items', 'count', 'note', 'next']);
    expect(json.required.sort()).toEqual(['count', 'items', 'next']);
    expect(topLevelOf(Page).safeParse({ items: [], count: 0, next: null }).success).toBe(true);
    expect(topLevelOf(Page).safeParse({ items: [] }).success).toBe(false);
  });
});
