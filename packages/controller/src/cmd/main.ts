import type { Manager } from '../runtime/manager.js';
import { parseControllerFlags, USAGE, UsageError } from './controller-flags.js';
import { type RunEnvironment, startController } from './run-controller.js';

export interface MainIo extends RunEnvironment {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

/**
 * The kelos-controller command: an exit code for the process to end with now (2 for bad flags, with one
 * line on stderr, as Go's flag package does; 0 after --help), or the running Manager.
 */
export async function runMain(argv: readonly string[], io: MainIo): Promise<number | Manager> {
  let flags: ReturnType<typeof parseControllerFlags>;
  try {
    flags = parseControllerFlags(argv);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    io.stderr(`kelos-controller: ${err.message}\n`);
    return 2;
  }
  if (flags.help) {
    io.stdout(USAGE);
    return 0;
  }
  return startController(flags, io);
}
