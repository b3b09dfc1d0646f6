import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const PACKAGE_DIR = fileURLToPath(new URL('..', import.meta.url));

/**
 * src/schema.ts is generated from a migrated database by kysely-codegen (settings in
 * .kysely-codegenrc.json: dates as strings like the pg parser, narrowed enums-by-check, the
 * `workout_record` view's columns as the view guarantees them). With `verify`, nothing is written:
 * `ok` says whether the file is what the migrations give (schema-codegen.int.test.ts).
 */
export async function runSchemaCodegen(url: string, opts: { verify?: boolean } = {}): Promise<{ ok: boolean; output: string }> {
  const child = spawn(
    process.execPath,
    [fileURLToPath(import.meta.resolve('kysely-codegen/dist/cli/bin.js')), '--config-file', '.kysely-codegenrc.json', '--url', url, ...(opts.verify ? ['--verify'] : [])],
    { cwd: PACKAGE_DIR, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr.on('data', (c: Buffer) => (output += c.toString()));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  return { ok: code === 0, output };
}
