import { describe, expect, it } from '@jest/globals';
import { createRequire } from 'node:module';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Ignore } from '@balena/dockerignore';

// CommonJS (`module.exports = factory`) while its typings declare a default export: required as it ships.
const ignore = createRequire(import.meta.url)('@balena/dockerignore') as () => Ignore;

// Docker cannot run here (no engine): these check what decides what ends up in the image, namely the
// build context `docker build` would send (.dockerignore, with Docker's own matching rules as
// @balena/dockerignore ports them from moby) and the user the final stage runs as.
const ROOT = fileURLToPath(new URL('..', import.meta.url));

function dockerignore(): string[] {
  const file = join(ROOT, '.dockerignore');
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));
}

/**
 * The files of `dir` that `docker build` would send as its context: every file the ignore rules do
 * not exclude. Like the docker client, a directory the rules exclude is not walked (unless an
 * exception pattern could bring something inside it back).
 */
function buildContext(dir: string, patterns: string[]): string[] {
  const ig = ignore().add(patterns);
  const hasExceptions = patterns.some((p) => p.startsWith('!'));
  const out: string[] = [];
  const walk = (rel: string) => {
    for (const e of readdirSync(join(dir, rel), { withFileTypes: true })) {
      const path = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) {
        if (!ig.ignores(path) || hasExceptions) walk(path);
      } else if (!ig.ignores(path)) out.push(path);
    }
  };
  walk('');
  return out.sort();
}

describe('.dockerignore', () => {
  it('keeps env files, git metadata, keys and local build state out of the build context, and the sources in', () => {
    const dir = mkdtempSync(join(tmpdir(), 'splits-ctx-'));
    try {
      const files = [
        '.env',
        '.env.local',
        '.env.example',
        '.git/config',
        '.git/HEAD',
        'services/x/.env',
        'services/x/.env.production',
        'node_modules/pino/index.js',
        'services/api-gateway/node_modules/.bin/tsx',
        'coverage/lcov.info',
        'packages/db/coverage/index.html',
        '.turbo/cache.json',
        'packages/db/.turbo/turbo-typecheck.log',
        'dist/main.js',
        'services/api-gateway/dist/main.js',
        'npm-debug.log',
        '.ci/out/jest.log',
        'server.pem',
        'infra/tls/private.key',
        // What the image is built from:
        'package.json',
        'pnpm-lock.yaml',
        'pnpm-workspace.yaml',
        'tsconfig.base.json',
        'services/api-gateway/package.json',
        'services/api-gateway/src/main.ts',
        'packages/db/src/crypto.ts',
        'infra/Dockerfile',
      ];
      for (const f of files) {
        mkdirSync(dirname(join(dir, f)), { recursive: true });
        writeFileSync(join(dir, f), 'x');
      }
      const context = buildContext(dir, dockerignore());
      expect(context).toEqual([
        'infra/Dockerfile',
        'package.json',
        'packages/db/src/crypto.ts',
        'pnpm-lock.yaml',
        'pnpm-workspace.yaml',
        'services/api-gateway/package.json',
        'services/api-gateway/src/main.ts',
        'tsconfig.base.json',
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('sends this checkout without .git, node_modules or any .env, but with every workspace manifest', () => {
    const context = buildContext(ROOT, dockerignore());
    expect(context.filter((p) => /(^|\/)(\.git|node_modules|\.turbo|coverage|dist)(\/|$)/.test(p))).toEqual([]);
    expect(context.filter((p) => /(^|\/)\.env(\.|$)/.test(p))).toEqual([]);
    expect(context).toEqual(expect.arrayContaining(['package.json', 'pnpm-lock.yaml', 'pnpm-workspace.yaml', 'services/api-gateway/src/main.ts']));
    // `pnpm install --frozen-lockfile` needs every workspace package's manifest.
    for (const ws of ['services', 'packages']) {
      for (const name of readdirSync(join(ROOT, ws))) expect(context).toContain(`${ws}/${name}/package.json`);
    }
    expect(context).toContain('bench/package.json');
  });
});

/** The Dockerfile's instructions (continuation lines joined, comments dropped), each as [KEYWORD, arguments]. */
function instructions(text: string): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  let pending = '';
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!pending && (line === '' || line.startsWith('#'))) continue;
    if (line.endsWith('\\')) {
      pending += `${line.slice(0, -1)} `;
      continue;
    }
    const full = (pending + line).trim();
    pending = '';
    const m = /^(\S+)\s*(.*)$/.exec(full);
    if (m) out.push([m[1]!.toUpperCase(), m[2]!]);
  }
  return out;
}

describe('infra/Dockerfile', () => {
  const steps = instructions(readFileSync(join(ROOT, 'infra/Dockerfile'), 'utf8'));
  const finalStage = steps.slice(steps.map(([k]) => k).lastIndexOf('FROM'));

  it('runs the final stage as a non-root user', () => {
    expect(finalStage[0]?.[0]).toBe('FROM');
    const users = finalStage.filter(([k]) => k === 'USER').map(([, arg]) => arg.trim());
    expect(users.length).toBeGreaterThan(0);
    const user = users.at(-1)!.split(':')[0]!;
    expect(['', 'root', '0']).not.toContain(user);
    // Nothing after the last USER switches back, and the process starts after it.
    const lastUser = finalStage.map(([k]) => k).lastIndexOf('USER');
    expect(finalStage.slice(lastUser).map(([k]) => k)).toContain('CMD');
  });

  it('copies no secret into a layer by name', () => {
    for (const [k, arg] of steps) if (k === 'COPY' || k === 'ADD') expect(arg).not.toMatch(/\.env\b|\.git\b|\.pem\b/);
  });

  it('is multi-stage from a pinned base, installs production dependencies only and runs compiled JavaScript', () => {
    const text = readFileSync(join(ROOT, 'infra/Dockerfile'), 'utf8');
    const base = /^ARG NODE_IMAGE=(\S+)$/m.exec(text)?.[1];
    expect(base).toMatch(/^node:\d+\.\d+\.\d+-[\w-]+$/);
    const froms = steps.filter(([k]) => k === 'FROM').map(([, a]) => a);
    expect(froms.length).toBeGreaterThanOrEqual(2);
    for (const f of froms) expect(f).toMatch(/^\$\{NODE_IMAGE\} AS \w+$/);
    const runs = steps.filter(([k]) => k === 'RUN').map(([, a]) => a);
    expect(runs.some((r) => /pnpm build/.test(r))).toBe(true);
    expect(runs.some((r) => /pnpm install --prod --frozen-lockfile/.test(r))).toBe(true);
    // The final stage takes node_modules from the production install, never from the build stage.
    const copies = finalStage.filter(([k]) => k === 'COPY').map(([, a]) => a);
    expect(copies.filter((c) => /node_modules/.test(c))).toEqual([expect.stringMatching(/^--from=deps /)]);
    const cmd = finalStage.find(([k]) => k === 'CMD')![1];
    expect(cmd).toContain('node --enable-source-maps --import ./dist/register.js dist/main.js');
    expect(cmd).not.toMatch(/tsx|\.ts\b/);
    // Every service's package builds what the CMD runs.
    for (const name of readdirSync(join(ROOT, 'services'))) {
      const pkg = JSON.parse(readFileSync(join(ROOT, 'services', name, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
      expect(pkg.scripts.build).toMatch(/build-service\.mjs main=src\/main\.ts register=/);
    }
  });
});
