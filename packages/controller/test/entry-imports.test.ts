/**
 * The controller and kelos-spawner processes load only @kelos/shared's light entry points: its main
 * entry brings TypeBox schemas, the validator and CEL (about half a second and tens of MB per process),
 * none of which they use. Type-only imports are erased, so they are fine.
 */
import { readFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SRC = fileURLToPath(new URL('../src/', import.meta.url));
const IMPORT = /^(import|export)\s+(type\s+)?[^;]*?\bfrom\s+'([^']+)'/gm;

/** `file -> ... -> importer` for each module reachable from `entry` that loads the main entry. */
function mainEntryImports(entry: string): string[] {
  const found: string[] = [];
  const seen = new Set<string>();
  const visit = (file: string, chain: string[]) => {
    if (seen.has(file)) return;
    seen.add(file);
    const here = [...chain, relative(SRC, file)];
    for (const [, , typeOnly, spec] of readFileSync(file, 'utf8').matchAll(IMPORT)) {
      if (typeOnly || !spec) continue;
      if (spec === '@kelos/shared') found.push(here.join(' -> '));
      else if (spec.startsWith('.')) visit(resolve(dirname(file), spec.replace(/\.js$/, '.ts')), here);
    }
  };
  visit(resolve(SRC, entry), []);
  return found;
}

describe('entry points', () => {
  it.each(['main.ts', 'spawner/main.ts'])('%s never loads @kelos/shared’s main entry', (entry) => {
    expect(mainEntryImports(entry)).toEqual([]);
  });

  it('the check sees a value import of the main entry', () => {
    expect(mainEntryImports('../test/fixtures/imports/main-entry-import.ts')).toEqual([
      '../test/fixtures/imports/main-entry-import.ts',
    ]);
  });
});
