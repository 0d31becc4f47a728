import { CommanderError } from 'commander';
import { CliError, commandPath, UsageError } from './errors.js';
import { apiStatus, connectionFailure } from './kube/errors.js';
import type { CommandLineError } from './program.js';

/** How a failure is shown: the `Error…` line, an optional hint line, and the exit code. */
export interface Report {
  message: string;
  hint?: string;
  exitCode: number;
}

/** Exit codes: 1 for failures, 2 for a wrong command line (the kubectl and POSIX habit). */
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;

function commanderReport(err: CommandLineError): Report {
  // Commander's messages read `error: …`, sometimes followed by `(Did you mean …?)`.
  const [first = '', ...rest] = err.message.replace(/^error: /, '').split('\n');
  const suggestion = rest
    .join(' ')
    .trim()
    .replace(/^\((.*)\)$/, '$1');
  const help = err.command ? `Run '${commandPath(err.command)} --help' for usage.` : undefined;
  return {
    message: `Error: ${first}`,
    ...(suggestion || help ? { hint: suggestion || help } : {}),
    exitCode: EXIT_USAGE,
  };
}

/** What to do about the API errors users hit most. */
function hintFor(message: string): { hint?: string } {
  const namespace = /^namespaces "(.+)" not found$/.exec(message)?.[1];
  if (namespace)
    return { hint: `Create it with 'kubectl create namespace ${namespace}', or pick another with -n.` };
  // The kind itself is not served: the CRDs are missing.
  if (message.includes('could not find the requested resource') && message.includes('kelos.dev')) {
    return { hint: "Is Kelos installed in this cluster? Install it with 'kelos install'." };
  }
  return {};
}

/** Turns anything thrown by a command into what the user sees (cli spec §1.1). */
export function describeError(err: unknown): Report {
  if (err instanceof CommanderError) return commanderReport(err);
  if (err instanceof CliError) {
    return {
      message: `Error: ${err.message}`,
      ...(err.hint ? { hint: err.hint } : {}),
      exitCode: err instanceof UsageError ? EXIT_USAGE : EXIT_FAILURE,
    };
  }
  const status = apiStatus(err);
  if (status?.reason) {
    // kubectl's form, e.g. `Error from server (NotFound): tasks.kelos.dev "x" not found`.
    const message = `Error from server (${status.reason}): ${status.message}`;
    return { message, ...hintFor(status.message), exitCode: EXIT_FAILURE };
  }
  if (status)
    return {
      message: `Error: the server answered ${status.code}: ${status.message}`,
      exitCode: EXIT_FAILURE,
    };
  const unreachable = connectionFailure(err);
  if (unreachable) {
    return {
      message: `Error: cannot reach the Kubernetes API server at ${unreachable.url}: ${unreachable.reason}`,
      hint: 'Is the cluster running? Check the kubeconfig context (--context, --kubeconfig).',
      exitCode: EXIT_FAILURE,
    };
  }
  const message = err instanceof Error ? err.message : String(err);
  return { message: `Error: ${message}`, exitCode: EXIT_FAILURE };
}
