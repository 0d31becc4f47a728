import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

// Runs the example against the built package (the test command builds before it tests), exactly
// as a user's script would import it.
describe('examples/shared-api/quickstart.mjs', () => {
  it('validates, rejects, parses outputs and renders a dependency prompt', () => {
    const out = execFileSync(process.execPath, ['examples/shared-api/quickstart.mjs'], {
      cwd: repoRoot,
      encoding: 'utf8',
    });
    expect(out).toBe(
      [
        'valid task errors: 0',
        'invalid task: spec.ttlSecondsAfterFinished: Invalid value: -1: spec.ttlSecondsAfterFinished in body should be greater than or equal to 0',
        'invalid task: spec.credentials: Invalid value: "object": secretRef is required for api-key and oauth credential types',
        'outputs: ["branch: kelos/plan","commit: 4f2c9e1"]',
        'prompt: Implement the plan from branch kelos/plan.',
        '',
      ].join('\n'),
    );
  });
});
