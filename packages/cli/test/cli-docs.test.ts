import { fileURLToPath } from 'node:url';
import { KINDS, TASK_PHASES } from '@kelos/shared';
import { describe, expect, it } from 'vitest';
import { cliDocsStale } from '../src/docs/generate.js';
import * as enums from '../src/enums.js';
import { IMAGE_PULL_POLICIES } from '../src/install/index.js';
import * as resources from '../src/resources.js';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

describe('generated and duplicated facts', () => {
  it('docs/cli.md matches the command definitions (run `pnpm generate` after changing a command)', () => {
    expect(cliDocsStale(repoRoot)).toBe(false);
  });

  it("the CLI's light copies of @kelos/shared constants match the originals", () => {
    expect([...enums.TASK_PHASES].sort()).toEqual([...TASK_PHASES].sort());
    expect(enums.IMAGE_PULL_POLICIES).toEqual(IMAGE_PULL_POLICIES);
    for (const kind of resources.RESOURCE_ORDER) {
      const info = resources.RESOURCES[kind];
      expect({ kind: info.kind, plural: info.plural, singular: info.singular }).toEqual({
        kind: KINDS[kind].kind,
        plural: KINDS[kind].plural,
        singular: KINDS[kind].singular,
      });
    }
  });
});
