import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { createTestDatabase, type TestDatabase } from '@splits/testing';
import { runSchemaCodegen } from './schema-codegen.js';

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase('codegen');
});
afterAll(async () => {
  await t.drop();
});

it('src/schema.ts is what kysely-codegen generates from the migrated database (regenerate: pnpm --filter @splits/db codegen)', async () => {
  const { ok, output } = await runSchemaCodegen(t.url, { verify: true });
  expect({ ok, output: ok ? '' : output }).toEqual({ ok: true, output: '' });
});
