// Bundles the compiled CLI (dist/, from tsc) into dist/bundle/, the `kelos` bin.
//
// Why a bundle: Node 20 spends most of a CLI's start resolving, reading and compiling modules one at a
// time (our ~50, commander's, yaml's ~80 CommonJS files). Why this shape: ES modules cost more to start
// than CommonJS (the ESM loader alone is ~7 ms; each module is resolved, read and compiled through it),
// and Node 20 has no compile cache for them. So the bundle has two parts:
//   - kelos-core.js, CommonJS: run-cli.js and everything it imports statically, which is all that
//     `kelos --help` and the command definitions need (commander included);
//   - lazy-*.mjs and chunk-*.mjs, ES modules split by esbuild: each part that run-cli.js's modules
//     load with `import()` (a command's work, the API client, the log renderer, ...).
// A module lives in exactly one part: when a lazy part imports a core module, the import is replaced by
// the core's instance of it (`require('./kelos-core.js')`), so classes such as CliError stay one class.
// Packages loaded only on slow paths stay external, read from node_modules; the core may not import
// them statically (they are ES modules, which Node 20 cannot require()).
// Figures: bench/cli.bench.mjs. Run after `tsc -b packages/cli`: node packages/cli/scripts/bundle.mjs
import { chmodSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const cli = fileURLToPath(new URL('..', import.meta.url));
const dist = resolve(cli, 'dist');
const packages = resolve(cli, '..');
const outdir = resolve(dist, 'bundle');
const entry = resolve(dist, 'run-cli.js');
const EXTERNAL = ['@kubernetes/client-node', 'inquirer', 'ora', '@kelos/devcluster'];
const CORE_FILE = 'kelos-core.js';

const isExternal = (path) => EXTERNAL.some((p) => path === p || path.startsWith(`${p}/`));
const common = { bundle: true, platform: 'node', target: 'node20', logLevel: 'warning', absWorkingDir: cli };

/**
 * The file name of a lazy part, from its source: `packages/cli/dist/commands/complete.js` ->
 * `lazy-cli-commands-complete`, a package's `node_modules/yaml/dist/index.js` -> `lazy-yaml-index`.
 * One flat directory, names without hashes: the core imports them by name.
 */
const lazyName = (file) =>
  `lazy-${relative(packages, file)
    .replace(/^(.*\/)?node_modules\//, '')
    .replace(/\/dist\//, '/')
    .replace(/\.[cm]?js$/, '')
    .replace(/[^A-Za-z0-9]+/g, '-')}`;

/** The files of a build's metafile, as absolute paths. */
const inputsOf = (metafile) => new Set(Object.keys(metafile.inputs).map((p) => resolve(cli, p)));

/** Resolves an import as esbuild would without the plugin that asks. */
async function resolveAsEsbuild(pluginBuild, args) {
  const r = await pluginBuild.resolve(args.path, {
    importer: args.importer,
    resolveDir: args.resolveDir,
    kind: args.kind,
    pluginData: { resolving: true },
  });
  if (r.errors.length > 0) throw new Error(`cannot resolve ${args.path} from ${args.importer}`);
  // Node's built-ins are external: no file of ours.
  return r.external ? undefined : r.path;
}

// 1. The core: what run-cli.js reaches through static imports. Its dynamic imports are the lazy parts.
const lazyEntries = new Set();
const probe = await build({
  ...common,
  entryPoints: [entry],
  format: 'esm',
  write: false,
  metafile: true,
  external: EXTERNAL,
  plugins: [
    {
      name: 'dynamic-imports-are-lazy',
      setup(b) {
        b.onResolve({ filter: /.*/ }, async (args) => {
          if (args.kind !== 'dynamic-import' || args.pluginData?.resolving || isExternal(args.path)) return;
          const file = await resolveAsEsbuild(b, args);
          if (file === undefined) return;
          lazyEntries.add(file);
          return { path: args.path, external: true };
        });
      },
    },
  ],
});
const core = [...inputsOf(probe.metafile)].filter((f) => !f.endsWith('.json'));
const inCore = new Set(core);
const lazy = [...lazyEntries].filter((f) => !inCore.has(f));

// 2. kelos-core.js: the core as CommonJS, exporting runCli and each module's namespace (m0, m1, ...)
// for the lazy parts.
rmSync(outdir, { recursive: true, force: true });
mkdirSync(outdir, { recursive: true });
// .js files in dist/bundle are CommonJS (the package is "type": "module").
writeFileSync(resolve(outdir, 'package.json'), `${JSON.stringify({ type: 'commonjs' }, null, 2)}\n`);
const coreBuild = await build({
  ...common,
  stdin: {
    contents: [
      `export { runCli } from ${JSON.stringify(entry)};`,
      ...core.map((file, i) => `export * as m${i} from ${JSON.stringify(file)};`),
    ].join('\n'),
    resolveDir: dist,
    sourcefile: 'kelos-core-entry.js',
    loader: 'js',
  },
  outfile: resolve(outdir, CORE_FILE),
  format: 'cjs',
  sourcemap: 'linked',
  external: EXTERNAL,
  plugins: [
    {
      // commander requires child_process (which loads net, dgram and streams, ~4 ms) for executable
      // subcommands, which kelos has none of: load it on first use instead.
      name: 'commanders-child-process-on-first-use',
      setup(b) {
        b.onResolve({ filter: /^node:child_process$/ }, (args) =>
          args.importer.includes('/commander/')
            ? { path: 'child_process', namespace: 'on-first-use' }
            : undefined,
        );
        b.onLoad({ filter: /.*/, namespace: 'on-first-use' }, () => ({
          contents:
            "module.exports = new Proxy({}, { get: (_, key) => require('node:child_process')[key] });",
          loader: 'js',
        }));
      },
    },
    {
      name: 'lazy-parts-stay-es-modules',
      setup(b) {
        b.onResolve({ filter: /.*/ }, async (args) => {
          if (args.pluginData?.resolving) return;
          if (isExternal(args.path)) {
            // Static imports of these ES modules would become require() calls, failing at run time.
            if (args.kind !== 'dynamic-import') {
              throw new Error(
                `${args.importer} imports ${args.path} statically: the core may only import() it`,
              );
            }
            return { path: args.path, external: true };
          }
          if (args.kind !== 'dynamic-import') return;
          const file = await resolveAsEsbuild(b, args);
          if (file === undefined || inCore.has(file)) return;
          return { path: `./${lazyName(file)}.mjs`, external: true };
        });
      },
    },
  ],
});

// esbuild warns, among others, of import.meta in the core, which would be empty in CommonJS.
if (coreBuild.warnings.length > 0) throw new Error('the core of the kelos bundle has warnings (above)');

// 3. The lazy parts, as ES modules sharing chunks; an import of a core module becomes the core's.
const coreExports = createRequire(import.meta.url)(resolve(outdir, CORE_FILE));
const lazyBuild = await build({
  ...common,
  entryPoints: Object.fromEntries(lazy.map((file) => [lazyName(file), file])),
  outdir,
  outExtension: { '.js': '.mjs' },
  chunkNames: 'chunk-[hash]',
  splitting: true,
  format: 'esm',
  sourcemap: 'linked',
  // Bundled CommonJS (yaml, for one) and the core's stand-ins below call require().
  banner: {
    js: "import { createRequire as __kelosRequire } from 'node:module'; const require = __kelosRequire(import.meta.url);",
  },
  external: EXTERNAL,
  metafile: true,
  plugins: [
    {
      name: 'core-modules-from-the-core',
      setup(b) {
        b.onResolve({ filter: /.*/ }, async (args) => {
          if (args.path === `./${CORE_FILE}`) return { path: args.path, external: true };
          if (args.pluginData?.resolving || args.kind === 'entry-point' || isExternal(args.path)) return;
          const file = await resolveAsEsbuild(b, args);
          const index = file === undefined ? -1 : core.indexOf(file);
          return index === -1 ? undefined : { path: String(index), namespace: 'kelos-core' };
        });
        b.onLoad({ filter: /.*/, namespace: 'kelos-core' }, (args) => {
          const names = Object.keys(coreExports[`m${args.path}`]);
          return {
            contents: [
              `const m = require('./${CORE_FILE}').m${args.path};`,
              ...names.map((name, i) => `const e${i} = m[${JSON.stringify(name)}];`),
              `export { ${names.map((name, i) => `e${i} as ${name}`).join(', ')} };`,
            ].join('\n'),
            loader: 'js',
          };
        });
      },
    },
  ],
});

const twice = [...inputsOf(lazyBuild.metafile)].filter((file) => inCore.has(file));
if (twice.length > 0) throw new Error(`bundled into both parts of the kelos bin: ${twice.join(', ')}`);

// The bin.
writeFileSync(
  resolve(outdir, 'kelos.js'),
  `#!/usr/bin/env node\n'use strict';\nrequire('./${CORE_FILE}').runCli(process.argv.slice(2));\n`,
);
chmodSync(resolve(outdir, 'kelos.js'), 0o755);
