import { z } from 'zod';

type Shape<S extends z.ZodObject> = S['shape'];

/**
 * A JSON writer compiled from a response schema, for answers served as bytes (cached or spliced from
 * stored text) without a parse and re-encode of the whole document. The keys, their order and every
 * value come from the schema: each value is parsed by its own field schema, except `raw` fields,
 * whose JSON text the caller already produced from that field's schema (a page of validated records,
 * the stored summary). So nothing outside the contract can leave, even on the fast path.
 */
export function compileJsonWriter<S extends z.ZodObject, const R extends keyof Shape<S> & string = never>(
  schema: S,
  raw: readonly R[] = [],
): (value: Omit<z.input<S>, R> & { [K in R]: string }) => string {
  const fields = Object.entries(schema.shape as Record<string, z.ZodType>).map(([key, field]) => ({
    key,
    head: `${JSON.stringify(key)}:`,
    raw: (raw as readonly string[]).includes(key),
    field,
  }));
  return (value) => {
    const v = value as Record<string, unknown>;
    let out = '';
    for (const f of fields) {
      const json = f.raw ? (v[f.key] as string) : JSON.stringify(f.field.parse(v[f.key]));
      if (json === undefined) continue; // an optional field left out, as JSON.stringify leaves it
      out += `${out ? ',' : '{'}${f.head}${json}`;
    }
    return out ? `${out}}` : '{}';
  };
}

/**
 * The top level of a response schema, for an MCP tool's output schema: the same keys (required or
 * optional as in the contract), their values left open. Tool definitions go into the model's context
 * on every turn (DESIGN §6), so they name the top level only; the full shape is the contract itself.
 */
export function topLevelOf<S extends z.ZodObject>(schema: S): z.ZodObject {
  const shape = Object.fromEntries(
    Object.entries(schema.shape as Record<string, z.ZodType>).map(([key, field]) => [key, field.safeParse(undefined).success ? z.unknown().optional() : z.unknown()]),
  );
  return z.object(shape);
}
