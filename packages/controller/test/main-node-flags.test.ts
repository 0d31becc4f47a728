import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const read = (path: string) => readFileSync(new URL(path, import.meta.url), 'utf8');

describe('node flags of the kelos-controller and kelos-spawner images', () => {
  it.each([
    ['kelos-controller', '../src/main.ts', 'dist/main.js'],
    ['kelos-spawner', '../src/spawner/main.ts', 'dist/spawner/main.js'],
  ])('the %s image runs its bin with the node flags of the bin', (target, source, script) => {
    const shebang = read(source).split('\n', 1)[0] ?? '';
    const binFlags = shebang
      .replace(/^#!\/usr\/bin\/env -S node/, '')
      .trim()
      .split(/\s+/);
    expect(binFlags).toContain('--max-semi-space-size=4');
    const entrypoint = new RegExp(
      `FROM runtime AS ${target}\\n(?:EXPOSE \\d+\\n)?ENTRYPOINT (\\[.*\\])`,
    ).exec(read('../Dockerfile'))?.[1];
    expect(JSON.parse(entrypoint ?? '[]')).toEqual(['node', ...binFlags, script]);
  });
});
