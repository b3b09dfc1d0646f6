// Compiles one service (or the migration runner) to JavaScript for the production image: its entry
// and the workspace packages it imports (@splits/*, which ship TypeScript source) are bundled into
// dist/; every third-party package stays an import, resolved from node_modules at run time, so
// OpenTelemetry can still patch them. The telemetry preload gets its own file (dist/register.js) and
// loads the SDK only when tracing is configured (a separate chunk). Run by `pnpm build` (turbo,
// cached per package) from the package's directory.
import { build } from 'esbuild';
import { rmSync } from 'node:fs';

const entries = process.argv.slice(2);
rmSync('dist', { recursive: true, force: true });
await build({
  entryPoints: Object.fromEntries(entries.map((e) => e.split('='))),
  outdir: 'dist',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  sourcemap: true,
  logLevel: 'warning',
  // Bundled CommonJS code calling require() needs one in an ES module.
  banner: { js: "import { createRequire as __splitsRequire } from 'node:module'; const require = __splitsRequire(import.meta.url);" },
  plugins: [
    {
      name: 'third-party-external',
      setup(b) {
        b.onResolve({ filter: /^[^./]/ }, (args) => (args.path.startsWith('@splits/') ? undefined : { path: args.path, external: true }));
      },
    },
  ],
});
