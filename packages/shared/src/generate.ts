import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { KIND_ORDER } from './crd/kinds.js';
import { crdFileName, renderCrdYaml } from './crd/render.js';
import { renderApiReference } from './docs/api-reference.js';

/** Every file generated from the schemas, by path relative to the repository root. */
export function generatedFiles(): Map<string, string> {
  const files = new Map<string, string>();
  for (const kind of KIND_ORDER) files.set(`packages/shared/crds/${crdFileName(kind)}`, renderCrdYaml(kind));
  files.set('docs/api.md', renderApiReference());
  return files;
}

/** Paths whose checked-in content differs from what the schemas generate. */
export function staleGeneratedFiles(repoRoot: string): string[] {
  const stale: string[] = [];
  for (const [path, content] of generatedFiles()) {
    let current: string | undefined;
    try {
      current = readFileSync(join(repoRoot, path), 'utf8');
    } catch {
      current = undefined;
    }
    if (current !== content) stale.push(path);
  }
  return stale;
}

function main(): void {
  const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
  for (const [path, content] of generatedFiles()) {
    const target = join(repoRoot, path);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, content);
    console.log(`wrote ${path}`);
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) main();
