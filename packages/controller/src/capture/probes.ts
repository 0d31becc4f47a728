import { execFile } from 'node:child_process';

/** Each git or gh call may take this long before it is killed and treated as failed (spec §6.2). */
export const COMMAND_TIMEOUT_MS = 30_000;

/** Runs a command and returns its trimmed stdout, or undefined when it fails, times out or is missing. */
export type CommandRunner = (command: string, args: readonly string[]) => Promise<string | undefined>;

export function commandRunner(cwd: string, timeoutMs = COMMAND_TIMEOUT_MS): CommandRunner {
  return (command, args) =>
    new Promise((resolve) => {
      const child = execFile(
        command,
        args,
        { cwd, timeout: timeoutMs, killSignal: 'SIGKILL', maxBuffer: 16 * 1024 * 1024, encoding: 'utf8' },
        (error, stdout) => resolve(error ? undefined : stdout.trim()),
      );
      // The agent's stream is on our stdin; a probe must not read from it.
      child.stdin?.end();
    });
}

export interface GitState {
  branch?: string;
  commit?: string;
  /** The branch `origin/HEAD` points to. */
  originHead?: string;
}

/** What git says about the working directory, or undefined outside a work tree. */
export async function probeGit(run: CommandRunner): Promise<GitState | undefined> {
  if ((await run('git', ['rev-parse', '--is-inside-work-tree'])) !== 'true') return undefined;
  const [branch, commit, originHead] = await Promise.all([
    run('git', ['branch', '--show-current']),
    run('git', ['rev-parse', 'HEAD']),
    run('git', ['symbolic-ref', 'refs/remotes/origin/HEAD']),
  ]);
  const state: GitState = {};
  if (branch) state.branch = branch;
  if (commit) state.commit = commit;
  const head = originHead?.replace(/^refs\/remotes\/origin\//, '');
  if (head) state.originHead = head;
  return state;
}

/**
 * URLs of the pull requests whose head is `branch`: in the repository gh infers from the work
 * tree, then in `upstreamRepo` (fork workflows). gh being absent, unauthenticated or answering
 * something unexpected just yields no URLs.
 */
export async function probePullRequests(
  run: CommandRunner,
  branch: string,
  upstreamRepo: string | undefined,
): Promise<string[]> {
  const base = ['pr', 'list', '--head', branch, '--json', 'url'];
  const queries = [base];
  if (upstreamRepo) queries.push([...base, '--repo', upstreamRepo]);
  const answers = await Promise.all(queries.map((args) => run('gh', args)));
  return answers.flatMap(prUrls);
}

function prUrls(answer: string | undefined): string[] {
  if (!answer) return [];
  try {
    const list: unknown = JSON.parse(answer);
    if (!Array.isArray(list)) return [];
    return list
      .map((pr: unknown) =>
        typeof pr === 'object' && pr !== null ? (pr as { url?: unknown }).url : undefined,
      )
      .filter((url): url is string => typeof url === 'string' && url !== '');
  } catch {
    return [];
  }
}
