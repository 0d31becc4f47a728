import { formatOutputBlock } from '@kelos/shared/outputs';
import type { GitState } from './probes.js';
import type { Usage } from './usage.js';

export interface OutputFacts {
  git: GitState | undefined;
  pullRequests: readonly string[];
  /** `KELOS_BASE_BRANCH`, which wins over origin/HEAD. */
  baseBranch: string | undefined;
  usage: Usage;
}

/** The `key: value` lines of the output block, in the order of spec §6.1. */
export function outputLines({ git, pullRequests, baseBranch, usage }: OutputFacts): string[] {
  const lines: string[] = [];
  if (git?.branch) {
    lines.push(`branch: ${git.branch}`);
    lines.push(...pullRequests.map((url) => `pr: ${url}`));
  }
  if (git?.commit) lines.push(`commit: ${git.commit}`);
  const base = baseBranch || git?.originHead;
  if (base) lines.push(`base-branch: ${base}`);
  if (usage.costUsd !== undefined) lines.push(`cost-usd: ${usage.costUsd}`);
  if (usage.inputTokens !== undefined) lines.push(`input-tokens: ${usage.inputTokens}`);
  if (usage.outputTokens !== undefined) lines.push(`output-tokens: ${usage.outputTokens}`);
  if (usage.response) lines.push(`response: ${Buffer.from(usage.response, 'utf8').toString('base64')}`);
  return lines;
}

/** The marker block (markers from @kelos/shared), ready to write after the agent's stream. */
export function markerBlock(facts: OutputFacts): string {
  return formatOutputBlock(outputLines(facts));
}
