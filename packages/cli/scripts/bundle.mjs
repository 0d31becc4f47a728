// Bundles the compiled CLI (dist/main.js, from tsc) into dist/bundle/kelos.js, the `kelos` bin.
// Why: Node 20 spends most of a CLI's start resolving and reading modules one file at a time (our ~50,
// commander's, yaml's ~80 CommonJS files); one file for what every command loads, plus a chunk per
// lazily imported part, takes `kelos --help` from ~3x a bare `node` to ~2.2x and `kelos get tasks`
// from ~5.4x to ~4.5x, a bare HTTPS GET being ~3x itself (bench/cli.bench.mjs). Packages loaded only
// on slow paths stay external, read from node_modules.
// Run after `tsc -b packages/cli`: node packages/cli/scripts/bundle.mjs
import { chmodSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const cli = fileURLToPath(new URL('..', import.meta.url));
const outdir = `${cli}dist/bundle`;

rmSync(outdir, { recursive: true, force: true });
await build({
  entryPoints: { kelos: `${cli}dist/main.js` },
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  sourcemap: 'linked',
  // Bundled CommonJS (commander, yaml) calls require() for Node's built-ins.
  banner: {
    js: "import { createRequire as __kelosRequire } from 'node:module'; const require = __kelosRequire(import.meta.url);",
  },
  external: ['@kubernetes/client-node', 'inquirer', 'ora', '@kelos/devcluster'],
  logLevel: 'warning',
});
chmodSync(`${outdir}/kelos.js`, 0o755);
