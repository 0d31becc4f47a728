// Bundles the compiled controller (dist/, from tsc) into dist/bundle/: kelos-controller.mjs,
// kelos-spawner.mjs and kelos-capture.mjs, each bin one self-contained file that the images run.
//
// Why: a process keeps the source text of every module it loaded, and @kubernetes/client-node brings
// ~20 MB of generated API and model modules, most of them never called. A tree-shaken bundle without
// whitespace holds 3 MB, so a controller with 10,000 Tasks cached needs ~115 MB instead of ~140
// (bench/controller.bench.mjs), and no node_modules at run time: every agent image carries
// kelos-capture as one 14 kB file instead of the controller package with its dependencies.
// Identifiers are kept, so stack traces name their functions; the .map files beside the bundles give
// `node --enable-source-maps` the sources.
// Run after `tsc -b packages/controller`: node packages/controller/scripts/bundle.mjs
import { rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const controller = fileURLToPath(new URL('..', import.meta.url));
const outdir = resolve(controller, 'dist/bundle');

rmSync(outdir, { recursive: true, force: true });
await build({
  absWorkingDir: controller,
  entryPoints: [
    { in: 'dist/main.js', out: 'kelos-controller' },
    { in: 'dist/spawner/main.js', out: 'kelos-spawner' },
    { in: 'dist/capture/main.js', out: 'kelos-capture' },
  ],
  outdir,
  outExtension: { '.js': '.mjs' },
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  minifyWhitespace: true,
  minifySyntax: true,
  sourcemap: 'linked',
  // CommonJS dependencies call require() for Node's built-ins, which an ES module has no binding for.
  banner: {
    js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);",
  },
  logLevel: 'warning',
});
