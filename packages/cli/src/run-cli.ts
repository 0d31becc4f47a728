import { CommanderError } from 'commander';
import { buildProgram } from './program.js';

/** Exit only once stdout has taken everything written, so that piped output is never cut short. */
async function exit(code: number): Promise<never> {
  await new Promise<void>((resolve) => process.stdout.write('', () => resolve()));
  process.exit(code);
}

/**
 * Runs `kelos` with the given arguments (those after the script name) and exits the process.
 * Separate from main.ts so that the bin's bundle (scripts/bundle.mjs) can load it without running it.
 */
export async function runCli(args: readonly string[]): Promise<void> {
  // A reader that stops early (`kelos get tasks | head`) closes the pipe: that ends the output, as
  // for any Unix tool, instead of crashing with an EPIPE stack trace.
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(0);
    throw err;
  });

  const program = buildProgram(args);
  if (args[0] === '__complete') {
    const { runComplete } = await import('./commands/complete.js');
    await runComplete(program, args.slice(1));
    await exit(0);
  }
  if (args.length === 0) {
    // Help on request, not as an error: `kelos` alone is how people discover the commands.
    program.outputHelp();
    await exit(0);
  }

  try {
    await program.parseAsync(args, { from: 'user' });
    // Exit explicitly: idle keep-alive sockets of the API client would otherwise hold the process open.
    await exit(0);
  } catch (err) {
    // Help and version output arrive as CommanderErrors with exit code 0.
    if (err instanceof CommanderError && err.exitCode === 0) await exit(0);
    const verbose = program.opts().verbose === true || args.includes('-v') || args.includes('--verbose');
    const [{ describeError }, { createStyle }] = await Promise.all([
      import('./report.js'),
      import('./style.js'),
    ]);
    const report = describeError(err);
    const style = createStyle('stderr', program.opts().color !== false && !args.includes('--no-color'));
    process.stderr.write(`${style.red(report.message)}\n`);
    if (report.hint) process.stderr.write(`${style.dim(report.hint)}\n`);
    if (verbose && err instanceof Error && err.stack) process.stderr.write(`${err.stack}\n`);
    await exit(report.exitCode);
  }
}
