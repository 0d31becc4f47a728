import { createInterface, type Interface } from 'node:readline';

/**
 * One line reader over stdin for the whole process: a second readline interface would lose what the
 * first had buffered, and `printf 'y\ny\n' | kelos run …` must answer two prompts. Paused between
 * reads, so that an idle stdin does not keep the process alive.
 */
interface LineReader {
  rl: Interface;
  lines: string[];
  closed: boolean;
  waiting?: (() => void) | undefined;
}

let reader: LineReader | undefined;

function lineReader(): LineReader {
  if (!reader) {
    const rl = createInterface({ input: process.stdin, terminal: false });
    const state: LineReader = { rl, lines: [], closed: false };
    rl.on('line', (line) => {
      state.lines.push(line);
      state.waiting?.();
    });
    rl.on('close', () => {
      state.closed = true;
      state.waiting?.();
    });
    reader = state;
  }
  return reader;
}

/** The next line of stdin, or undefined at end of input. */
export async function readLine(): Promise<string | undefined> {
  const state = lineReader();
  if (state.lines.length === 0 && !state.closed) {
    state.rl.resume();
    await new Promise<void>((resolve) => {
      state.waiting = resolve;
    });
    state.waiting = undefined;
    state.rl.pause();
  }
  return state.lines.shift();
}

/**
 * Asks on stderr and reads one line: only `y` or `yes` (any case) accepts; an empty line or the end of
 * input declines (cli spec §2.3).
 */
export async function confirm(question: string): Promise<boolean> {
  process.stderr.write(`${question} [y/N]: `);
  const answer = await readLine();
  if (answer === undefined) process.stderr.write('\n');
  return /^(y|yes)$/i.test((answer ?? '').trim());
}
