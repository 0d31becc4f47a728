import type { Writable } from 'node:stream';
import { extractorFor } from './extractors.js';
import { parseJsonObject } from './json.js';
import { markerBlock } from './marker-block.js';
import { type CommandRunner, probeGit, probePullRequests } from './probes.js';
import { copyStream, LineSplitter, NEEDED_LINE_LIMIT, PARSE_LIMIT } from './stream.js';
import type { Usage } from './usage.js';

export interface CaptureOptions {
  input: AsyncIterable<Buffer | string>;
  output: Writable;
  /** Diagnostics (why the exit code is 1). */
  errors: Writable;
  env: NodeJS.ProcessEnv;
  run: CommandRunner;
}

/**
 * kelos-capture (spec §6.2): passes the agent's stream through, reads its usage according to
 * `KELOS_AGENT_TYPE`, and at the end appends the output marker block. Returns the exit code:
 * 1 when Claude Code reported a run that did not complete normally, else 0.
 */
export async function runCapture(options: CaptureOptions): Promise<number> {
  const { env, run } = options;
  // The log reader going away must not crash capture: the agent's exit code is what counts.
  options.output.on('error', () => {});
  const extractor = extractorFor(env.KELOS_AGENT_TYPE);
  const splitter = new LineSplitter(
    {
      parseLimit: PARSE_LIMIT,
      neededLineLimit: NEEDED_LINE_LIMIT,
      isNeededType: (type) => extractor?.neededTypes.has(type) ?? false,
    },
    (line) => {
      const event = parseJsonObject(line.toString('utf8'));
      if (event) extractor?.add(event);
    },
  );
  // Without an extractor there is nothing to parse, so lines are not even split.
  const { bytes } = await copyStream(
    options.input,
    options.output,
    extractor ? (chunk) => splitter.push(chunk) : () => {},
  );
  if (bytes === 0) return 0;
  splitter.end();

  const usage: Usage = extractor?.finish() ?? {};
  const git = await probeGit(run);
  const pullRequests = git?.branch ? await probePullRequests(run, git.branch, env.KELOS_UPSTREAM_REPO) : [];
  options.output.write(markerBlock({ git, pullRequests, baseBranch: env.KELOS_BASE_BRANCH, usage }));

  if (usage.failure) {
    options.errors.write(`kelos-capture: ${usage.failure}\n`);
    return 1;
  }
  return 0;
}
