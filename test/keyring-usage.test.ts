import { describe, expect, it } from '@jest/globals';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

// A process that opens sealed values with the current key alone breaks the day the key is rotated
// (the gateway did: OAuth clients and calendar writes answered 500). Every process builds its keys
// with parseKeyring(TOKEN_ENCRYPTION_KEY, TOKEN_ENCRYPTION_KEYS_OLD); parseEncryptionKey is for tests.
const ROOT = fileURLToPath(new URL('..', import.meta.url));

function sources(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts') && !/\.test\.ts$|test-(harness|support|stack)\.ts$|\.test-helper\.ts$/.test(e.name))
    .map((e) => join(e.parentPath, e.name).slice(ROOT.length));
}

describe('encryption keys in production code', () => {
  it('every service and the CLI open sealed values with the keyring, old keys included', () => {
    const files = [...readdirSync(join(ROOT, 'services')).flatMap((s) => sources(`services/${s}/src`)), ...sources('packages/cli/src').filter((f) => !f.includes('/demo/'))];
    expect(files.length).toBeGreaterThan(20);
    const single = files.filter((f) => /\bparseEncryptionKey\s*\(/.test(readFileSync(join(ROOT, f), 'utf8')));
    expect(single).toEqual([]);
    // Whoever reads TOKEN_ENCRYPTION_KEY from its config reads the old keys with it.
    for (const f of files) {
      const src = readFileSync(join(ROOT, f), 'utf8');
      if (/parseKeyring\(\s*config\.TOKEN_ENCRYPTION_KEY\b/.test(src)) expect(src).toMatch(/parseKeyring\(\s*config\.TOKEN_ENCRYPTION_KEY,\s*config\.TOKEN_ENCRYPTION_KEYS_OLD\s*\)/);
    }
  });
});
