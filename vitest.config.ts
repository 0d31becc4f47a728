import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const source = (path: string) => fileURLToPath(new URL(`./packages/${path}`, import.meta.url));

export default defineConfig({
  resolve: {
    // Tests run against the TypeScript sources, so a stale dist/ never hides a bug. Exact matches,
    // so that a package's subpath exports map to their own source files.
    alias: [
      { find: /^@kelos\/shared$/, replacement: source('shared/src/index.ts') },
      { find: /^@kelos\/shared\/constants$/, replacement: source('shared/src/constants/index.ts') },
      { find: /^@kelos\/shared\/duration$/, replacement: source('shared/src/duration.ts') },
      { find: /^@kelos\/shared\/outputs$/, replacement: source('shared/src/outputs/index.ts') },
      { find: /^@kelos\/shared\/template$/, replacement: source('shared/src/template/index.ts') },
      { find: /^@kelos\/shared\/images$/, replacement: source('shared/src/images.ts') },
      { find: /^@kelos\/shared\/taskspawner$/, replacement: source('shared/src/taskspawner/index.ts') },
      { find: /^@kelos\/shared\/resource-list$/, replacement: source('shared/src/resource-list.ts') },
      {
        find: /^@kelos\/shared\/context-sources$/,
        replacement: source('shared/src/taskspawner/context-sources.ts'),
      },
      { find: /^@kelos\/devcluster$/, replacement: source('devcluster/src/index.ts') },
    ],
  },
  test: {
    include: ['packages/*/test/**/*.test.ts'],
    pool: 'forks',
    // Scenario tests run several CLI and controller processes one after another; on a busy 2-core
    // CI machine each start of a Node process costs about a second of CPU.
    testTimeout: 60_000,
  },
});
