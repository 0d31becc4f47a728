import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const read = (path: string) => readFileSync(new URL(path, import.meta.url), 'utf8');
const firstLine = (text: string) => text.split('\n', 1)[0] ?? '';

describe('node flags of the kelos-controller and kelos-spawner images', () => {
  it.each([
    ['kelos-controller', '../src/main.ts', 'kelos-controller.mjs'],
    ['kelos-spawner', '../src/spawner/main.ts', 'kelos-spawner.mjs'],
  ])('the %s image runs its bundled bin with the node flags of the bin', (target, source, bundle) => {
    const shebang = firstLine(read(source));
    const binFlags = shebang
      .replace(/^#!\/usr\/bin\/env -S node/, '')
      .trim()
      .split(/\s+/);
    expect(binFlags).toContain('--max-semi-space-size=4');
    const entrypoint = new RegExp(
      `FROM runtime AS ${target}\\n(?:EXPOSE \\d+\\n)?ENTRYPOINT (\\[.*\\])`,
    ).exec(read('../Dockerfile'))?.[1];
    expect(JSON.parse(entrypoint ?? '[]')).toEqual(['node', ...binFlags, bundle]);
  });

  const built = (bundle: string) => new URL(`../dist/bundle/${bundle}`, import.meta.url);
  it.skipIf(!existsSync(built('kelos-controller.mjs')))(
    'the bundles keep the shebang of their bins, so that run as bins they get the same flags',
    () => {
      expect(firstLine(read('../dist/bundle/kelos-controller.mjs'))).toBe(firstLine(read('../src/main.ts')));
      expect(firstLine(read('../dist/bundle/kelos-spawner.mjs'))).toBe(
        firstLine(read('../src/spawner/main.ts')),
      );
    },
  );
});
