import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const read = (path: string) => readFileSync(new URL(path, import.meta.url), 'utf8');

describe('kelos-controller node flags', () => {
  it('the image runs the controller with the node flags of its bin', () => {
    const shebang = read('../src/main.ts').split('\n', 1)[0] ?? '';
    const binFlags = shebang
      .replace(/^#!\/usr\/bin\/env -S node/, '')
      .trim()
      .split(/\s+/);
    expect(binFlags).toContain('--max-semi-space-size=4');
    const entrypoint = /FROM runtime AS kelos-controller\nENTRYPOINT (\[.*\])/.exec(
      read('../Dockerfile'),
    )?.[1];
    expect(JSON.parse(entrypoint ?? '[]')).toEqual(['node', ...binFlags, 'dist/main.js']);
  });
});
