import type { z } from 'zod';

type JsonSchemaFn = (opts: { target: string }) => Record<string, unknown>;
interface StandardWithJson {
  validate: unknown;
  jsonSchema?: { input: JsonSchemaFn; output: JsonSchemaFn };
}

/**
 * The schema as the MCP SDK takes it (Standard Schema: zod validates, parses and applies defaults),
 * with its JSON Schema written without the `$schema` URL, and an output schema's top level without
 * `additionalProperties` (the answer is written from the contract; nothing else can be in it). Tool
 * definitions go into the model's context on every turn (DESIGN §6); those are ~80 characters a tool.
 */
export function lean<S extends z.ZodType>(schema: S): S {
  const std = (schema as unknown as { '~standard': StandardWithJson })['~standard'];
  const strip = (fn: JsonSchemaFn, io: 'input' | 'output'): JsonSchemaFn => (opts) => {
    const { $schema: _url, additionalProperties, ...rest } = fn(opts);
    return io === 'input' && additionalProperties !== undefined ? { ...rest, additionalProperties } : rest;
  };
  const json = std.jsonSchema!;
  return { '~standard': { ...std, validate: std.validate, jsonSchema: { input: strip(json.input, 'input'), output: strip(json.output, 'output') } } } as unknown as S;
}
