import type { Command } from 'commander';
import { complete, formatCompletion } from '../completion/complete.js';
import { CommandContext } from '../context.js';
import type { GlobalOptions } from '../globals.js';
import type { KindName } from '../resources.js';

/** The reference's limit on listing names at the prompt (cli spec §12). */
const LIST_TIMEOUT_MS = 5000;

async function listNames(program: Command, kind: KindName, globals: GlobalOptions): Promise<string[]> {
  try {
    const ctx = new CommandContext(program, globals);
    const kelos = await ctx.kelos();
    const list = kelos.list(kind, await ctx.namespace());
    const timeout = new Promise<never>((_, reject) => {
      setTimeout(() => reject(new Error('timed out')), LIST_TIMEOUT_MS).unref();
    });
    const { items } = await Promise.race([list, timeout]);
    return items.map((o) => o.metadata.name ?? '').filter(Boolean);
  } catch {
    return [];
  }
}

/**
 * `kelos __complete WORD…`, what the completion scripts call at every TAB. Handled before commander
 * parses anything, since the words are a partial command line (flags included), not arguments.
 */
export async function runComplete(program: Command, words: readonly string[]): Promise<void> {
  const completion = await complete(program, words, (kind, globals) => listNames(program, kind, globals));
  process.stdout.write(formatCompletion(completion));
}
