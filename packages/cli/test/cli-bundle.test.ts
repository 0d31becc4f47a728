import { mkdirSync, symlinkSync } from 'node:fs';
import { dirname } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertBundled, BUNDLE, Cluster, MAIN, spawnAsync } from './cli-harness.js';

let cluster: Cluster;

beforeAll(async () => {
  assertBundled();
  cluster = await Cluster.start();
  cluster.createTask('probe');
});

afterAll(async () => {
  await cluster.stop();
});

/** One CLI entry point run with hooks that list every module it resolves, by import or require(). */
async function run(main: string, args: string[]) {
  const hook = cluster.write(
    'hook.mjs',
    `import { register } from 'node:module';
register('data:text/javascript,' + encodeURIComponent(\`export async function resolve(s, c, next) {
  const r = await next(s, c); process.stderr.write('[resolved] ' + r.url + '\\\\n'); return r; }\`));`,
  );
  const requireHook = cluster.write(
    'hook.cjs',
    `const Module = require('node:module');
const { pathToFileURL } = require('node:url');
const resolveFilename = Module._resolveFilename;
Module._resolveFilename = function (...args) {
  const r = resolveFilename.apply(this, args);
  process.stderr.write('[resolved] ' + (r.startsWith('/') ? pathToFileURL(r).href : 'node:' + r.replace(/^node:/, '')) + '\\n');
  return r;
};`,
  );
  const r = await spawnAsync(process.execPath, ['--require', requireHook, '--import', hook, main, ...args], {
    env: cluster.env(),
  });
  const lines = r.stderr.split('\n');
  return {
    code: r.code,
    stdout: r.stdout,
    stderr: lines.filter((l) => l !== '' && !l.startsWith('[resolved] ')).join('\n'),
    modules: lines.filter((l) => l.startsWith('[resolved] ')).map((l) => l.slice('[resolved] '.length)),
  };
}

describe('the kelos bin (dist/bundle/kelos.js)', () => {
  it('behaves as the compiled CLI it bundles', async () => {
    for (const args of [
      ['--help'],
      ['version'],
      ['get', 'tasks'],
      ['get', 'task', 'probe', '-o', 'yaml'],
      ['get', 'task', 'missing'],
      ['install', '--dry-run'],
      ['logs', 'missing'],
      ['dev', 'up', '--port', 'x'],
    ]) {
      const [bundled, compiled] = await Promise.all([run(BUNDLE, args), run(MAIN, args)]);
      // The AGE column may tick between the two runs.
      const comparable = (r: typeof bundled) => ({
        ...r,
        stdout: r.stdout.replace(/\d+s$/gm, 'Ns'),
        modules: [],
      });
      expect(comparable(bundled), args.join(' ')).toEqual(comparable(compiled));
    }
  });

  it('starts --help, get and run from its own files and Node built-ins alone', async () => {
    const own = pathToFileURL(dirname(BUNDLE)).href;
    for (const args of [
      ['--help'],
      ['get', 'tasks'],
      ['run', '-p', 'x', '--credential-type', 'none', '--name', 'light'],
    ]) {
      const r = await run(BUNDLE, args);
      expect(r.code).toBe(0);
      expect(
        r.modules.filter((m) => !m.startsWith('node:') && !m.startsWith(`${own}/`)),
        args.join(' '),
      ).toEqual([]);
    }
  });

  it('answers --help from its CommonJS core alone, loading none of its ES module parts', async () => {
    const r = await run(BUNDLE, ['--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Usage: kelos [options] [command]');
    const own = pathToFileURL(dirname(BUNDLE)).href;
    // The entry shows up twice: resolved by the ES module hook (which hooks the main module too) and by
    // require's.
    const files = new Set(
      r.modules.filter((m) => m.startsWith(`${own}/`)).map((m) => m.slice(own.length + 1)),
    );
    expect([...files]).toEqual(['kelos.js', 'kelos-core.js']);
  });

  it('runs through a symlink, as npm links bins, with one instance of each core module', async () => {
    // The usage error is thrown by the core's command definitions and described by an ES module part:
    // were the core loaded twice, the part would not recognise it (exit 1, no usage line).
    const link = cluster.path('bin', 'kelos');
    mkdirSync(dirname(link), { recursive: true });
    symlinkSync(BUNDLE, link);
    const r = await run(link, ['get', 'tasks', '-o', 'bogus']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      'Error: unknown output format "bogus": must be one of yaml, json, wide, name\nUsage: kelos get task [options] [name]',
    );
  });

  it('loads the packages it leaves external from node_modules when needed', async () => {
    const r = await run(BUNDLE, ['logs', 'missing']);
    expect(r.stderr).toBe('Error from server (NotFound): tasks.kelos.dev "missing" not found');
    expect(r.modules.some((m) => m.includes('/@kubernetes/client-node/'))).toBe(true);
  });
});
