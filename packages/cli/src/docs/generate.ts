import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderCliDocs } from './render-cli-docs.js';

/** The generated file, relative to the repository root. */
export const CLI_DOCS_PATH = 'docs/cli.md';

/** Whether the checked-in docs/cli.md differs from what the command definitions generate. */
export function cliDocsStale(repoRoot: string): boolean {
  try {
    return readFileSync(join(repoRoot, CLI_DOCS_PATH), 'utf8') !== renderCliDocs();
  } catch {
    return true;
  }
}

function main(): void {
  const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));
  writeFileSync(join(repoRoot, CLI_DOCS_PATH), renderCliDocs());
  console.log(`wrote ${CLI_DOCS_PATH}`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) main();
